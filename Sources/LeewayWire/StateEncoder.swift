public import LeewayCore

/// Encodes the final `state` line of `leeway replay --state` and margin reports.
public enum StateEncoder {
    /// `{"type":"state","clock":…,"insurance_fund":"…","insurance_funds":{…},"digest":"…","accounts":{ID:{…}}}`,
    /// accounts in id order so the line is canonical.
    public static func stateLine(of engine: Engine) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("type", "state")
        writer.field("clock", engine.clockMs)
        let primary = engine.primarySettleAsset
        writer.field("insurance_fund", (primary.flatMap { engine.insuranceFund(asset: $0) } ?? .zero).description)
        writer.key("insurance_funds")
        writer.beginObject()
        for asset in engine.state.assets {
            writer.field(asset.id, (engine.insuranceFund(asset: asset.id) ?? .zero).description)
        }
        writer.endObject()
        writer.field("digest", engine.digest.description)
        writer.key("accounts")
        writer.beginObject()
        for id in engine.accountIDs.sorted() {
            guard let report = engine.marginReport(account: id) else { continue }
            writer.key(id)
            writer.beginObject()
            writer.field("phase", report.phase.rawValue)
            writer.field("equity", report.equity.description)
            writer.field("initial", report.initialMargin.description)
            writer.field("maintenance", report.maintenanceMargin.description)
            writer.key("balances")
            writer.beginObject()
            for balance in report.balances { writer.field(balance.asset, balance.amount.description) }
            writer.endObject()
            if !report.reserves.isEmpty {
                writer.key("reserves")
                writer.beginObject()
                for reserve in report.reserves { writer.field(reserve.asset, reserve.amount.description) }
                writer.endObject()
            }
            writer.key("positions")
            writer.beginObject()
            for position in report.positions {
                writer.key(position.market)
                writer.beginObject()
                writer.field("size", position.size.description)
                writer.field("entry_price", position.entryPrice.description)
                writer.endObject()
            }
            writer.endObject()
            writer.endObject()
        }
        writer.endObject()
        writer.endObject()
        return writer.text
    }

    /// One JSON line `{"type":"report","report":{…}}` for `leeway replay --report`.
    public static func reportLine(_ report: MarginReport) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("type", "report")
        writer.key("report")
        encode(report, into: &writer)
        writer.endObject()
        return writer.text
    }

    /// A full margin report as JSON (used by the API and `what-if`).
    public static func encode(_ report: MarginReport, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("account", report.account)
        writer.field("phase", report.phase.rawValue)
        writer.key("deadline"); if let deadline = report.deadlineMs { writer.integer(deadline) } else { writer.null() }
        writer.key("next_step"); if let next = report.nextStepMs { writer.integer(next) } else { writer.null() }
        writer.field("equity", report.equity.description)
        writer.field("initial", report.initialMargin.description)
        writer.field("maintenance", report.maintenanceMargin.description)
        writer.field("free_collateral", report.freeCollateral.description)
        writer.key("margin_ratio"); if let ratio = report.marginRatio { writer.string(ratio.description) } else { writer.null() }
        writer.field("distance_to_margin_call", report.distanceToMarginCall.description)
        writer.field("distance_to_liquidation", report.distanceToLiquidation.description)
        writer.field("distance_to_bankruptcy", report.distanceToBankruptcy.description)
        writer.field("deposit_to_cure", report.depositToCure.description)
        writer.key("balances")
        writer.beginObject()
        for balance in report.balances { writer.field(balance.asset, balance.amount.description) }
        writer.endObject()
        writer.key("reserves")
        writer.beginObject()
        for reserve in report.reserves { writer.field(reserve.asset, reserve.amount.description) }
        writer.endObject()
        if let remaining = report.autoTopupRemaining {
            writer.key("auto_topup")
            writer.beginObject()
            writer.field("asset", remaining.asset)
            writer.field("remaining", remaining.amount.description)
            writer.endObject()
        }
        writer.key("positions")
        writer.beginArray()
        for position in report.positions {
            writer.beginObject()
            writer.field("market", position.market)
            writer.field("size", position.size.description)
            writer.field("entry_price", position.entryPrice.description)
            writer.field("mark_price", position.markPrice.description)
            writer.field("notional", position.notional.description)
            writer.field("unrealized_pnl", position.unrealizedPnL.description)
            writer.field("initial", position.initialMargin.description)
            writer.field("maintenance", position.maintenanceMargin.description)
            writer.key("liquidation_price"); if let price = position.liquidationPrice { writer.string(price.description) } else { writer.null() }
            writer.key("bankruptcy_price"); if let price = position.bankruptcyPrice { writer.string(price.description) } else { writer.null() }
            writer.key("greeks"); if let greeks = position.greeks { encode(greeks, into: &writer) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
        writer.key("underlyings")
        writer.beginArray()
        for underlying in report.underlyings {
            writer.beginObject()
            writer.field("market", underlying.market)
            writer.field("forward", underlying.forward.description)
            writer.key("greeks"); encode(underlying.greeks, into: &writer)
            writer.key("worst_scenario")
            if let worst = underlying.worstScenario {
                writer.beginObject()
                writer.field("index", worst.index)
                writer.key("move"); number(worst.move, into: &writer)
                writer.key("vol_factor"); number(worst.volatilityFactor, into: &writer)
                writer.key("weight"); number(worst.weight, into: &writer)
                writer.field("loss", worst.loss.description)
                writer.endObject()
            } else {
                writer.null()
            }
            writer.field("short_option_charge", underlying.shortOptionCharge.description)
            writer.endObject()
        }
        writer.endArray()
        writer.key("hedges_to_cure")
        writer.beginArray()
        for hedge in report.hedgesToCure {
            writer.beginObject()
            writer.field("market", hedge.market)
            writer.field("size", hedge.size.description)
            writer.field("price", hedge.price.description)
            writer.field("equity_after", hedge.equityAfter.description)
            writer.field("maintenance_after", hedge.maintenanceAfter.description)
            writer.field("cures", hedge.cures)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// `{"delta","gamma","vega","theta"}` as JSON numbers (vega per volatility point, theta per day).
    static func encode(_ greeks: Greeks, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("delta"); number(greeks.delta, into: &writer)
        writer.key("gamma"); number(greeks.gamma, into: &writer)
        writer.key("vega"); number(greeks.vega, into: &writer)
        writer.key("theta"); number(greeks.theta, into: &writer)
        writer.endObject()
    }

    /// A binary64 as the shortest JSON number that reads back to the same bits (null if not finite).
    static func number(_ value: Double, into writer: inout JSONWriter) {
        if value.isFinite { writer.rawNumber(value.description) } else { writer.null() }
    }
}
