import Synchronization

/// The seq of the last journal record a host has applied, published by the host's owner after
/// each durable batch (leader) or followed batch (follower), and read by every response's
/// `Leeway-Applied-Seq` header (`AppliedSeqMiddleware`) without waiting for the owner.
public final class AppliedSeq: Sendable {
    private let seq = Atomic<Int64>(0)

    public init() {}

    public var value: Int64 { seq.load(ordering: .acquiring) }

    func set(_ value: Int64) { seq.store(value, ordering: .releasing) }
}
