/// A mark that moved more than its market's `max_mark_move` and waits for confirmation (see
/// `OracleGuard`): not applied, stored so a confirming mark can be recognised.
public struct HeldMark: Sendable, Hashable, Codable {
    public var price: Fixed
    /// The engine clock when it arrived (ms); it is discarded once the clock passes
    /// `receivedMs + confirm_ms` without a confirming mark.
    public var receivedMs: Int64

    public init(price: Fixed, receivedMs: Int64) {
        self.price = price
        self.receivedMs = receivedMs
    }
}
