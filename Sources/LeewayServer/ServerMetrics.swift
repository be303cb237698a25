import Foundation
import LeewayCore
import Prometheus

/// The server's Prometheus metrics, on this server's own registry (so several servers in one
/// process, as in tests, do not share counters). Every metric has HELP text; labels are bounded:
/// command and event types from the registries, assets and markets from the engine's tables
/// (created by `admin` commands), phases from `LiquidationPhase`. Never an account id.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    static let durationBuckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5),
                                              .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5)]
    let journalAppend: DurationHistogram
    let journalLag: DurationHistogram
    let apply: DurationHistogram
    let commands: [String: Counter]
    let events: [String: Counter]
    let subscribers: Gauge
    let subscribersDropped: Counter
    let snapshotDuration: Gauge
    let snapshotBytes: Gauge
    let snapshotStall: Gauge
    let snapshotsWritten: Counter
    let snapshotFailures: Counter

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        journalAppend = registry.durationHistogram(name: "leeway_journal_append_seconds", labels: [], buckets: Self.durationBuckets,
                                                       help: "Duration of one durable journal transaction (a batch of records and their events, with its fsync).")
        journalLag = registry.durationHistogram(name: "leeway_journal_append_lag_seconds", labels: [], buckets: Self.durationBuckets,
                                                    help: "Time from a request entering the engine's inbox until its commands are durable in the journal (queueing, apply and the fsync): the acknowledgement latency the engine adds.")
        apply = registry.durationHistogram(name: "leeway_apply_seconds", labels: [], buckets: Self.durationBuckets,
                                               help: "Time the engine spent applying one batch of commands (before journaling).")
        commands = Dictionary(uniqueKeysWithValues: CommandType.allCases.map(\.rawValue).map {
            ($0, registry.counter(name: "leeway_commands_total", labels: [("type", $0)], help: "Commands applied, by command type."))
        })
        events = Dictionary(uniqueKeysWithValues: EventType.allCases.map(\.rawValue).map {
            ($0, registry.counter(name: "leeway_events_total", labels: [("type", $0)], help: "Events produced, by event type."))
        })
        subscribers = registry.gauge(name: "leeway_stream_subscribers", labels: [], help: "WebSocket subscribers connected to /v1/stream.")
        subscribersDropped = registry.counter(name: "leeway_stream_subscribers_dropped_total", labels: [],
                                                  help: "WebSocket subscribers closed (code 4001) because they fell behind their buffer of stream_buffer_events.")
        snapshotDuration = registry.gauge(name: "leeway_snapshot_duration_seconds", labels: [],
                                              help: "Seconds the last snapshot took to encode, hash, write and prune (off the engine).")
        snapshotBytes = registry.gauge(name: "leeway_snapshot_bytes", labels: [], help: "Size of the last snapshot written, bytes.")
        snapshotStall = registry.gauge(name: "leeway_snapshot_stall_seconds", labels: [],
                                           help: "Seconds the engine was held up to capture the state for the last snapshot.")
        snapshotsWritten = registry.counter(name: "leeway_snapshots_total", labels: [], help: "Snapshots written since the server started.")
        snapshotFailures = registry.counter(name: "leeway_snapshot_failures_total", labels: [], help: "Snapshots that could not be written since the server started.")
    }

    func countCommand(_ type: String) { commands[type]?.increment() }
    func countEvent(_ type: String) { events[type]?.increment() }
    func recordApply(_ duration: Duration) { apply.record(duration) }
    func recordJournalAppend(_ duration: Duration) { journalAppend.record(duration) }
    func recordJournalLag(_ duration: Duration) { journalLag.record(duration) }
    func setSubscribers(_ count: Int) { subscribers.set(Double(count)) }
    func countLaggingSubscriber() { subscribersDropped.increment() }

    func recordSnapshot(duration: Duration, bytes: Int, stall: Duration) {
        snapshotDuration.set(Self.seconds(duration))
        snapshotBytes.set(Double(bytes))
        snapshotStall.set(Self.seconds(stall))
        snapshotsWritten.increment()
    }

    func countSnapshotFailure() { snapshotFailures.increment() }

    /// A bankruptcy's deficit, and what the insurance fund and ADL covered, in its asset.
    func recordBankruptcy(asset: String, deficit: Fixed, insurancePaid: Fixed, adlRecovered: Fixed) {
        registry.counter(name: "leeway_deficit_total", labels: [("asset", asset)],
                             help: "Bankruptcy deficits since the server started, in the asset's units.").increment(by: deficit.doubleValue)
        registry.counter(name: "leeway_insurance_paid_total", labels: [("asset", asset)],
                             help: "Deficit paid by the insurance fund since the server started, in the asset's units.").increment(by: insurancePaid.doubleValue)
        registry.counter(name: "leeway_adl_recovered_total", labels: [("asset", asset)],
                             help: "Deficit recovered by auto-deleveraging since the server started, in the asset's units.").increment(by: adlRecovered.doubleValue)
    }

    /// One auto-deleveraging fill in `market`.
    func countADLFill(market: String) {
        registry.counter(name: "leeway_adl_fills_total", labels: [("market", market)],
                             help: "Auto-deleveraging fills since the server started, by market.").increment()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// What a scrape reads from the engine: an O(1) copy of the state and a few counters, taken on
    /// the engine's owner; the gauges are computed from it on the scraping request's task.
    public struct EngineView: Sendable {
        public var state: EngineState
        public var inboxDepth: Int
        public var records: Int64
        public var nowMs: Int64
    }

    /// The Prometheus text exposition, with the engine's gauges filled in from `view`.
    public func exposition(_ view: EngineView) -> String {
        let state = view.state
        var phases: [LiquidationPhase: Int] = [:]
        var byMarket = Array(repeating: [LiquidationPhase: Int](), count: state.markets.count)
        for account in state.accounts {
            phases[account.phase, default: 0] += 1
            for position in account.positions where position.market < byMarket.count {
                byMarket[position.market][account.phase, default: 0] += 1
            }
        }
        for phase in LiquidationPhase.allCases {
            registry.gauge(name: "leeway_accounts", labels: [("phase", phase.rawValue)], help: "Accounts, by liquidation phase.")
                .set(Double(phases[phase] ?? 0))
        }
        for (index, market) in state.markets.enumerated() {
            for phase in LiquidationPhase.allCases {
                registry.gauge(name: "leeway_market_accounts", labels: [("market", market.id), ("phase", phase.rawValue)],
                                   help: "Accounts with a position in the market, by the account's liquidation phase.")
                    .set(Double(byMarket[index][phase] ?? 0))
            }
            if let last = market.markTimeMs {
                registry.gauge(name: "leeway_mark_age_seconds", labels: [("market", market.id)],
                                   help: "Seconds since the market's last accepted mark (wall clock minus the engine clock when it was applied; a held mark does not count).")
                    .set(Double(view.nowMs - last) / 1_000)
            }
            registry.gauge(name: "leeway_market_liquidations_paused", labels: [("market", market.id)],
                               help: "1 while the market's mark is older than its max_mark_age_ms and no margin call or forced close is decided for its holders.")
                .set(Double(market.liquidationsPaused ? 1 : 0))
            registry.gauge(name: "leeway_market_mark_held", labels: [("market", market.id)],
                               help: "1 while a mark that moved more than max_mark_move waits for confirmation.")
                .set(Double(market.heldMark == nil ? 0 : 1))
        }
        for (index, asset) in state.assets.enumerated() {
            let balance = index < state.insuranceFund.count ? state.insuranceFund[index] : .zero
            registry.gauge(name: "leeway_insurance_fund", labels: [("asset", asset.id)],
                               help: "Insurance fund balance, in the asset's units.")
                .set(Double(balance.description) ?? .nan)
        }
        registry.gauge(name: "leeway_inbox_depth", labels: [], help: "Requests waiting in the engine's inbox.").set(Double(view.inboxDepth))
        registry.gauge(name: "leeway_journal_records", labels: [], help: "Command records in the journal.").set(Double(view.records))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// The registry's `make…` calls through its descriptor API (the `name:help:` forms are
/// deprecated): `name` is the metric's full name, so no unit suffix is added to it.
extension PrometheusCollectorRegistry {
    fileprivate static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    fileprivate func counter(name: String, labels: [(String, String)], help: String) -> Counter {
        makeCounter(descriptor: Self.descriptor(name, help: help), labels: labels)
    }

    fileprivate func gauge(name: String, labels: [(String, String)], help: String) -> Gauge {
        makeGauge(descriptor: Self.descriptor(name, help: help), labels: labels)
    }

    fileprivate func durationHistogram(name: String, labels: [(String, String)], buckets: [Duration], help: String) -> DurationHistogram {
        makeDurationHistogram(descriptor: Self.descriptor(name, help: help), labels: labels, buckets: buckets)
    }
}
