import ArgumentParser
import Foundation
import LeewayCore
import LeewaySimulation

/// Options shared by `backtest` and `stress`: the population, trader behaviour, liquidity, the
/// policies and the output formats.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Number of simulated accounts.")
    var accounts: Int = 10_000

    @Option(help: "Seed of every random draw (population and paths).")
    var seed: UInt64 = 1

    @Option(name: .customLong("policy"), help: ArgumentHelp(
        "A policy: hard, soft, soft-adaptive or guarded, optionally with overrides, e.g. soft:grace_ms=300000,step_fraction=0.2. Repeatable; default all three presets.",
        valueName: "policy"))
    var policyTexts: [String] = []

    @Option(help: "A file with one policy per line (same syntax as --policy; # comments).")
    var policies: String?

    @Option(help: "Lowest leverage (log-uniform).") var minLeverage = 2.0
    @Option(help: "Highest leverage (log-uniform, capped by the tier IMR).") var maxLeverage = 50.0
    @Option(help: "Smallest position notional, USDC (Pareto scale).") var minNotional = 1_000.0
    @Option(help: "Pareto tail index of position notionals.") var paretoAlpha = 1.5
    @Option(help: "Share of accounts that are long.") var longShare = 0.5
    @Option(help: "Accounts open uniformly within this fraction of the path (0: all at the start).") var entryWindow = 0.0
    @Option(help: "Share of accounts whose collateral is the coin itself (weight 0.8).") var coinCollateral = 0.0
    @Option(help: "Probability that a trader answers a margin call.") var cureProbability = 0.3
    @Option(help: "Mean reaction delay of a trader who answers, ms (exponential).") var reactionMs = 120_000.0
    @Option(help: "Share of answering traders who deposit (the rest reduce).") var depositShare = 0.5
    @Option(help: "Fraction of the position a reducing trader closes.") var reduceFraction = 0.5
    @Option(help: "Share of accounts that park a reserve for auto top-up (protect command).") var reserveShare = 0.0
    @Option(help: "A reserve is this multiple of the account's collateral.") var reserveMultiple = 1.0
    @Option(help: "Share of accounts with a stop-loss.") var stopLossShare = 0.0
    @Option(help: "A stop-loss closes where the loss reaches this fraction of the collateral.") var stopLossFraction = 0.5

    @Option(help: "Share of accounts holding an option book instead of a perpetual position (the venue then lists options on its perpetual).")
    var optionShare = 0.0
    @Option(help: "Option books to draw from, comma-separated: covered_call, short_put, short_strangle, long_straddle (default all).")
    var optionStrategies = OptionStrategy.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Implied volatility of the options at the opening price, annualised.") var optionVol = 0.6
    @Option(help: "Spot-vol elasticity β: vol = option-vol × (price / opening price)^(−β).") var spotVolElasticity = 1.0
    @Option(help: "Out-of-the-money strikes at (1 ± this) × the opening price.") var strikeOffset = 0.1
    @Option(help: "Expiry of the options after the start: e.g. 7d, 12h.") var optionExpiry = "7d"
    @Option(help: "Margin model of the option books: portfolio (scenario grid) or standard.") var optionMargin = "portfolio"

    @Option(help: "Log-price impact of liquidations equal to one minute's depth (square-root law).") var impact = 0.01
    @Option(help: "Share of each minute's traded volume that absorbs liquidations.") var volumeShare = 0.1
    @Option(help: "Explicit depth in USDC per minute (overrides the volume-based depth).") var depth: Double?
    @Option(help: "Half-life of the liquidation impact, ms.") var impactHalfLifeMs = 300_000.0
    @Flag(help: "Measure impact but never feed it back into the mark (no cascade).") var noFeedback = false
    @Option(help: "Opening insurance fund, USDC (default 0.5 % of total notional).") var insuranceFund: String?

    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @Option(help: "Write a self-contained HTML report with SVG charts.") var report: String?
    @Option(help: "Also write each chart as an SVG file into this directory (for documents).") var charts: String?
    @Option(help: "Worker threads.") var threads = 1

    func validate() throws {
        guard accounts >= 1, accounts <= 10_000_000 else { throw ValidationError("--accounts must be between 1 and 10,000,000") }
        guard minLeverage >= 1, maxLeverage >= minLeverage else { throw ValidationError("need 1 ≤ --min-leverage ≤ --max-leverage") }
        guard minNotional > 0, paretoAlpha > 0 else { throw ValidationError("--min-notional and --pareto-alpha must be positive") }
        for (name, value) in [("--long-share", longShare), ("--entry-window", entryWindow), ("--coin-collateral", coinCollateral),
                              ("--cure-probability", cureProbability), ("--deposit-share", depositShare), ("--reduce-fraction", reduceFraction),
                              ("--reserve-share", reserveShare), ("--stop-loss-share", stopLossShare)] {
            guard value >= 0, value <= 1 else { throw ValidationError("\(name) must be between 0 and 1, got \(value)") }
        }
        guard reserveMultiple > 0, reserveMultiple <= 100 else { throw ValidationError("--reserve-multiple must be above 0 and at most 100") }
        guard stopLossFraction > 0, stopLossFraction < 1 else { throw ValidationError("--stop-loss-fraction must be above 0 and below 1") }
        guard reactionMs >= 0, impact >= 0, volumeShare > 0, impactHalfLifeMs > 0 else {
            throw ValidationError("--reaction-ms and --impact must be ≥ 0, --volume-share and --impact-half-life-ms > 0")
        }
        if let depth { guard depth > 0 else { throw ValidationError("--depth must be positive") } }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard optionShare >= 0, optionShare <= 1 else { throw ValidationError("--option-share must be between 0 and 1, got \(optionShare)") }
        do { _ = try OptionStrategy.parseList(optionStrategies) } catch { throw ValidationError("--option-strategies: \(error.message)") }
        guard optionVol >= OptionMarketSpec.minimumVolatility, optionVol <= OptionMarketSpec.maximumVolatility else {
            throw ValidationError("--option-vol must be between \(OptionMarketSpec.minimumVolatility) and \(OptionMarketSpec.maximumVolatility) (annualised), got \(optionVol)")
        }
        guard spotVolElasticity >= 0, spotVolElasticity <= 5 else { throw ValidationError("--spot-vol-elasticity must be between 0 and 5, got \(spotVolElasticity)") }
        guard strikeOffset >= 0, strikeOffset < 0.9 else { throw ValidationError("--strike-offset must be at least 0 and below 0.9, got \(strikeOffset)") }
        guard StressCommand.horizonMs(optionExpiry) != nil else { throw ValidationError("--option-expiry must look like 7d, 12h or 90m, got \"\(optionExpiry)\"") }
        guard MarginModel(rawValue: optionMargin) != nil else { throw ValidationError("--option-margin must be portfolio or standard, got \"\(optionMargin)\"") }
        guard !(json && csv) else { throw ValidationError("choose one of --json and --csv") }
    }

    /// The policies to compare (the three presets when none is given); a `--policies` file is read
    /// through `files`.
    func policySpecs(files: InputFiles = .disk()) throws -> [PolicySpec] {
        var texts = policyTexts
        if let policies {
            guard let data = files.bytes(policies) else {
                throw usageFailure("cannot read the policies file \(policies)")
            }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let text = line.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty, !text.hasPrefix("#") { texts.append(text) }
            }
        }
        if texts.isEmpty { texts = PolicySpec.presetNames }  // every preset
        do {
            let specs = try texts.map { (text) throws(SimulationError) in try PolicySpec.parse(text) }
            guard Set(specs.map(\.name)).count == specs.count else { throw usageFailure("the same policy is given twice") }
            return specs
        } catch let error as SimulationError {
            throw usageFailure(error.message)
        }
    }

    func populationSpec() -> PopulationSpec {
        var spec = PopulationSpec(accounts: accounts)
        spec.minLeverage = minLeverage
        spec.maxLeverage = maxLeverage
        spec.minNotional = minNotional
        spec.paretoAlpha = paretoAlpha
        spec.longShare = longShare
        spec.entryWindowFraction = entryWindow
        spec.coinCollateralShare = coinCollateral
        spec.behaviour.cureProbability = cureProbability
        spec.behaviour.meanReactionMs = reactionMs
        spec.behaviour.depositShare = depositShare
        spec.behaviour.reduceFraction = reduceFraction
        spec.reserveShare = reserveShare
        spec.reserveMultiple = reserveMultiple
        spec.stopLossShare = stopLossShare
        spec.stopLossFraction = stopLossFraction
        spec.optionShare = optionShare
        if let strategies = try? OptionStrategy.parseList(optionStrategies) { spec.optionStrategies = strategies }  // validated
        return spec
    }

    /// The venue's options when some accounts hold books (`--option-share` > 0), else nil.
    /// `volOfVol` is `stress`'s (a backtest replays one real path: its vol follows the spot-vol rule).
    func optionMarketSpec(volOfVol: Double = 0) -> OptionMarketSpec? {
        guard optionShare > 0 else { return nil }
        var spec = OptionMarketSpec()
        spec.baseVolatility = optionVol
        spec.spotVolElasticity = spotVolElasticity
        spec.strikeOffset = strikeOffset
        spec.expiryAfterMs = StressCommand.horizonMs(optionExpiry) ?? spec.expiryAfterMs
        spec.marginModel = MarginModel(rawValue: optionMargin) ?? .portfolio
        spec.volOfVol = volOfVol
        return spec
    }

    func depthModel() -> DepthModel {
        var model = DepthModel()
        model.impactCoefficient = impact
        model.volumeShare = volumeShare
        model.depthNotional = depth
        model.halfLifeMs = impactHalfLifeMs
        model.feedback = !noFeedback
        return model
    }

    func insuranceFundAmount() throws -> Fixed? {
        guard let insuranceFund else { return nil }
        guard let amount = try? Fixed(parsing: insuranceFund), !amount.isNegative else {
            throw usageFailure("--insurance-fund must be a non-negative decimal, got \"\(insuranceFund)\"")
        }
        return amount
    }
}
