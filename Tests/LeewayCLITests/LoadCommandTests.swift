import Foundation
import ProcessTestSupport
import Testing

@Suite("leeway load: the open-loop generator", .ownThread, .serialized)
struct LoadCommandTests {
    @Test("it sends every scheduled request to a real server and reports each one's status and latency from its due time")
    func loadAgainstARealServer() async throws {
        let (directory, config) = try ServeLockTests.directoryWithConfig()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServeCrashTests.Server(data: directory.appendingPathComponent("data").path, config: config)
        defer { server.terminate() }
        _ = try await server.waitUntilReady()
        #expect(await server.post([
            #"{"type":"asset","asset":"USDC","price":"1","weight":"1","ts":1700000000000}"#,
            #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","ts":1700000000000}"#,
            #"{"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000000000}"#,
        ] + (0..<20).map { #"{"type":"deposit","account":"a\#($0)","asset":"USDC","amount":"1000","ts":1700000000000}"# }))
        // 3 connections for 200 requests: they are reused (and queued when all are busy).
        let run = try LeewayProcess.run(["load", "--port", String(server.port), "--rate", "200", "--duration", "1", "--batch", "5",
                                         "--connections", "3", "--accounts", "20", "--ts-start", "1000"])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(report["requests"] as? Int == 200)
        #expect((report["statuses"] as? [String: Int])?["200"] == 200)
        #expect(report["unanswered"] as? Int == 0)
        let latency = try #require(report["latency_ms"] as? [String: Double])
        let p50 = try #require(latency["p50"]), maximum = try #require(latency["max"])
        #expect(p50 > 0 && p50 <= maximum)
        // Every command was applied: 200 requests of 5, after the 23 set-up commands.
        let status = try await server.get("/v1/status")
        #expect(status["records"] as? Int == 23 + 1_000, "\(status)")
    }

    @Test("bad options are refused with exit code 2 and the option named, before anything is sent", arguments: [
        (["--port", "1", "--host", "10.0.0.1"], "loopback"),
        (["--port", "1", "--rate", "0"], "--rate"),
        (["--port", "1", "--batch", "0"], "--batch"),
        (["--port", "70000"], "--port"),
    ])
    func badOptions(arguments: [String], named: String) throws {
        let run = try LeewayProcess.run(["load"] + arguments)
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains(named), "\(run.standardError)")
    }
}
