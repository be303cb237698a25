import Foundation
import LeewayCore
import LeewayJournal
import LeewayWire
import Logging

/// The one owner of the engine state. Requests queue in an inbox; a drain takes everything queued,
/// applies it in order through `Engine.apply`, writes the records and their events to the journal
/// in one durable transaction (group commit), and only then answers the requests and publishes
/// the events to streams. Reads run between batches, on a consistent state.
///
/// A host *follows* instead (`HostRole.following`, a `--standby` server while another leads the
/// PostgreSQL journal): it refuses commands with 421 and applies the records the leader committed,
/// through the same `Engine.apply` (`EngineHost+Following`), until `lead` makes it the leader.
public actor EngineHost {
    struct WorkItem {
        var commands: [PreparedCommand]
        var continuation: CheckedContinuation<[CommandOutcome], any Error>
        /// When the request entered the inbox (for the journal append lag).
        var enqueued: ContinuousClock.Instant
    }

    var engine: Engine
    public nonisolated let journal: any JournalStore
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics
    let nowMs: @Sendable () -> Int64
    var head: (seq: Int64, hash: [UInt8]) {
        didSet { appliedSeq.set(head.seq) }
    }
    /// The last record applied (and committed), readable without waiting for the owner.
    public nonisolated let appliedSeq = AppliedSeq()
    /// Leading (taking commands) or following another server's journal.
    public internal(set) var role: HostRole
    var lastSnapshotSeq: Int64
    var inbox: [WorkItem] = []
    var draining = false
    var failure: ServerError?
    /// Set when even the journal's acknowledged state cannot be rebuilt: nothing may be read.
    var readFailure: ServerError?

    /// Why writes (and, with `readFailure`, reads) are refused; nil while healthy.
    public var unavailability: ServerError? { readFailure ?? failure }
    var subscribers: [UUID: Subscriber] = [:]
    var lastEventSeq: Int64

    struct Subscriber {
        var accounts: Set<String>?
        var continuation: AsyncStream<(seq: Int64, line: String)>.Continuation
        var lag: SubscriberLag
    }

    /// Recovers the engine from `journal` (a snapshot + replay that checks the newest snapshot
    /// against the journal; see `Recovery.recover`) and prepares to serve. `rebuildingSnapshots`
    /// replays the whole journal and deletes snapshots that disagree with it, instead of refusing.
    /// `role` says whether it takes commands now or follows the journal another server leads.
    public init(journal: any JournalStore, configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics,
                rebuildingSnapshots: Bool = false, role: HostRole = .leading, nowMs: @escaping @Sendable () -> Int64) throws(JournalError) {
        let outcome = try Recovery.recover(journal, rebuildingSnapshots: rebuildingSnapshots)
        for warning in outcome.warnings { logger.warning("\(warning)") }
        logger.info("recovered the engine", metadata: [
            "records": "\(outcome.head.seq)", "replayed_from_snapshot": "\(outcome.snapshotSeq)", "replayed": "\(outcome.replayedRecords)",
            "snapshots_checked": "\(outcome.checkedSnapshots.map(String.init).joined(separator: ","))",
        ])  // no digest here: at a million accounts it would add most of a second to start-up (`/v1/status` has it)
        engine = outcome.engine
        head = outcome.head
        self.role = role
        lastSnapshotSeq = Swift.max(outcome.snapshotSeq, outcome.checkedSnapshots.last ?? 0)
        lastEventSeq = outcome.engine.state.nextSeq - 1
        self.journal = journal
        self.configuration = configuration
        snapshotBudget = SnapshotBudget(percent: configuration.snapshotCPUPercent)
        self.logger = logger
        self.metrics = metrics
        self.nowMs = nowMs
        appliedSeq.set(outcome.head.seq)
        // A journal whose clock is ahead of this machine's (its clock was set back, or the journal
        // came from elsewhere): commands are stamped with the engine clock and timers wait until
        // the wall clock passes it. Said once, so an operator is not left wondering.
        let ahead = outcome.engine.state.clockMs - nowMs()
        if ahead > configuration.maxClockAheadMs {
            logger.warning("the engine clock from the journal is ahead of the wall clock; deadlines and steps wait until the wall clock passes it", metadata: [
                "engine_clock_ms": "\(outcome.engine.state.clockMs)", "ahead_ms": "\(ahead)",
            ])
        }
    }

    /// Brings the engine's idempotency window to the configured one, through the journal (an
    /// `idempotency` command), so that a replay of the journal expires ids exactly as the live
    /// server did. Does nothing when neither setting is configured or both already hold.
    public func applyConfiguredIdempotency() async throws {
        let window = configuration.idempotencyWindowMs ?? engine.state.idempotencyWindowMs
        let maxIDs = configuration.idempotencyMaxIDs ?? engine.state.idempotencyMaxIDs
        guard window != engine.state.idempotencyWindowMs || maxIDs != engine.state.idempotencyMaxIDs else { return }
        var object = JSONObject()
        object.append("type", .string(CommandType.idempotency.rawValue))
        object.append("window_ms", .number(String(window)))
        object.append("max_ids", .number(String(maxIDs)))
        let outcomes = try await submit([object])
        if let rejected = outcomes.first?.events.first(where: { $0.kind.type == .rejected }), case let .rejected(_, code, message) = rejected.kind {
            throw ServerError(status: 0, code: code.rawValue, message: "the configured idempotency window was refused: \(message)")
        }
    }

    /// What one submitted command came to: its journal record (nil for a retried id, which is not
    /// journaled again) and its events.
    public struct CommandOutcome: Sendable {
        public var record: Int64?
        public var events: [Event]
    }

    /// Queues a batch and returns the outcome of each command once it is durable; each command is
    /// decoded and written as its journal line here, off the owner (an invalid one is journaled
    /// as a rejection). See `submit(prepared:)`.
    public func submit(_ commands: [JSONObject]) async throws -> [CommandOutcome] {
        try await submit(prepared: commands.map(PreparedCommand.init))
    }

    /// Queues a validated, prepared batch and returns the outcome of each command once it is
    /// durable. A command whose `ts` is more than `max_clock_ahead_ms` ahead of the wall clock
    /// refuses the whole batch before anything is queued (`ts_ahead_of_clock`, see `checkTimestamps`).
    public func submit(prepared commands: [PreparedCommand]) async throws -> [CommandOutcome] {
        try refuseUnlessLeading()
        if let failure { throw failure }
        try checkTimestamps(commands.map(\.object))
        guard inbox.count < configuration.inboxLimit else {
            throw ServerError(status: 503, code: "overloaded", message: "the engine's inbox is full; retry shortly", retryAfterSeconds: 1)
        }
        return try await withCheckedThrowingContinuation { continuation in
            inbox.append(WorkItem(commands: commands, continuation: continuation, enqueued: .now))
            if !draining {
                draining = true
                Task { self.drain() }
            }
        }
    }

    func drain() {
        while !inbox.isEmpty {
            let batch = inbox
            inbox = []
            process(batch)
        }
        draining = false
    }

    /// Applies one batch, journals it durably, then answers and publishes.
    func process(_ batch: [WorkItem]) {
        if let failure {
            for item in batch { item.continuation.resume(throwing: failure) }
            return
        }
        var entries: [JournalEntry] = []
        var results: [[CommandOutcome]] = []
        var previous = head
        var appliedTypes: [String] = []
        let applyStart = ContinuousClock.now
        for item in batch {
            var itemEvents: [CommandOutcome] = []
            for var command in item.commands {
                if !command.hasTimestamp { command.stamp(ms: Swift.max(nowMs(), engine.clockMs)) }
                let seq = previous.seq + 1
                let line = command.line
                let events: [Event]
                switch command.decoded {
                case .command(var envelope):
                    // A retried id: answer with the original outcome, journal nothing (its events
                    // are already journaled; a new record would only repeat them).
                    if let id = envelope.id, let original = engine.originalEvents(ofCommandID: id, asOfMs: envelope.timestampMs) {
                        itemEvents.append(CommandOutcome(record: nil, events: original))
                        continue
                    }
                    // Rejections name the command by its journal record, as a replay of the line would.
                    envelope.line = Int(seq)
                    events = engine.apply(envelope)
                    appliedTypes.append(envelope.command.typeName)
                case .invalid(let error, let id):
                    // Refused before queuing when it came over HTTP; an internal caller's invalid
                    // command is journaled as its rejection, without touching the engine.
                    events = engine.reject(id.map(CommandReference.id) ?? .line(Int(seq)), code: error.code, message: error.message)
                case .skip:
                    continue
                }
                let hash = JournalRecord.chainHash(previous: previous.hash, seq: seq, line: line)
                previous = (seq, hash)
                entries.append(Self.entry(JournalRecord(seq: seq, line: line, hash: hash), events: events))
                itemEvents.append(CommandOutcome(record: seq, events: events))
            }
            results.append(itemEvents)
        }
        metrics.recordApply(ContinuousClock.now - applyStart)
        let journalStart = ContinuousClock.now
        do {
            try journal.append(entries)
        } catch {
            // The engine is now ahead of the journal. Nothing unjournaled may be read or
            // snapshotted: rebuild the engine from the journal (exactly the acknowledged state),
            // stop taking commands, and say why on /healthz. A restart resumes.
            let failure = ServerError(status: 503, code: "journal_unavailable", message: "the journal cannot be written (\(error)); restart the server")
            self.failure = failure
            logger.critical("journal append failed; refusing further commands", metadata: ["error": "\(error)"])
            do {
                engine = try Recovery.recover(journal).engine
                lastEventSeq = engine.state.nextSeq - 1
            } catch {
                logger.critical("cannot rebuild the engine from the journal; reads are refused too", metadata: ["error": "\(error)"])
                readFailure = ServerError(status: 503, code: "journal_unavailable", message: "the journal cannot be read (\(error)); restart the server")
                engine = Engine()
            }
            for item in batch { item.continuation.resume(throwing: failure) }
            return
        }
        let durable = ContinuousClock.now
        metrics.recordJournalAppend(durable - journalStart)
        for item in batch { metrics.recordJournalLag(durable - item.enqueued) }
        countApplied(types: appliedTypes, outcomes: results)
        head = previous
        for (item, events) in zip(batch, results) { item.continuation.resume(returning: events) }
        publish(entries)
        snapshotIfDue()
    }

    /// A record and its events as the journal stores them (and `publish` sends them).
    static func entry(_ record: JournalRecord, events: [Event]) -> JournalEntry {
        JournalEntry(record: record, events: events.map { (seq: $0.seq, account: $0.kind.account, line: EventEncoder.encode($0)) })
    }

    /// Counts what a durable batch applied (never what a failed append rolled back).
    func countApplied(types: [String], outcomes: [[CommandOutcome]]) {
        for type in types { metrics.countCommand(type) }
        for outcome in outcomes.joined() where outcome.record != nil {
            for event in outcome.events {
                metrics.countEvent(event.kind.typeName)
                switch event.kind {
                case let .bankrupt(_, asset, deficit, insurancePaid, adlRecovered):
                    metrics.recordBankruptcy(asset: asset, deficit: deficit, insurancePaid: insurancePaid, adlRecovered: adlRecovered)
                case .adlFill(_, let market, _, _, _):
                    metrics.countADLFill(market: market)
                default:
                    break
                }
            }
        }
    }

    /// Hands each event to the subscribers that may see it. A subscriber whose buffer is full has
    /// fallen behind: it is dropped (its stream ends with the events it already has, and its
    /// connection closes with `SubscriberLag.closeCode`), never silently skipped past.
    func publish(_ entries: [JournalEntry]) {
        var lagging: [UUID] = []
        for entry in entries {
            for event in entry.events {
                lastEventSeq = event.seq
                for (id, subscriber) in subscribers {
                    if let accounts = subscriber.accounts {
                        guard let account = event.account, accounts.contains(account) else { continue }
                    }
                    if case .dropped = subscriber.continuation.yield((event.seq, event.line)), !subscriber.lag.isSet {
                        subscriber.lag.set()
                        lagging.append(id)
                    }
                }
            }
        }
        for id in lagging {
            subscribers[id]?.continuation.finish()
            subscribers[id] = nil
            metrics.countLaggingSubscriber()
        }
        if !lagging.isEmpty { metrics.setSubscribers(subscribers.count) }
    }

    /// Starts a snapshot of the current state (after the last durable record), unless one is
    /// still being written. The owner only takes the state (an O(1) copy-on-write value: the
    /// first later write to each array copies it once); encoding, hashing, writing and pruning
    /// (keeping the newest `snapshotsKept`) run on another task.
    public func snapshot() {
        // After a journal failure the engine was rebuilt from the journal, but the journal itself
        // is suspect: write nothing more to it. A follower writes none: snapshots are the leader's.
        guard role == .leading, failure == nil, snapshotInProgress == nil else { return }
        guard head.seq > lastSnapshotSeq || head.seq == 0 else { return }
        let captureStart = ContinuousClock.now
        let state = engine.state
        let seq = head.seq
        let journal = journal, logger = logger, kept = configuration.snapshotsKept, metrics = metrics
        lastSnapshotSeq = seq
        let stall = ContinuousClock.now - captureStart
        snapshotInProgress = Task.detached {
            let started = ContinuousClock.now
            do {
                // Encoded, hashed and written at a lower priority than the commands (LowPriorityThread).
                let (bytes, pruned) = try await LowPriorityThread.run {
                    let encoded = SnapshotCodec.encode(state)
                    try journal.saveSnapshot(JournalSnapshot(seq: seq, state: encoded, digest: StateDigest(of: state).description))
                    return (encoded.count, try journal.pruneSnapshots(keeping: kept))
                }
                let duration = ContinuousClock.now - started
                metrics.recordSnapshot(duration: duration, bytes: bytes, stall: stall)
                logger.info("snapshot saved", metadata: ["record": "\(seq)", "bytes": "\(bytes)", "pruned": "\(pruned)",
                                                         "seconds": "\(duration)"])
            } catch {
                metrics.countSnapshotFailure()
                logger.error("snapshot failed", metadata: ["error": "\(error)"])
            }
            await self.snapshotFinished(took: ContinuousClock.now - started)
        }
    }

    /// The snapshot being written in the background, if any.
    var snapshotInProgress: Task<Void, Never>?
    /// When automatic snapshots may start (`snapshot_cpu_percent`).
    var snapshotBudget: SnapshotBudget

    /// Snapshots when `snapshot_every` records have been journaled since the last one and the
    /// CPU budget allows (after each batch, and at each tick so an idle server catches up).
    func snapshotIfDue() {
        if head.seq - lastSnapshotSeq >= configuration.snapshotEvery, snapshotBudget.allows(atMs: nowMs()) { snapshot() }
    }

    /// Ends the snapshot in progress, which took `took`, and pauses automatic ones per the budget.
    func snapshotFinished(took: Duration) {
        snapshotInProgress = nil
        snapshotBudget.finished(atMs: nowMs(), took: took)
    }

    /// Waits for the snapshot being written, if any.
    public func waitForSnapshot() async {
        if let task = snapshotInProgress { await task.value }
    }

    /// Stops taking commands because this server no longer leads the journal (another server took
    /// its lease: it was paused or cut off too long). The engine holds exactly what was committed,
    /// so reads go on; every command is refused with 503 `not_leader` and the reason.
    public func stepDown(reason: String) {
        guard failure == nil else { return }
        failure = ServerError(status: 503, code: "not_leader",
                              message: "this server no longer leads the journal (\(reason)); another leeway serve does: send commands to it")
        logger.critical("stepped down: another server leads the journal", metadata: ["reason": "\(reason)"])
    }

    /// Graceful shutdown: answer everything queued, then write a final snapshot and wait for it.
    public func shutdown() async {
        drain()
        await waitForSnapshot()
        snapshot()
        await waitForSnapshot()
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers = [:]
    }

    // MARK: - Time

    /// Refuses a batch in which a command's `ts` is beyond the wall clock + `max_clock_ahead_ms`.
    /// A live server's clock is the wall clock: a later `ts` would fire every deadline before it at
    /// once (margin calls expiring early) and stamp every later command with that future time,
    /// while the ticker waits for the wall clock to catch up. The check is here, before queuing,
    /// and not in the engine: the engine has no wall clock, and a journaled refusal would be
    /// applied when the journal is replayed. A `ts` in the past is the engine's to judge
    /// (`clock_regression` when it is before the engine clock).
    func checkTimestamps(_ commands: [JSONObject]) throws(ServerError) {
        let now = nowMs()
        let limit = now > Int64.max - configuration.maxClockAheadMs ? Int64.max : now + configuration.maxClockAheadMs
        for (index, command) in commands.enumerated() {
            guard case .number(let text)? = command["ts"], let ts = Int64(text), ts > limit else { continue }
            throw ServerError.badRequest("ts_ahead_of_clock", "nothing was applied; command \(index + 1): ts \(ts) is \(ts - now) ms ahead of "
                + "the server clock \(now), beyond max_clock_ahead_ms (\(configuration.maxClockAheadMs)); leave ts out and the server "
                + "stamps the command with its own clock, deadlines then fire as the clock reaches them")
        }
    }

    /// Issues a `time` command when a deadline or step is due (the ticker's call).
    public func tick() async {
        if role == .leading, failure == nil { snapshotIfDue() }
        let now = nowMs()
        guard role == .leading, let due = engine.nextTimerDueMs, due <= now, now > engine.clockMs, failure == nil else { return }
        _ = try? await submit([JSONObject([("type", .string("time")), ("ts", .number(String(now)))])])
    }

    // MARK: - Reads

    /// What `/v1/status` reports, with the state itself (an O(1) copy-on-write value) so that the
    /// caller hashes it off the engine: the owner is never held up by a digest of the whole state.
    public var status: (records: Int64, events: Int64, clockMs: Int64, accounts: Int, state: EngineState, role: HostRole) {
        (head.seq, lastEventSeq, engine.clockMs, engine.state.accounts.count, engine.state, role)
    }

    /// The last event published (applied and committed): reads of stored events stop there, so a
    /// follower never shows an event of a record it has not applied.
    public var lastPublishedEventSeq: Int64 { lastEventSeq }

    public func report(account: String) -> MarginReport? { engine.marginReport(account: account, hedges: true) }

    /// The asset a bare `deposit=AMOUNT` what-if uses: the first market's settle asset.
    public var defaultSettleAsset: String { engine.primarySettleAsset ?? "USDC" }

    public func whatIf(account: String, deposit: (asset: String, amount: Fixed)?, reduce: (market: String, quantity: Fixed)?,
                       trade: (market: String, size: Fixed)?) throws(Rejection) -> MarginReport {
        try engine.whatIf(account: account, deposit: deposit, reduce: reduce, trade: trade)
    }

    /// Reports of accounts (optionally only in `phase`, only `visible` ones), ordered by margin
    /// ratio (highest first) or id, at most `limit`.
    /// `Engine.accountReports` on a copy of the engine, off the owner: a list over a million
    /// accounts ranks them all, which must not hold up the commands.
    public func reports(phase: LiquidationPhase?, orderByMarginRatio: Bool, limit: Int, visible: [String]?) async -> [MarginReport] {
        let engine = self.engine
        return await Task.detached {
            engine.accountReports(phase: phase, order: orderByMarginRatio ? .marginRatio : .id, limit: limit, among: visible)
        }.value
    }

    public var markets: [Market] { engine.state.markets }
    public var assets: [Asset] { engine.state.assets }
    public var insuranceFunds: [(asset: String, amount: WideAmount)] {
        engine.state.assets.enumerated().map { index, asset in
            (asset.id, index < engine.state.insuranceFund.count ? engine.state.insuranceFund[index] : .zero)
        }
    }

    /// What `/metrics` needs from the engine: O(1) to take; the caller computes the gauges.
    public var metricsView: ServerMetrics.EngineView {
        ServerMetrics.EngineView(state: engine.state, inboxDepth: inbox.count, records: head.seq, nowMs: nowMs())
    }

    // MARK: - Streams

    /// Subscribes to live events (only those about `accounts` when given); returns the events'
    /// stream and the last event seq published before the subscription, so a caller can read the
    /// backlog from the journal up to that seq and then follow the stream without gap or repeat.
    ///
    /// The stream buffers at most `stream_buffer_events` events (the oldest are kept: what it
    /// holds is always gapless); `lag` is set when the subscriber was dropped for falling behind.
    public func subscribe(accounts: Set<String>?) -> (id: UUID, stream: AsyncStream<(seq: Int64, line: String)>, lastSeq: Int64, lag: SubscriberLag) {
        let (stream, continuation) = AsyncStream<(seq: Int64, line: String)>.makeStream(
            bufferingPolicy: .bufferingOldest(configuration.streamBufferEvents))
        let id = UUID(), lag = SubscriberLag()
        subscribers[id] = Subscriber(accounts: accounts, continuation: continuation, lag: lag)
        metrics.setSubscribers(subscribers.count)
        return (id, stream, lastEventSeq, lag)
    }

    public func unsubscribe(_ id: UUID) {
        subscribers[id]?.continuation.finish()
        subscribers[id] = nil
        metrics.setSubscribers(subscribers.count)
    }
}
