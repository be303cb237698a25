import Foundation
import LeewaySimulation
import Testing

@Suite("leeway backtest and stress, run as processes", .ownThread)
struct SimulationCommandTests {
    static let eth = "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz"

    @Test("backtest --json has the issue's keys for every policy and is byte-identical on a re-run and across threads")
    func backtestJSON() throws {
        let arguments = ["backtest", "--prices", Self.eth, "--accounts", "300", "--seed", "5", "--json",
                         "--policy", "hard", "--policy", "soft:grace_ms=300000,step_fraction=0.2", "--policy", "soft-adaptive"]
        let first = try LeewayProcess.run(arguments)
        let again = try LeewayProcess.run(arguments + ["--threads", "2"])
        #expect(first.status == 0)
        #expect(first.standardOutput == again.standardOutput)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.standardOutput.utf8)) as? [String: Any])
        let policies = try #require(object["policies"] as? [[String: Any]])
        #expect(policies.map { $0["name"] as? String } == ["hard", "soft:grace_ms=300000,step_fraction=0.2", "soft-adaptive"])
        let keys = ["accounts_warned", "accounts_called", "accounts_cured", "accounts_deleveraged", "accounts_liquidated",
                    "accounts_bankrupt", "liquidated_notional", "trader_liquidation_loss", "insurance_fund_pnl", "insurance_fund_min",
                    "bad_debt", "adl_notional", "peak_liquidation_per_minute", "cascade_extra_drawdown"]
        for policy in policies {
            let metrics = try #require(policy["metrics"] as? [String: Any])
            for key in keys { #expect(metrics[key] != nil, "missing \(key)") }
            #expect(policy["ledger_conserved"] as? Bool == true)
        }
    }

    @Test("backtest --csv prints one header and one row per policy; --report writes a self-contained HTML file")
    func backtestCSVAndReport() throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-report-\(getpid()).html")
        defer { try? FileManager.default.removeItem(at: report) }
        let result = try LeewayProcess.run(["backtest", "--prices", Self.eth, "--accounts", "200", "--csv", "--report", report.path])
        #expect(result.status == 0)
        #expect(result.lines.count == 1 + PolicySpec.presetNames.count)
        #expect(result.lines.first?.hasPrefix("policy,accounts_opened,accounts_warned") == true)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 7)  // comparison + 2 per policy
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
    }

    @Test("backtest with --feed-spike: the guarded market holds the spike and liquidates fewer; bad feed options are refused")
    func backtestOracleFaults() throws {
        let result = try LeewayProcess.run(["backtest", "--prices", Self.eth, "--accounts", "200", "--seed", "2", "--json",
                                            "--feed-spike", "20:0.6", "--feed-outage", "55:70",
                                            "--policy", "hard", "--policy", "hard:max_mark_move=0.1,confirm_ms=120000,max_mark_age_ms=120000"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let policies = try #require(object["policies"] as? [[String: Any]])
        let metrics = policies.compactMap { $0["metrics"] as? [String: Any] }
        #expect(metrics.count == 2)
        #expect(metrics.first?["marks_held"] as? Int == 0)
        #expect((metrics.last?["marks_held"] as? Int ?? 0) >= 1)
        #expect((metrics.last?["spikes_discarded"] as? Int ?? 0) >= 1)
        #expect(metrics.last?["liquidation_pauses"] as? Int == 1)
        #expect((metrics.last?["accounts_liquidated"] as? Int ?? .max) < (metrics.first?["accounts_liquidated"] as? Int ?? 0))
        for bad in [["--feed-spike", "20"], ["--feed-spike", "20:0"], ["--feed-outage", "70:55"], ["--feed-gap", "a:b"]] {
            let refused = try LeewayProcess.run(["backtest", "--prices", Self.eth, "--accounts", "10"] + bad)
            #expect(refused.status != 0)
            #expect(refused.standardError.contains(bad[0]))
        }
    }

    @Test("backtest and stress with option books: every book opens, the ledger holds, stress with vol of vol is byte-identical on 1 and 2 threads; bad option settings exit 2 naming the option")
    func optionBooks() throws {
        let backtest = try LeewayProcess.run(["backtest", "--prices", Self.eth, "--accounts", "20", "--seed", "4", "--json", "--policy", "soft",
                                              "--option-share", "1", "--option-strategies", "short_put,short_strangle"])
        #expect(backtest.status == 0, "\(backtest.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(backtest.standardOutput.utf8)) as? [String: Any])
        let policy = try #require((object["policies"] as? [[String: Any]])?.first)
        #expect((policy["metrics"] as? [String: Any])?["accounts_opened"] as? Int == 20)
        #expect(policy["ledger_conserved"] as? Bool == true)
        let stress = ["stress", "--model", "jump", "--paths", "3", "--horizon", "2h", "--accounts", "20", "--seed", "6", "--json",
                      "--policy", "soft", "--option-share", "0.5", "--vol-of-vol", "2"]
        let one = try LeewayProcess.run(stress + ["--threads", "1"])
        let two = try LeewayProcess.run(stress + ["--threads", "2"])
        #expect(one.status == 0, "\(one.standardError)")
        #expect(one.standardOutput == two.standardOutput)
        for (bad, names) in [(["--option-share", "1.5"], "--option-share"), (["--option-strategies", "iron_condor"], "iron_condor"),
                             (["--option-vol", "0"], "--option-vol"), (["--option-expiry", "soon"], "--option-expiry"),
                             (["--option-margin", "span"], "--option-margin"), (["--strike-offset", "0.95"], "--strike-offset")] {
            let refused = try LeewayProcess.run(["backtest", "--prices", Self.eth, "--accounts", "10"] + bad)
            #expect(refused.status == 2, "\(bad)")
            #expect(refused.standardError.contains(names), "\(bad): \(refused.standardError)")
        }
        let refused = try LeewayProcess.run(["stress", "--model", "gbm", "--vol-of-vol", "-1"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--vol-of-vol"))
    }

    @Test("stress --json is byte-identical for 1 and 2 threads")
    func stressDeterminism() throws {
        let arguments = ["stress", "--model", "jump", "--paths", "6", "--horizon", "6h", "--accounts", "150", "--seed", "3", "--json"]
        let one = try LeewayProcess.run(arguments + ["--threads", "1"])
        let two = try LeewayProcess.run(arguments + ["--threads", "2"])
        #expect(one.status == 0)
        #expect(one.standardOutput == two.standardOutput)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.standardOutput.utf8)) as? [String: Any])
        let policies = try #require(object["policies"] as? [[String: Any]])
        #expect(policies.count == PolicySpec.presetNames.count)
        #expect(policies.allSatisfy { $0["insurance_fund_es_99"] != nil && $0["bad_debt_probability"] != nil })
        #expect(policies.allSatisfy { $0["deficit_es_99"] != nil && $0["deficit_var_95"] != nil })
    }

    @Test("stress fits GARCH to and bootstraps from a real file", arguments: ["garch", "bootstrap"])
    func stressFromFile(model: String) throws {
        let result = try LeewayProcess.run(["stress", "--model", model, "--prices", Self.eth, "--paths", "3", "--horizon", "2h",
                                            "--accounts", "100", "--policy", "soft"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("policy soft"))
    }

    @Test("backtest converts a CSV whose open times are in seconds and says so on standard error")
    func backtestSecondsCSV() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-seconds-\(getpid()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let rows = (0..<120).map { minute -> String in
            let open = 3000.0 - Double(minute) * 5
            return "\(1_722_816_000 + 60 * minute),\(open),\(open + 2),\(open - 7),\(open - 5),1000"
        }
        try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try LeewayProcess.run(["backtest", "--prices", file.path, "--accounts", "50", "--csv", "--policy", "soft:grace=adaptive"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("note: \(file.path): open times are in seconds; converted to milliseconds "
            + "(first candle 2024-08-05T00:00:00Z, last 2024-08-05T01:59:00Z)"))
        #expect(result.lines.count == 2)
    }

    @Test("bad arguments and unreadable files exit 2 with a message", arguments: [
        ["backtest", "--prices", "no-such-file.json.gz"],
        ["backtest", "--prices", "Package.swift"],
        ["backtest", "--prices", "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz", "--policy", "medium"],
        ["backtest", "--prices", "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz", "--policy", "soft:step_fraction=2"],
        ["backtest", "--prices", "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz", "--accounts", "0"],
        ["backtest", "--prices", "../shared/data/prices/ethusdt-1m-2024-08-05.json.gz", "--long-share", "1.5"],
        ["backtest"],
        ["stress", "--model", "garch", "--paths", "2"],
        ["stress", "--model", "gbm", "--horizon", "soon"],
        ["stress", "--model", "brownian"],
    ])
    func badArguments(arguments: [String]) throws {
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 2)
        #expect(!result.standardError.isEmpty)
    }
}
