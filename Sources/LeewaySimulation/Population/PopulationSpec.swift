import LeewayCore

/// The distributions a simulated population is drawn from.
public struct PopulationSpec: Sendable, Equatable {
    public var accounts: Int
    /// Leverage is log-uniform in [minLeverage, maxLeverage], then capped by the tier IMR.
    public var minLeverage = 2.0
    public var maxLeverage = 50.0
    /// Position notional is Pareto: P(N > x) = (minNotional / x)^paretoAlpha, capped at maxNotional.
    public var minNotional = 1_000.0
    public var maxNotional = 5_000_000.0
    public var paretoAlpha = 1.5
    /// Share of accounts that are long.
    public var longShare = 0.5
    /// Accounts open at a uniform random point within the first `entryWindowFraction` of the path
    /// (0: all open at the first point).
    public var entryWindowFraction = 0.0
    /// Share of accounts whose collateral is the traded coin itself (weight `coinWeight`).
    public var coinCollateralShare = 0.0
    public var coinWeight = 0.8
    public var behaviour = TraderBehaviour()
    /// Share of accounts that park a reserve of `reserveMultiple` × their collateral for auto top-up.
    public var reserveShare = 0.0
    public var reserveMultiple = 1.0
    /// Share of accounts with a stop-loss, placed where the loss would be `stopLossFraction` of
    /// the collateral: entry × (1 − f / leverage) for a long, entry × (1 + f / leverage) for a short.
    public var stopLossShare = 0.0
    public var stopLossFraction = 0.5
    /// Share of accounts that hold an option book (`OptionStrategy`, picked uniformly from
    /// `optionStrategies`) instead of a perpetual position; its cushion over the initial margin is
    /// log-uniform in [`minCushion`, `maxCushion`]. Needs a scenario with options.
    public var optionShare = 0.0
    public var optionStrategies = OptionStrategy.allCases
    public var minCushion = 1.1
    public var maxCushion = 3.0

    public init(accounts: Int) { self.accounts = accounts }

    /// Draws the population for `seed`; account i uses its own sub-stream, so the population's
    /// first k accounts are the same whatever `accounts` is.
    ///
    /// - Parameters:
    ///   - pathLength: points in the price path (for entry times).
    ///   - maximumLeverage: the cap for a notional (1 / IMR of its tier).
    public func draw(seed: UInt64, pathLength: Int, maximumLeverage: (Double) -> Double) -> [SimulatedAccount] {
        (0..<accounts).map { index in
            var generator = SplitMix64(seed: SplitMix64.derivedSeed(seed, UInt64(index)))
            let leverageDraw = minLeverage * SimulationMath.pow(maxLeverage / minLeverage, generator.nextUnit())
            let notional = Swift.min(minNotional * SimulationMath.pow(1 - generator.nextUnit(), -1 / paretoAlpha), maxNotional)
            let leverage = Swift.min(leverageDraw, 0.98 * maximumLeverage(notional))
            let isLong = generator.nextUnit() < longShare
            let postsCoin = generator.nextUnit() < coinCollateralShare
            let entryStep = entryWindowFraction > 0 ? Int(generator.nextUnit() * entryWindowFraction * Double(Swift.max(pathLength - 1, 0))) : 0
            let acts = generator.nextUnit() < behaviour.cureProbability
            let delayMs = Int64(-behaviour.meanReactionMs * SimulationMath.log(1 - generator.nextUnit()))
            let deposits = generator.nextUnit() < behaviour.depositShare
            let response: SimulatedAccount.Response = !acts ? .ignore
                : deposits ? .deposit(multiple: behaviour.depositMultiple, delayMs: delayMs)
                : .reduce(fraction: behaviour.reduceFraction, delayMs: delayMs)
            // Drawn after every earlier draw, so adding them left the rest of the population unchanged.
            let keepsReserve = generator.nextUnit() < reserveShare
            let setsStop = generator.nextUnit() < stopLossShare
            var account = SimulatedAccount(id: "t\(index)", isLong: isLong, notional: notional, collateral: notional / leverage,
                                           postsCoin: postsCoin, entryStep: entryStep, response: response)
            if keepsReserve { account.reserve = reserveMultiple * account.collateral }
            // Drawn last for the same reason; a book replaces the perpetual position and its stop.
            if optionShare > 0, generator.nextUnit() < optionShare, !optionStrategies.isEmpty {
                let pick = Swift.min(Int(generator.nextUnit() * Double(optionStrategies.count)), optionStrategies.count - 1)
                let cushion = minCushion * SimulationMath.pow(maxCushion / minCushion, generator.nextUnit())
                account.book = SimulatedAccount.OptionBook(strategy: optionStrategies[pick], cushion: cushion)
                account.stopMultiple = nil
                account.reserve = 0
                return account
            }
            if setsStop { account.stopMultiple = isLong ? 1 - stopLossFraction / leverage : 1 + stopLossFraction / leverage }
            return account
        }
    }
}
