import Foundation
import ProcessTestSupport
import Testing

@Suite("leeway serve owns its data directory", .ownThread, .serialized)
struct ServeLockTests {
    /// A fresh directory with a config file (a fast ticker) in it.
    static func directoryWithConfig() throws -> (directory: URL, config: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("config.json").path
        try Data(#"{"ticker_ms": 50}"#.utf8).write(to: URL(fileURLWithPath: config))
        return (directory, config)
    }

    @Test("a second server on the same data directory refuses to start and names the process holding it")
    func secondServerIsRefused() async throws {
        let (directory, config) = try Self.directoryWithConfig()
        defer { try? FileManager.default.removeItem(at: directory) }
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

    @Test("a busy port is a clear error with a nonzero status, and the server never says it is listening")
    func busyPortIsRefused() async throws {
        let (directory, config) = try Self.directoryWithConfig()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try ServeCrashTests.Server(data: directory.appendingPathComponent("one").path, config: config)
        defer { first.terminate() }
        _ = try await first.waitUntilReady()
        let second = try LeewayProcess.run(["serve", "--data", directory.appendingPathComponent("two").path, "--port", String(first.port), "--config", config])
        #expect(second.status != 0)
        #expect(second.standardError.contains("port \(first.port) on 127.0.0.1 is already in use"), "\(second.standardError)")
        #expect(!second.standardError.contains("listening"), "\(second.standardError)")
        #expect(try await first.get("/healthz")["status"] as? String == "ok")
    }
}
