import Foundation
import LeewayCore

/// One line per policy against the baseline, the sentence a risk team reads first, e.g.
/// "guarded vs hard: 28 % fewer accounts fully liquidated (1,234 vs 1,714), deficit 0 vs 1.2M
/// USDC, liquidation costs 45.6k vs 120k USDC — better".
///
/// Three figures decide it, each lower is better: accounts fully liquidated, deficit_total (what
/// the fund, ADL and bad debt had to cover: solvency) and liquidation costs (fees + slippage paid
/// by traders). **better**: no figure worse and at least one better; **worse**: no figure better
/// and at least one worse; **a trade-off** (naming what improved and what did not) otherwise;
/// **the same** when all three are equal. Money differences under one cent count as equal.
public struct PolicyVerdict: Sendable, Equatable {
    /// The figures a verdict compares (sums when the inputs are several paths).
    public struct Figures: Sendable, Equatable {
        public var accountsLiquidated: Double
        public var deficitTotal: Double
        public var liquidationCosts: Double

        public init(accountsLiquidated: Double, deficitTotal: Double, liquidationCosts: Double) {
            self.accountsLiquidated = accountsLiquidated
            self.deficitTotal = deficitTotal
            self.liquidationCosts = liquidationCosts
        }

        /// The figures of one run.
        public init(_ metrics: RunMetrics) {
            self.init(accountsLiquidated: Double(metrics.accountsLiquidated), deficitTotal: metrics.deficitTotal.doubleValue,
                      liquidationCosts: metrics.liquidationCosts)
        }

        /// The sums over several runs (a tuning candidate's inputs).
        public init(summing runs: [RunMetrics]) {
            self.init(accountsLiquidated: runs.reduce(0) { $0 + Double($1.accountsLiquidated) },
                      deficitTotal: runs.reduce(0) { $0 + $1.deficitTotal.doubleValue },
                      liquidationCosts: runs.reduce(0) { $0 + $1.liquidationCosts })
        }
    }

    public enum Outcome: String, Sendable, Equatable {
        case better, worse, tradeOff = "a trade-off", same = "the same"
    }

    public var policy: String
    public var baseline: String
    public var figures: Figures
    public var baselineFigures: Figures

    public init(policy: String, figures: Figures, baseline: String, baselineFigures: Figures) {
        self.policy = policy
        self.baseline = baseline
        self.figures = figures
        self.baselineFigures = baselineFigures
    }

    /// −1 when `mine` is lower (better) than `base`, +1 when higher, 0 within `tolerance`.
    static func direction(_ mine: Double, _ base: Double, tolerance: Double) -> Int {
        mine < base - tolerance ? -1 : mine > base + tolerance ? 1 : 0
    }

    /// Per figure (liquidated, deficit, costs): −1 better, +1 worse, 0 equal.
    var directions: [Int] {
        [Self.direction(figures.accountsLiquidated, baselineFigures.accountsLiquidated, tolerance: 0),
         Self.direction(figures.deficitTotal, baselineFigures.deficitTotal, tolerance: 0.005),
         Self.direction(figures.liquidationCosts, baselineFigures.liquidationCosts, tolerance: 0.005)]
    }

    public var outcome: Outcome {
        let directions = directions
        if directions.allSatisfy({ $0 == 0 }) { return .same }
        if !directions.contains(1) { return .better }
        if !directions.contains(-1) { return .worse }
        return .tradeOff
    }

    /// "28 % fewer accounts fully liquidated (1,234 vs 1,714)", "as many …", "12 % more …".
    var accountsPhrase: String {
        let mine = figures.accountsLiquidated, base = baselineFigures.accountsLiquidated
        let counts = "(\(ReportNumber.count(mine)) vs \(ReportNumber.count(base)))"
        if mine == base { return "as many accounts fully liquidated \(counts)" }
        guard base > 0 else { return "more accounts fully liquidated \(counts)" }
        let percent = Int((100 * Swift.abs(mine - base) / base).rounded())
        let amount = percent == 0 ? "slightly" : "\(percent) %"
        return "\(amount) \(mine < base ? "fewer" : "more") accounts fully liquidated \(counts)"
    }

    /// The sentence, e.g. "guarded vs hard: … — better".
    public var line: String {
        let figures = [
            accountsPhrase,
            "deficit \(ReportNumber.compact(figures.deficitTotal)) vs \(ReportNumber.compact(baselineFigures.deficitTotal)) USDC",
            "liquidation costs \(ReportNumber.compact(figures.liquidationCosts)) vs \(ReportNumber.compact(baselineFigures.liquidationCosts)) USDC",
        ]
        var verdict = outcome.rawValue
        if outcome == .tradeOff {
            let improved = ["fewer liquidations", "smaller deficit", "lower costs"]
            let worsened = ["more liquidations", "larger deficit", "higher costs"]
            let directions = directions
            let better = directions.indices.filter { directions[$0] < 0 }.map { improved[$0] }
            let worse = directions.indices.filter { directions[$0] > 0 }.map { worsened[$0] }
            verdict += " (\((better + worse).joined(separator: ", ")))"
        }
        return "\(policy) vs \(baseline): \(figures.joined(separator: ", ")) — \(verdict)"
    }

    /// The baseline of a comparison: `hard` when it was run, else the first policy.
    public static func baselineIndex(of names: [String]) -> Int {
        names.firstIndex(of: "hard") ?? 0
    }

    /// One verdict per policy other than the baseline, in the given order.
    public static func verdicts(names: [String], figures: [Figures]) -> [PolicyVerdict] {
        guard names.count > 1, names.count == figures.count else { return [] }
        let base = baselineIndex(of: names)
        return names.indices.filter { $0 != base }.map {
            PolicyVerdict(policy: names[$0], figures: figures[$0], baseline: names[base], baselineFigures: figures[base])
        }
    }

    /// One verdict per policy of a backtest (one run each).
    public static func verdicts(names: [String], metrics: [RunMetrics]) -> [PolicyVerdict] {
        verdicts(names: names, figures: metrics.map(Figures.init))
    }
}
