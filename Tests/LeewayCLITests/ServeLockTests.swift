import Foundation
import Testing

@Suite("leeway serve owns its data directory", .serialized)
struct ServeLockTests {
    @Test("a second server on the same data directory refuses to start and names the process holding it")
    func secondServerIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json").path
        try Data(#"{"ticker_ms": 50}"#.utf8).write(to: URL(fileURLWithPath: config))
        let data = directory.appendingPathComponent("data").path
        let first = try ServeCrashTests.Server(data: data, config: config)
        defer { first.terminate() }
        _ = try await first.waitUntilReady()
        let second = try LeewayProcess.run(["serve", "--data", data, "--port", String(first.port + 1), "--config", config])
        #expect(second.status != 0)
        #expect(second.standardError.contains("is in use"), "\(second.standardError)")
        #expect(second.standardError.contains("process \(first.process.processIdentifier)"), "\(second.standardError)")
        // The first server is unaffected.
        #expect(try await first.get("/healthz")["status"] as? String == "ok")
        // Once it is gone (even by SIGKILL) the directory can be served again.
        first.kill()
        let third = try ServeCrashTests.Server(data: data, config: config)
        defer { third.terminate() }
        #expect(try await third.waitUntilReady()["status"] as? String == "ok")
    }
}
