import Foundation
import LeewayCore

/// The text and HTML output of `leeway tune`: the Pareto frontier, baseline against the
/// recommendation metric by metric, and the frontier's scatter plot.
public enum TuningReport {
    /// The metrics the comparison table shows, summed over inputs.
    static let comparedKeys = ["accounts_liquidated", "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total",
                               "adl_notional", "liquidated_notional", "liquidation_costs", "insurance_fund_pnl", "auto_topups"]

    /// Σ over inputs of each compared metric.
    static func summed(_ metrics: [RunMetrics]) -> [(key: String, value: Double)] {
        comparedKeys.map { key in
            (key, metrics.reduce(0.0) { total, run in total + (run.keyedValues.first { $0.key == key }?.value.doubleValue ?? 0) })
        }
    }

    /// A summed metric in its unit's format (`ReportNumber`).
    static func number(_ value: Double, key: String) -> String { ReportNumber.format(value, unit: MetricUnit.of(key)) }

    /// One table row: each cell padded to its width (right-aligned, the first left-aligned).
    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { offset, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: Swift.max(width - cell.count, 0))
            return offset == 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }

    static func parameters(_ candidate: TuningCandidate) -> String {
        candidate.overrides.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Rows of the frontier: candidate, totals and its parameters.
    public static func frontierTable(_ result: TuningResult) -> String {
        var lines = ["Pareto frontier (feasible finalists: as solvent as \(result.baseline.name) on every input), totals over \(result.inputs.count) inputs:"]
        let widths = [9, 10, 7, 8, 16, 23, 0]
        lines.append(row(["candidate", "liquidated", "partial", "bankrupt", "deficit (USDC)", "liquidation_costs (USDC)", "parameters"], widths: widths))
        for index in result.frontier {
            guard let evaluation = result.evaluations[index] else { continue }
            let totals = summed(evaluation.metrics)
            func value(_ key: String) -> String { number(totals.first { $0.key == key }?.value ?? 0, key: key) }
            lines.append(row(["c\(index)", value("accounts_liquidated"), value("accounts_partially_liquidated"), value("accounts_bankrupt"),
                              value("deficit_total"), value("liquidation_costs"), parameters(result.candidates[index])], widths: widths))
        }
        if result.frontier.isEmpty { lines.append("(none: no finalist was as solvent as the baseline on every input)") }
        return lines.joined(separator: "\n")
    }

    /// Baseline against the recommendation: each metric summed over inputs and the change.
    public static func comparisonTable(_ result: TuningResult) -> String {
        let recommended = result.recommended.flatMap { result.evaluations[$0]?.metrics } ?? result.baselineMetrics
        let name = result.recommended.map { "c\($0)" } ?? result.baseline.name
        let widths = [29, 8, 18, 20, 9]
        var lines = [row(["metric (sum over inputs)", "unit", result.baseline.name, "recommended (\(name))", "change"], widths: widths)]
        for (base, mine) in zip(summed(result.baselineMetrics), summed(recommended)) {
            let change = base.value == 0 ? (mine.value == 0 ? "0 %" : "new") : String(format: "%+.1f %%", 100 * (mine.value - base.value) / Swift.abs(base.value))
            lines.append(row([base.key, MetricUnit.of(base.key).symbol, number(base.value, key: base.key), number(mine.value, key: mine.key), change], widths: widths))
        }
        return lines.joined(separator: "\n")
    }

    /// The recommendation against the baseline in one line (`PolicyVerdict`, sums over inputs),
    /// or why there is none.
    public static func verdict(_ result: TuningResult) -> String {
        guard let index = result.recommended, let evaluation = result.evaluations[index] else {
            return "no recommendation: no candidate was as solvent as \(result.baseline.name) on every input"
        }
        return PolicyVerdict(policy: "recommended c\(index)", figures: .init(summing: evaluation.metrics),
                             baseline: result.baseline.name, baselineFigures: .init(summing: result.baselineMetrics)).line
    }

    /// Per input: accounts liquidated and deficit, baseline against the recommendation.
    public static func perInputTable(_ result: TuningResult) -> String {
        let recommended = result.recommended.flatMap { result.evaluations[$0]?.metrics } ?? result.baselineMetrics
        let widths = [50, 24, 32, 32]
        var lines = [row(["input", "liquidated (base → rec)", "deficit, USDC (base → rec)", "adl, USDC (base → rec)"], widths: widths)]
        for (offset, name) in result.inputs.enumerated() {
            let base = result.baselineMetrics[offset], mine = recommended[offset]
            lines.append(row([name, "\(ReportNumber.grouped(base.accountsLiquidated)) → \(ReportNumber.grouped(mine.accountsLiquidated))",
                              "\(ReportNumber.money(base.deficitTotal)) → \(ReportNumber.money(mine.deficitTotal))",
                              "\(ReportNumber.money(base.adlNotional)) → \(ReportNumber.money(mine.adlNotional))"], widths: widths))
        }
        return lines.joined(separator: "\n")
    }

    /// The self-contained HTML report: frontier scatter (accounts liquidated × liquidation costs,
    /// every finalist, the baseline and the recommendation marked), and the two tables.
    public static func html(_ result: TuningResult, summary: String) -> String {
        var points: [SVGChart.ScatterPoint] = []
        let frontier = Set(result.frontier)
        for index in result.finalists {
            guard let evaluation = result.evaluations[index] else { continue }
            let totals = result.totals(evaluation.metrics)
            let color = !evaluation.score.feasible ? "#bbbbbb" : frontier.contains(index) ? "#1f77b4" : "#9ecae1"
            points.append(.init(x: Double(totals.liquidated), y: totals.costs, color: color))
        }
        let base = result.totals(result.baselineMetrics)
        points.append(.init(x: Double(base.liquidated), y: base.costs, color: "#d62728", label: result.baseline.name, radius: 5))
        if let recommended = result.recommended, let evaluation = result.evaluations[recommended] {
            let totals = result.totals(evaluation.metrics)
            points.append(.init(x: Double(totals.liquidated), y: totals.costs, color: "#2ca02c", label: "c\(recommended) (recommended)", radius: 5))
        }
        let chart = SVGChart.scatter(title: "Finalists: accounts fully liquidated against liquidation costs (sums over inputs)",
                                     points: points, legend: [("frontier", "#1f77b4"), ("other feasible", "#9ecae1"), ("not solvent enough (sums up to where it broke solvency)", "#bbbbbb")],
                                     xName: "accounts fully liquidated", yName: "liquidation costs (USDC)")
        let pre = { (text: String) in "<pre>" + SVGChart.escape(text) + "</pre>" }
        return HTMLReport.page(title: "leeway tune", summary: summary, sections: [
            "<h2>Verdict</h2><ul class=\"verdicts\"><li>" + SVGChart.escape(verdict(result)) + "</li></ul>",
            "<h2>Frontier</h2>" + chart, "<h2>Baseline against the recommendation</h2>" + pre(comparisonTable(result)),
            "<h2>Per input</h2>" + pre(perInputTable(result)), "<h2>Frontier candidates</h2>" + pre(frontierTable(result)),
        ])
    }
}
