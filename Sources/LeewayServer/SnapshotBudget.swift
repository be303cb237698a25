/// How often automatic snapshots may start: at most `percent` % of one core over each cycle of a
/// snapshot and the pause after it (`snapshot_cpu_percent`).
///
/// A snapshot that took d (encoding the state, its digest, writing it) pauses the next automatic
/// one until ⌈d·(100 − p)/p⌉ ms after it ended, p = `percent`: the snapshot then used d of the
/// cycle's d·100/p, p %. (With p = 25 a 0.9 s snapshot at 100k accounts is followed by 2.7 s
/// without one.) Instants are the server's wall clock in ms (the clock that stamps commands); a
/// clock stepped back before the last snapshot's end holds nothing off.
struct SnapshotBudget: Sendable {
    let percent: Int
    /// When the last snapshot ended, and no automatic snapshot before `earliestNextMs`; nil: none yet.
    private(set) var lastEndMs: Int64?
    private(set) var earliestNextMs: Int64?

    init(percent: Int) {
        precondition((1...100).contains(percent), "snapshot_cpu_percent is validated to 1...100")
        self.percent = percent
    }

    /// Whether an automatic snapshot may start at `nowMs`.
    func allows(atMs nowMs: Int64) -> Bool {
        guard let lastEndMs, let earliestNextMs else { return true }
        return nowMs >= earliestNextMs || nowMs < lastEndMs
    }

    /// The pause after a snapshot that took `took`: ⌈d·(100 − p)/p⌉ ms (µs resolution, rounded up).
    func pauseMs(after took: Duration) -> Int64 {
        let (seconds, attoseconds) = took.components
        let micros = Swift.max(0, Swift.min(seconds, 86_400) * 1_000_000 + attoseconds / 1_000_000_000_000)
        let scaled = micros * Int64(100 - percent)
        let divisor = Int64(percent) * 1_000
        return (scaled + divisor - 1) / divisor
    }

    /// A snapshot that took `took` ended at `endMs`.
    mutating func finished(atMs endMs: Int64, took: Duration) {
        lastEndMs = endMs
        earliestNextMs = endMs + pauseMs(after: took)
    }
}
