import Foundation
import ProcessTestSupport
import Testing

@Suite("leeway demo", .ownThread)
struct DemoCommandTests {
    /// A `leeway demo` process whose standard output is read line by line as it comes.
    final class RunningDemo: @unchecked Sendable {
        let process: ChildProcess
        private let lock = NSLock()
        private var output = ""

        init(_ arguments: [String]) throws {
            process = try ChildProcess(LeewayProcess.binary, ["demo"] + arguments, currentDirectory: LeewayProcess.packageRoot,
                                       standardOutput: .pipe, standardError: .null)
            // Standard output is read as it comes, on a thread of its own, until the demo closes it.
            guard let pipe = process.output else { return }
            DispatchQueue(label: "leeway-test-demo-output").async { [weak self] in
                while true {
                    let data = pipe.availableData
                    guard let self, !data.isEmpty else { return }
                    self.lock.lock()
                    self.output += String(decoding: data, as: UTF8.self)
                    self.lock.unlock()
                }
            }
        }

        var text: String { lock.lock(); defer { lock.unlock() }; return output }

        /// Waits until the output contains `marker` (or the process ends, or `seconds` pass).
        func wait(for marker: String, seconds: Double) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if text.contains(marker) { return true }
                if !process.isRunning { return text.contains(marker) }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        /// The dashboard URL the demo printed.
        var url: URL? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Dashboard: ") }),
                  let address = line.split(separator: " ").dropFirst().first else { return nil }
            return URL(string: String(address))
        }
    }

    static func get(_ url: URL) async throws -> (status: Int, body: String) {
        let response = try await LoopbackHTTP.get(url)
        return (response.status, response.text)
    }

    @Test("a short demo seeds the traders, replays the crash with margin calls and liquidations, serves the dashboard and stops cleanly on SIGINT")
    func shortRun() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-demo-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let demo = try RunningDemo(["--speed", "3000", "--accounts", "300", "--port", "0", "--data", data])
        defer { if demo.process.isRunning { demo.process.terminate() } }
        #expect(try await demo.wait(for: "replay finished", seconds: 120), "\(demo.text)")
        let url = try #require(demo.url, "\(demo.text)")
        // The sample's largest fall, from its peak 2697.44 to 2111, and the grace compressed 3000×.
        #expect(demo.text.contains("ETH-PERP: 191 one-minute candles around the largest fall, 2697 → 2111 (−21.7 %)"), "\(demo.text)")
        #expect(demo.text.contains("policy soft (grace 10 min 0 s → 0.2 s at this speed)"), "\(demo.text)")
        let markets = try await Self.get(url.appendingPathComponent("v1/markets"))
        #expect(markets.body.contains(#""grace_ms":200,"#) && markets.body.contains(#""cooldown_ms":10,"#), "\(markets.body)")
        let page = try await Self.get(url)
        #expect(page.status == 200 && page.body.contains("Accounts at risk"))
        let overview = try await Self.get(url.appendingPathComponent("v1/dashboard/overview"))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(overview.body.utf8)) as? [String: Any])
        #expect(body["accounts"] as? Int == 300)
        let phases = try #require(body["phases"] as? [String: Int])
        // A 21.7 % fall against 2–50× leverage: some accounts were liquidated or went bankrupt.
        #expect((phases["liquidated"] ?? 0) + (phases["bankrupt"] ?? 0) > 0, "\(phases)")
        #expect(demo.text.contains("margin calls"))
        // Ctrl-C: the journal is flushed, a snapshot written, exit 0.
        demo.process.interrupt()
        demo.process.waitUntilExit()
        #expect(demo.process.terminationStatus == 0)
        #expect(try await demo.wait(for: "stopped cleanly", seconds: 5), "\(demo.text)")
        // The journal it leaves replays to its snapshots.
        let verify = try LeewayProcess.run(["verify", "--data", data])
        #expect(verify.status == 0, "\(verify.standardError)")
    }

    @Test("the demo refuses a data directory that already holds a journal, and bad options, with status 2")
    func refusals() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-demo-used-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        _ = FileManager.default.createFile(atPath: data + "/journal.sqlite", contents: Data())
        let used = try LeewayProcess.run(["demo", "--data", data, "--port", "0"])
        #expect(used.status == 2)
        #expect(used.standardError.contains("already holds a journal"))
        for arguments in [["--speed", "0"], ["--accounts", "0"], ["--policy", "nope"], ["--prices", "/nonexistent/prices.json"]] {
            let result = try LeewayProcess.run(["demo", "--port", "0"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
        }
    }
}
