import ServiceLifecycle

/// Issues `time` commands so deadlines and cooldowns fire with no other traffic. Every
/// `intervalMs` it asks the host to tick; the host sends a `time` command only when a timer is due,
/// so an idle server does not grow its journal.
public struct TickerService: Service {
    let host: EngineHost
    let intervalMs: Int64

    public init(host: EngineHost, intervalMs: Int64) {
        self.host = host
        self.intervalMs = intervalMs
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: .milliseconds(intervalMs)) } catch { return }
                await host.tick()
            }
        }
    }
}
