import Foundation
import HTTPTypes
import HummingbirdTesting
import LeewayServer
import ProcessTestSupport
import Testing

/// The `/metrics` exposition read by real Prometheus parsers: `prometheus-client`'s (PyPI) and
/// `promtool check metrics` (Debian's `prometheus`). `.ci/run` installs both; a machine without
/// one skips that test and says which package to install.
@Suite("leeway serve: metrics a risk team alerts on")
struct ServerMetricsTests {
    /// A venue with a margin call, then a gap to bankruptcy (insurance fund and ADL), a slow
    /// subscriber count of zero, and a clock 30 s after the last mark.
    static func exposition() async throws -> String {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        return try await fixture.app().test(.router) { client in
            _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            let gap = #"{"type":"mark","market":"BTC-PERP","price":"8800","ts":1700000120000}"#
            let posted = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: gap)
            #expect(posted.body.contains(#""type":"bankrupt""#), "\(posted.body)")
            fixture.clock.now = 1_700_000_150_000
            await fixture.host.waitForSnapshot()
            let response = try await client.call(.get, "/metrics", key: ServerFixture.readerKey)
            #expect(response.status == 200)
            return response.body
        }
    }

    static func run(_ executable: String, _ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let child = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), [executable] + arguments,
                                     standardInput: .pipe, standardOutput: .pipe, standardError: .sameAsOutput)
        child.input?.write(Data(input.utf8))
        try child.input?.close()
        let output = child.collectOutput().output
        return (child.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static let pythonParserAvailable = (try? run("python3", ["-c", "import prometheus_client.parser"], input: ""))?.status == 0
    static let promtoolAvailable = (try? run("promtool", ["--version"], input: ""))?.status == 0

    /// Prints each family (`F name type help`) and sample (`S name labels value`) as parsed.
    static let parserScript = """
    import sys, json
    from prometheus_client.parser import text_string_to_metric_families
    for family in text_string_to_metric_families(sys.stdin.read()):
        print("F", family.name, family.type, json.dumps(family.documentation))
        for sample in family.samples:
            print("S", sample.name, json.dumps(sample.labels, sort_keys=True), sample.value)
    """

    @Test("prometheus-client parses every metric, each has HELP and TYPE, the alerting metrics are there, and no label is an account",
          .enabled(if: pythonParserAvailable, "prometheus-client is not installed here: pip install prometheus-client (.ci/run does)"))
    func pythonParserReadsEveryMetric() async throws {
        let text = try await Self.exposition()
        let parsed = try Self.run("python3", ["-c", Self.parserScript], input: text)
        #expect(parsed.status == 0, "\(parsed.output)")
        let lines = parsed.output.split(separator: "\n").map(String.init)
        let families = lines.filter { $0.hasPrefix("F ") }.map { $0.split(separator: " ", maxSplits: 3).map(String.init) }
        #expect(families.count >= 20)
        for family in families {
            #expect(family.count == 4 && family[3] != #""""#, "no HELP text: \(family)")
            #expect(family.count == 4 && ["counter", "gauge", "histogram"].contains(family[2]), "no TYPE: \(family)")
        }
        var samples: [String: Double] = [:]
        for line in lines where line.hasPrefix("S ") {
            let parts = line.split(separator: " ").map(String.init)
            let labels = parts[2..<(parts.count - 1)].joined(separator: " ")
            #expect(!labels.contains(#""account""#), "an account label: \(line)")
            samples[parts[1] + labels] = Double(parts[parts.count - 1])
        }
        // The scenario: 50 USDC of insurance, alice's bankruptcy (deficit 200: 50 from the fund,
        // 150 by ADL from carol), the last mark at 1700000120000 and the clock 30 s later.
        #expect(samples[#"leeway_insurance_fund{"asset": "USDC"}"#] != nil)
        #expect(samples[#"leeway_deficit_total{"asset": "USDC"}"#] == 200)
        #expect(samples[#"leeway_insurance_paid_total{"asset": "USDC"}"#] == 50)
        #expect(samples[#"leeway_adl_recovered_total{"asset": "USDC"}"#] == 150)
        #expect(samples[#"leeway_adl_fills_total{"market": "BTC-PERP"}"#] == 1)
        #expect(samples[#"leeway_mark_age_seconds{"market": "BTC-PERP"}"#] == 30)
        #expect(samples[#"leeway_market_accounts{"market": "BTC-PERP", "phase": "bankrupt"}"#] != nil)
        #expect(samples[#"leeway_accounts{"phase": "bankrupt"}"#] == 1)
        for name in ["leeway_inbox_depth{}", "leeway_stream_subscribers{}", "leeway_stream_subscribers_dropped_total{}",
                     "leeway_snapshot_duration_seconds{}", "leeway_snapshot_bytes{}", "leeway_snapshot_stall_seconds{}",
                     "leeway_journal_append_lag_seconds_count{}", "leeway_journal_records{}"] {
            #expect(samples[name] != nil, "missing \(name)")
        }
        #expect((samples["leeway_snapshot_bytes{}"] ?? 0) > 0)
    }

    @Test("promtool check metrics finds nothing to flag",
          .enabled(if: promtoolAvailable, "promtool is not installed here: apt-get install prometheus (.ci/run does)"))
    func promtoolFindsNoProblem() async throws {
        let text = try await Self.exposition()
        let checked = try Self.run("promtool", ["check", "metrics"], input: text)
        #expect(checked.status == 0 && checked.output.isEmpty, "\(checked.output)")
    }
}
