/// A record and the events its command produced, ready to be written by `JournalStore.append`.
public struct JournalEntry: Sendable {
    public var record: JournalRecord
    /// (event seq, account it concerns or nil, JSON line).
    public var events: [(seq: Int64, account: String?, line: String)]

    public init(record: JournalRecord, events: [(seq: Int64, account: String?, line: String)]) {
        self.record = record
        self.events = events
    }
}
