import CPrefetch

/// Cache prefetching for the evaluation queue. A crash tick evaluates hundreds of thousands of
/// accounts in account order, each touching memory no other account shares: its `Account` record,
/// the heap buffers of its balances and positions, and its records in the margin columns. Loaded
/// on demand these are one cache miss after another (`perf`: the loads of an account's record and
/// its column run were the hottest instructions of a crash tick). Asking for them a few accounts
/// ahead lets the misses overlap with the work on the current account.
///
/// Two stages, because the buffers' addresses are only known once the record is in the cache:
/// the records of the account `recordDistance` ahead, the buffers of the one `bufferDistance` ahead.
/// Hints only: nothing here changes a value, an event or the order of anything. The functions are
/// `mutating` although they write nothing: called from the mutating evaluation loop, a
/// non-mutating method made Swift copy the whole engine on every call.
extension Engine {
    /// How far ahead in the queue the records (then the buffers) of an account are requested.
    static let prefetchRecordDistance = 12
    static let prefetchBufferDistance = 6

    /// Requests the fixed-size records of `account`: its `Account` value (96 bytes: two lines),
    /// its column run, its balance row and its lifecycle bookkeeping.
    @inline(__always)
    mutating func prefetchRecords(of account: Int) {
        state.accounts.withUnsafePointer(to: account) { pointer in
            let record = UnsafeRawPointer(pointer)
            leeway_prefetch_write(record)
            leeway_prefetch_write(record + MemoryLayout<Account>.size - 1)
        }
        index.columns.runs.withUnsafeBufferPointer { leeway_prefetch_write($0.baseAddress! + account) }
        let stride = index.columns.balanceStride
        index.columns.balances.withUnsafeBufferPointer { leeway_prefetch_write($0.baseAddress! + account * stride) }
        index.triggerVersions.withUnsafeBufferPointer { leeway_prefetch_write($0.baseAddress! + account) }
        index.liveTriggerEntries.withUnsafeBufferPointer { leeway_prefetch_write($0.baseAddress! + account) }
    }

    /// Requests what `account`'s records point to: the storage of its balances and positions (the
    /// object header, which a copy retains, and the first elements) and its first position slot.
    ///
    /// An array's storage address is read as the raw word the `Account` holds (an `Array` is one
    /// reference to its storage; the elements follow a 32-byte header): going through the `Array`
    /// would retain it, a write to the very line the prefetch is for.
    @inline(__always)
    mutating func prefetchBuffers(of account: Int) {
        state.accounts.withUnsafePointer(to: account) { pointer in
            let record = UnsafeRawPointer(pointer)
            Self.prefetchArrayStorage(in: record, atOffset: Self.balancesOffset)
            Self.prefetchArrayStorage(in: record, atOffset: Self.positionsOffset)
        }
        let start = Int(index.columns.runs[account].start)
        index.columns.slots.withUnsafeBufferPointer { slots in
            if start < slots.count { leeway_prefetch_write(slots.baseAddress! + start) }
        }
    }

    /// Prefetches the storage of the array stored at `offset` bytes into `record`.
    @inline(__always)
    private static func prefetchArrayStorage(in record: UnsafeRawPointer, atOffset offset: Int) {
        guard offset >= 0, let storage = record.load(fromByteOffset: offset, as: UnsafeRawPointer?.self) else { return }
        leeway_prefetch_write(storage)
        leeway_prefetch_read(storage + arrayHeaderBytes)
    }

    /// Byte offsets of `Account.balances` and `Account.positions` in an `Account` (−1: not
    /// addressable, then no prefetch).
    private static let balancesOffset = MemoryLayout<Account>.offset(of: \Account.balances) ?? -1
    private static let positionsOffset = MemoryLayout<Account>.offset(of: \Account.positions) ?? -1
    /// The object header before an array's first element (metadata, reference counts, count, capacity).
    private static let arrayHeaderBytes = 32
}
