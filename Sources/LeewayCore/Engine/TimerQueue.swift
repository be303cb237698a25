import HeapModule

/// Deadlines and cooldown ends, earliest first. Entries may be stale (the account was cured); the
/// engine checks the account's own deadline before acting, so a stale entry is harmless.
struct TimerQueue: Sendable {
    struct Entry: Comparable, Sendable {
        var dueMs: Int64
        var account: Int
        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.dueMs, lhs.account) < (rhs.dueMs, rhs.account) }
    }

    private var heap = Heap<Entry>()

    /// The earliest due time queued (possibly of an entry that is no longer current).
    var nextDueMs: Int64? { heap.min?.dueMs }

    mutating func schedule(account: Int, atMs dueMs: Int64) {
        heap.insert(Entry(dueMs: dueMs, account: account))
    }

    /// Removes and returns the accounts with an entry due at or before `nowMs`, without duplicates.
    mutating func popDue(atOrBefore nowMs: Int64) -> [Int] {
        var due: [Int] = []
        var seen = Set<Int>()
        while let top = heap.min, top.dueMs <= nowMs {
            heap.removeMin()
            if seen.insert(top.account).inserted { due.append(top.account) }
        }
        return due
    }
}
