/// Square-root market impact of liquidation flow, fed back into the mark.
///
/// Each step, the net notional Q the liquidations traded (sells negative) moves the log-price
/// impact I by −sign(Q)·k·√(|Q| / D), D the depth in USDC available per minute; I decays toward 0
/// with half-life h: I ← I·2^(−Δt/h) before each step's flow is added. The mark sent to the engine
/// is p_input·e^I, so liquidations that push the price down can trigger further liquidations.
/// D is `depthNotional` if given, else `volumeShare` × the minute's traded volume × price (with a
/// floor of `minimumDepth`).
public struct DepthModel: Sendable, Equatable {
    /// k: the log-price impact of a flow equal to one minute's depth.
    public var impactCoefficient = 0.01
    /// Share of the minute's traded volume that absorbs liquidation orders.
    public var volumeShare = 0.1
    /// An explicit depth in USDC per minute (overrides the volume-based depth).
    public var depthNotional: Double?
    public var minimumDepth = 10_000.0
    public var halfLifeMs = 300_000.0
    /// When false, the impact is measured (slippage) but never moves the mark.
    public var feedback = true
    /// The largest |I| (a 0.5 log move, about −39 % / +65 %).
    public var maximumImpact = 0.5

    public init() {}

    /// Depth in USDC for a point with this minute volume (base units) and price.
    public func depth(minuteVolume: Double, price: Double) -> Double {
        if let depthNotional { return Swift.max(depthNotional, 1) }
        return Swift.max(volumeShare * minuteVolume * price, minimumDepth)
    }

    /// What a forced close of `notional` (USDC) is estimated to cost in price concession when it
    /// meets depth D alone: notional × min(k·√(notional / D), maximum impact), the same square-root
    /// law as the cascade. An estimate for the metrics: the engine itself fills at the mark.
    public func slippage(notional: Double, depth: Double) -> Double {
        guard notional > 0, depth > 0 else { return 0 }
        return notional * Swift.min(impactCoefficient * SimulationMath.sqrt(notional / depth), maximumImpact)
    }

    /// The impact after `elapsedMs` of decay and a net flow `flow` (USDC, sells negative).
    public func impact(after previous: Double, elapsedMs: Double, flow: Double, depth: Double) -> Double {
        let decayed = previous * SimulationMath.pow(2, -elapsedMs / halfLifeMs)
        guard flow != 0 else { return decayed }
        let push = impactCoefficient * SimulationMath.sqrt(Swift.abs(flow) / depth)
        let next = decayed + (flow < 0 ? -push : push)
        return Swift.min(Swift.max(next, -maximumImpact), maximumImpact)
    }
}
