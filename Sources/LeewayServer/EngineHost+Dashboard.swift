import LeewayCore

/// What the dashboard reads from the engine's owner.
extension EngineHost {
    /// A consistent read view for aggregates computed off the owner: the engine itself (an O(1)
    /// copy-on-write value; the owner's next write to each of its arrays copies that array once
    /// while the view is alive), the journal position, the last event and the server clock.
    /// Aggregates over every account are computed on the caller's task from it, never here.
    public var readView: (engine: Engine, records: Int64, lastEvent: Int64, nowMs: Int64) {
        (engine, head.seq, lastEventSeq, nowMs())
    }

    /// The policy in force in each market (in market order), and whether it is the market's own
    /// (`policy` with `market`) rather than the global one.
    public var policies: [(policy: LiquidationPolicy, own: Bool)] {
        engine.state.markets.indices.map { index in
            let own = index < engine.state.marketPolicies.count ? engine.state.marketPolicies[index] : nil
            return (own ?? engine.state.globalPolicy, own != nil)
        }
    }

    /// The server's clock (ms), as it stamps commands.
    public var serverNowMs: Int64 { nowMs() }

    /// A history sample, taken on the owner: one pass over the accounts' stored phases (cheap: no
    /// margin arithmetic), the insurance funds and the marks.
    public func dashboardSample() -> DashboardSample {
        return DashboardSample(
            wallMs: nowMs(), clockMs: engine.clockMs, records: head.seq,
            insuranceFunds: insuranceFunds.map { DashboardSample.AssetAmountWide(asset: $0.asset, amount: $0.amount) },
            phaseCounts: engine.phaseCounts(),
            marks: engine.state.markets.map { DashboardSample.MarketMark(market: $0.id, mark: $0.markPrice) })
    }
}
