import LeewayCore
import LeewayWire

/// The JSON of the dashboard endpoints. Amounts are exact decimal strings, as everywhere in the API.
enum DashboardEncoder {
    /// `GET /v1/dashboard/overview`: server time (for countdowns), engine clock, journal position,
    /// last event, phase counts, insurance funds, and the margin reports of the riskiest accounts
    /// (at most `limit`).
    /// `scoped`: the caller sees only its own accounts (a trader key); every count is over them.
    static func overview(_ view: DashboardCache.Overview, limit: Int, nowMs: Int64, scoped: Bool) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("scope", scoped ? "own_accounts" : "venue")
        writer.field("now", nowMs)
        writer.field("clock", view.clockMs)
        writer.field("records", view.records)
        writer.field("last_event", view.lastEvent)
        writer.field("accounts", view.overview.accounts)
        writer.field("accounts_with_positions", view.overview.accountsWithPositions)
        writer.field("accounts_at_risk", view.overview.accountsAtRisk)
        phases(view.overview.phaseCounts, into: &writer)
        writer.key("insurance_funds")
        writer.beginObject()
        for fund in view.insuranceFunds { writer.field(fund.asset, fund.amount.description) }
        writer.endObject()
        writer.key("at_risk")
        writer.beginArray()
        for report in view.overview.riskiest.prefix(limit) { StateEncoder.encode(report, into: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.text
    }

    static func phases(_ counts: [Int], into writer: inout JSONWriter) {
        writer.key("phases")
        writer.beginObject()
        for (phase, count) in zip(LiquidationPhase.allCases, counts) { writer.field(phase.rawValue, count) }
        writer.endObject()
    }

    /// `GET /v1/markets/{market}/liquidation-map`.
    static func liquidationMap(_ map: LiquidationMap) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("market", map.market)
        writer.key("mark"); if let mark = map.mark { writer.string(mark.description) } else { writer.null() }
        writer.field("low", map.low.description)
        writer.field("high", map.high.description)
        writer.field("bin_width", map.binWidth.description)
        writer.key("bins")
        writer.beginArray()
        for bin in map.positions.indices {
            let from = Int128(map.low.raw) + Int128(bin) * Int128(map.binWidth.raw)
            writer.beginObject()
            writer.field("from", WideAmount(raw: from).description)
            writer.field("long_notional", map.longNotional[bin].description)
            writer.field("short_notional", map.shortNotional[bin].description)
            writer.field("positions", map.positions[bin])
            writer.endObject()
        }
        writer.endArray()
        writer.field("outside_positions", map.outsidePositions)
        writer.field("outside_notional", map.outsideNotional.description)
        writer.field("unliquidatable_positions", map.unliquidatablePositions)
        writer.endObject()
        return writer.text
    }

    /// `GET /v1/dashboard/history`: samples oldest first; `phases` only when the caller may see
    /// every account (they are venue-wide counts).
    static func history(_ samples: [DashboardSample], includePhases: Bool) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("samples")
        writer.beginArray()
        for sample in samples {
            writer.beginObject()
            writer.field("ts", sample.wallMs)
            writer.field("clock", sample.clockMs)
            writer.key("insurance_funds")
            writer.beginObject()
            for fund in sample.insuranceFunds { writer.field(fund.asset, fund.amount.description) }
            writer.endObject()
            if includePhases { phases(sample.phaseCounts, into: &writer) }
            writer.key("marks")
            writer.beginObject()
            for mark in sample.marks {
                writer.key(mark.market)
                if let price = mark.mark { writer.string(price.description) } else { writer.null() }
            }
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.text
    }
}
