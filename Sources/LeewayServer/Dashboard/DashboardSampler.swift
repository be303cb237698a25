import ServiceLifecycle

/// Takes a `DashboardSample` every `intervalMs` into the dashboard's history (phase counts,
/// insurance funds, marks). Each sample costs the engine's owner one pass over the accounts'
/// phases (no risk computation), so it runs whether or not a page is open.
public struct DashboardSampler: Service {
    let host: EngineHost
    let history: DashboardHistory
    let intervalMs: Int64

    public init(host: EngineHost, history: DashboardHistory, intervalMs: Int64 = 1_000) {
        self.host = host
        self.history = history
        self.intervalMs = intervalMs
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await history.record(await host.dashboardSample())
                do { try await Task.sleep(for: .milliseconds(intervalMs)) } catch { return }
            }
        }
    }
}
