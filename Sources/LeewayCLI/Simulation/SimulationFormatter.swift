import Foundation
import LeewayCore
import LeewaySimulation
import LeewayWire

/// Text, CSV and JSON renderings of backtest and stress results. Deterministic: the same results
/// give the same bytes (fixed key order, shortest round-trip printing of doubles).
enum SimulationFormatter {
    /// Metrics shown in the terminal table (all of them go to JSON and CSV).
    static let tableKeys = ["accounts_warned", "accounts_called", "accounts_cured", "accounts_deleveraged", "accounts_liquidated",
                            "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total", "liquidated_notional",
                            "liquidation_costs", "trader_liquidation_loss", "liquidation_fees",
                            "liquidation_slippage", "insurance_fund_pnl", "insurance_fund_min", "bad_debt", "adl_notional",
                            "peak_liquidation_per_minute", "cascade_extra_drawdown", "trader_actions", "auto_topups", "stop_losses"]


    static func write(_ value: MetricValue, into writer: inout JSONWriter) {
        switch value {
        case .count(let count): writer.int(count)
        case .exact(let amount): writer.string(amount.description)
        case .estimate(let number): writer.rawNumber(number.isFinite ? "\(number)" : "0")
        }
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([render(header), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))] + rows.map(render))
            .joined(separator: "\n")
    }

    /// The metrics table (a unit column, `ReportNumber` formats), then one verdict line per policy
    /// against the baseline (`PolicyVerdict`), the ledger check and the time taken.
    static func backtestTable(_ results: [BacktestResult], summary: SimulationSummary, elapsed: Duration) -> String {
        let rows = tableKeys.map { key in
            let unit = MetricUnit.of(key)
            return [key, unit.symbol] + results.map { result in
                result.metrics.keyedValues.first { $0.key == key }.map { ReportNumber.format($0.value, unit: unit) } ?? ""
            }
        }
        let conserved = results.allSatisfy(\.metrics.ledgerConserved) ? "yes" : "NO"
        let verdicts = PolicyVerdict.verdicts(names: results.map(\.policyName), metrics: results.map(\.metrics)).map(\.line)
        return "\(summary)\n\n" + table(header: ["metric", "unit"] + results.map(\.policyName), rows: rows)
            + (verdicts.isEmpty ? "" : "\n\n" + verdicts.joined(separator: "\n"))
            + "\n\nledger conserved in every run: \(conserved); time \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))"
    }

    static func backtestCSV(_ results: [BacktestResult]) -> String {
        let keys = RunMetrics().keyedValues.map(\.key)
        var lines = [(["policy"] + keys).joined(separator: ",")]
        for result in results {
            lines.append(([csvField(result.policyName)] + result.metrics.keyedValues.map { csvValue($0.value) }).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    static func csvValue(_ value: MetricValue) -> String {
        switch value {
        case .count(let count): return String(count)
        case .exact(let amount): return amount.description
        case .estimate(let number): return "\(number)"
        }
    }

    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func backtestJSON(_ results: [BacktestResult], summary: SimulationSummary) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("prices", summary.source)
        writer.field("accounts", summary.accounts)
        writer.key("seed"); writer.rawNumber(String(summary.seed))
        writer.field("path_points", summary.pathPoints)
        writer.key("policies")
        writer.beginArray()
        for result in results {
            writer.beginObject()
            writer.field("name", result.policyName)
            writer.key("metrics")
            writer.beginObject()
            for (key, value) in result.metrics.keyedValues {
                writer.key(key)
                write(value, into: &writer)
            }
            writer.endObject()
            writer.field("ledger_conserved", result.metrics.ledgerConserved)
            writer.field("digest", result.digest)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.text
    }

    static func speedComparison(accountMinutes: Double, indexed: Duration, naive: Duration, threads: Int) -> String {
        let indexedSeconds = seconds(indexed), naiveSeconds = seconds(naive)
        return String(format: "\nthroughput: %.2fM account-minutes/s with trigger bands (%d thread%@), %.2fM/s with the naive full scan on one thread: %.1f× faster",
                      accountMinutes / indexedSeconds / 1e6, threads, threads == 1 ? "" : "s", accountMinutes / naiveSeconds / 1e6,
                      naiveSeconds / Swift.max(indexedSeconds, 1e-9))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    // MARK: stress

    static let stressKeys = ["accounts_liquidated", "accounts_partially_liquidated", "accounts_bankrupt", "deficit_total",
                             "liquidated_notional", "liquidation_costs", "trader_liquidation_loss",
                             "insurance_fund_pnl", "bad_debt", "adl_notional", "cascade_extra_drawdown"]

    static func money(_ value: Double) -> String { ReportNumber.money(value) }

    /// Per policy: each metric's distribution over paths (with its unit), the bad-debt
    /// probability and tail figures in USDC; then one verdict line per policy against the baseline
    /// on the sums over paths.
    static func stressTable(_ summaries: [PolicyStressSummary], header: String, elapsed: Duration) -> String {
        var blocks = [header]
        for summary in summaries {
            let rows = summary.distributions.filter { stressKeys.contains($0.key) }.map { key, distribution in
                let unit = MetricUnit.of(key)
                return [key, unit.symbol] + [distribution.mean, distribution.p50, distribution.p95, distribution.p99, distribution.max]
                    .map { ReportNumber.format($0, unit: unit) }
            }
            blocks.append("policy \(summary.name)\n" + table(header: ["metric", "unit", "mean", "p50", "p95", "p99", "max"], rows: rows)
                          + String(format: "\nP(bad debt > threshold) = %.4f; insurance fund loss (USDC) VaR95 %@, ES95 %@, VaR99 %@, ES99 %@",
                                   summary.badDebtProbability, money(summary.insuranceVaR95), money(summary.insuranceES95),
                                   money(summary.insuranceVaR99), money(summary.insuranceES99))
                          + String(format: "\ndeficit_total, the fund needed (USDC): VaR95 %@, ES95 %@, VaR99 %@, ES99 %@",
                                   money(summary.deficitVaR95), money(summary.deficitES95),
                                   money(summary.deficitVaR99), money(summary.deficitES99)))
        }
        let verdicts = PolicyVerdict.verdicts(names: summaries.map(\.name), figures: summaries.map { PolicyVerdict.Figures(summing: $0.perPath) })
        if !verdicts.isEmpty { blocks.append("summed over paths:\n" + verdicts.map(\.line).joined(separator: "\n")) }
        blocks.append("time \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        return blocks.joined(separator: "\n\n")
    }

    static func stressJSON(_ summaries: [PolicyStressSummary], header: [(String, String)]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        for (key, value) in header { writer.field(key, value) }
        writer.key("policies")
        writer.beginArray()
        for summary in summaries {
            writer.beginObject()
            writer.field("name", summary.name)
            writer.key("metrics")
            writer.beginObject()
            for (key, distribution) in summary.distributions {
                writer.key(key)
                writer.beginObject()
                for (name, value) in [("mean", distribution.mean), ("p50", distribution.p50), ("p95", distribution.p95),
                                      ("p99", distribution.p99), ("max", distribution.max)] {
                    writer.key(name)
                    writer.rawNumber("\(value)")
                }
                writer.endObject()
            }
            writer.endObject()
            for (name, value) in [("bad_debt_probability", summary.badDebtProbability), ("insurance_fund_var_95", summary.insuranceVaR95),
                                  ("insurance_fund_es_95", summary.insuranceES95), ("insurance_fund_var_99", summary.insuranceVaR99),
                                  ("insurance_fund_es_99", summary.insuranceES99),
                                  ("deficit_var_95", summary.deficitVaR95), ("deficit_es_95", summary.deficitES95),
                                  ("deficit_var_99", summary.deficitVaR99), ("deficit_es_99", summary.deficitES99)] {
                writer.key(name)
                writer.rawNumber("\(value)")
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.text
    }

    static func stressCSV(_ summaries: [PolicyStressSummary]) -> String {
        var lines = ["policy,metric,mean,p50,p95,p99,max"]
        for summary in summaries {
            for (key, distribution) in summary.distributions {
                lines.append([csvField(summary.name), key, "\(distribution.mean)", "\(distribution.p50)", "\(distribution.p95)",
                              "\(distribution.p99)", "\(distribution.max)"].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n")
    }
}
