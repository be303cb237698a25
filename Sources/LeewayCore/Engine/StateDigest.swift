/// A SHA-256 hash of the engine's canonical state: equal histories give equal digests on any
/// machine, and any difference in a balance, position, lifecycle state, price, policy, the clock
/// or the idempotency store gives a different one. Derived indexes are not covered (they are
/// rebuilt from the state).
///
/// The bytes hashed are `EngineState`'s description (`StateDescribable`), walked by
/// `CanonicalHashVisitor` (see there for the byte form): the snapshot (`LeewayWire.StateSnapshotWriter`)
/// is written from the same description, so a stored field cannot be in one and missing from the
/// other (`StateDescriptionTests` checks every stored property is described).
public struct StateDigest: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Lower-case hex.
    public var description: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in bytes { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 0x0F)]) }
        return text
    }

    public init(of state: EngineState) {
        bytes = CanonicalHashVisitor.digest(of: state)
    }
}

extension Engine {
    /// The digest of the current state.
    public var digest: StateDigest { StateDigest(of: state) }
}
