import HeapModule

/// Per-market trigger bands: for each account with a position in the market, the price interval
/// within which no liquidation threshold of the account can be crossed. A mark update pops only
/// the accounts whose band the new price leaves, so its cost is proportional to the accounts whose
/// phase may change, not to all accounts.
///
/// Entries are never removed in place: each re-index bumps the account's version and pushes fresh
/// entries; stale ones are skipped when popped and dropped when the heaps are compacted.
struct TriggerIndex: Sendable {
    struct Entry: Comparable, Sendable {
        /// The band edge, in raw price units.
        var priceRaw: Int64
        var account: Int32
        var version: UInt32
        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.priceRaw, lhs.account) < (rhs.priceRaw, rhs.account)
        }
    }

    /// Lower band edges: a mark below `priceRaw` triggers (popped from the max end).
    var lowerEdges = Heap<Entry>()
    /// Upper band edges: a mark above `priceRaw` triggers (popped from the min end).
    var upperEdges = Heap<Entry>()

    var count: Int { lowerEdges.count + upperEdges.count }

    /// Files one band; returns how many heap entries it added (0–2).
    @discardableResult
    mutating func insert(account: Int, version: UInt32, lowerRaw: Int64?, upperRaw: Int64?) -> Int {
        var added = 0
        if let lowerRaw { lowerEdges.insert(Entry(priceRaw: lowerRaw, account: Int32(account), version: version)); added += 1 }
        if let upperRaw { upperEdges.insert(Entry(priceRaw: upperRaw, account: Int32(account), version: version)); added += 1 }
        return added
    }

    /// Drops every entry whose version is no longer the account's current one, in O(entries)
    /// (the heaps are rebuilt from the surviving entries; no band is recomputed).
    ///
    /// The rebuilt heaps keep the room the old ones had (compaction runs when stale entries
    /// outnumber live ones, so about twice the live count): the inserts until the next compaction
    /// then never reallocate and copy the heap.
    mutating func dropStale(versions: [UInt32]) {
        var none: [Int] = []
        lowerEdges = Self.removeAll(of: lowerEdges, where: { versions[Int($0.account)] != $0.version }, versions: versions, into: &none)
        upperEdges = Self.removeAll(of: upperEdges, where: { versions[Int($0.account)] != $0.version }, versions: versions, into: &none)
    }

    /// Pops every entry whose band excludes `priceRaw`, appending accounts whose entry is current
    /// (in no particular order: the caller sorts); returns how many entries it removed.
    ///
    /// Entries are popped one by one (O(k log n) for k of n) until more than n/16 have gone; a move
    /// that triggers more than that (a crash) takes the rest in one partition of the heap's
    /// storage and one O(n) heapify of what stays, the same entries removed either way.
    @discardableResult
    mutating func popTriggered(byPriceRaw priceRaw: Int64, versions: [UInt32], into accounts: inout [Int]) -> Int {
        let before = count
        let popLimit = Swift.max(64, count / 16)
        var popped = 0
        while let top = lowerEdges.max, top.priceRaw > priceRaw {
            if popped == popLimit {
                lowerEdges = Self.removeAll(of: lowerEdges, where: { $0.priceRaw > priceRaw }, versions: versions, into: &accounts)
                break
            }
            lowerEdges.removeMax()
            popped += 1
            if versions[Int(top.account)] == top.version { accounts.append(Int(top.account)) }
        }
        popped = 0
        while let top = upperEdges.min, top.priceRaw < priceRaw {
            if popped == popLimit {
                upperEdges = Self.removeAll(of: upperEdges, where: { $0.priceRaw < priceRaw }, versions: versions, into: &accounts)
                break
            }
            upperEdges.removeMin()
            popped += 1
            if versions[Int(top.account)] == top.version { accounts.append(Int(top.account)) }
        }
        return before - count
    }

    /// The heap without the entries `removed` selects, appending the accounts of the removed
    /// entries that are current (a caller dropping stale entries gets none). The new heap keeps
    /// room for `heap.count` entries, so the inserts that follow do not reallocate it.
    private static func removeAll(of heap: Heap<Entry>, where removed: (Entry) -> Bool, versions: [UInt32],
                                  into accounts: inout [Int]) -> Heap<Entry> {
        var kept = ContiguousArray<Entry>()
        kept.reserveCapacity(heap.count)
        for entry in heap.unordered {
            if !removed(entry) { kept.append(entry) }
            else if versions[Int(entry.account)] == entry.version { accounts.append(Int(entry.account)) }
        }
        return Heap(kept)
    }

    mutating func removeAll() {
        lowerEdges = Heap()
        upperEdges = Heap()
    }
}
