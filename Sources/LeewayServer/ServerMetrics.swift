import CoreMetrics
import Foundation
import LeewayCore
import Prometheus

/// The server's Prometheus metrics, through swift-metrics types bound to this server's own
/// registry (so several servers in one process, as in tests, do not share counters).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let journalAppend: CoreMetrics.Timer
    let apply: CoreMetrics.Timer
    /// Label values come from the registries, so every command and event type has its counter.
    let commandTypes = CommandType.allCases.map(\.rawValue)
    let eventTypes = EventType.allCases.map(\.rawValue)
    let commands: [String: CoreMetrics.Counter]
    let events: [String: CoreMetrics.Counter]

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5),
                                                   .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)]
        self.factory = factory
        journalAppend = CoreMetrics.Timer(label: "leeway_journal_append_seconds", factory: factory)
        apply = CoreMetrics.Timer(label: "leeway_apply_seconds", factory: factory)
        commands = Dictionary(uniqueKeysWithValues: commandTypes.map {
            ($0, CoreMetrics.Counter(label: "leeway_commands_total", dimensions: [("type", $0)], factory: factory))
        })
        events = Dictionary(uniqueKeysWithValues: eventTypes.map {
            ($0, CoreMetrics.Counter(label: "leeway_events_total", dimensions: [("type", $0)], factory: factory))
        })
    }

    func countCommand(_ type: String) { commands[type]?.increment() }
    func countEvent(_ type: String) { events[type]?.increment() }
    func recordApply(_ duration: Duration) { apply.recordNanoseconds(Self.nanoseconds(duration)) }
    func recordJournalAppend(_ duration: Duration) { journalAppend.recordNanoseconds(Self.nanoseconds(duration)) }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// The Prometheus text exposition, with the accounts-by-phase gauge filled in from `phases`.
    public func exposition(phases: [LiquidationPhase: Int]) -> String {
        for phase in [LiquidationPhase.healthy, .warning, .marginCall, .deleveraging, .liquidated, .bankrupt] {
            registry.makeGauge(name: "leeway_accounts", labels: [("phase", phase.rawValue)]).set(Double(phases[phase] ?? 0))
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
