import Synchronization

/// Set when a WebSocket subscriber fell behind: the engine had an event for it while its buffer
/// (`stream_buffer_events`) was full. The engine then stops feeding it; its stream stops at the
/// last event it wrote and closes with `closeCode` and a reason naming that event's `seq`, so the
/// client resumes with `/v1/stream?after=SEQ` and misses nothing (the journal still has the rest).
public final class SubscriberLag: Sendable {
    /// The WebSocket close code for a lagging subscriber (4000–4999 is the application range).
    public static let closeCode: UInt16 = 4001
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// True once the engine dropped this subscriber.
    public var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() { flag.store(true, ordering: .releasing) }

    /// The close reason: `{"code":"subscriber_lagged","last_seq":N,"message":…}` (under the
    /// 123 bytes a close frame allows).
    public static func reason(lastSeq: Int64) -> String {
        #"{"code":"subscriber_lagged","last_seq":\#(lastSeq),"message":"resume with after=\#(lastSeq)"}"#
    }
}
