/// An account's standing instruction to cure margin calls from its reserve (the `protect`
/// command), as Binance's auto-add-margin does: at a margin call the engine moves from the reserve
/// balance of `asset` into collateral what restores the cure line, up to `maxAmount` in total.
public struct AutoTopup: Sendable, Hashable, Codable {
    /// Index of the reserve asset in the engine's asset table.
    public var asset: Int
    /// The most the engine may move in total under this instruction.
    public var maxAmount: Fixed
    /// What it has moved so far (never above `maxAmount`).
    public var usedAmount: Fixed

    public init(asset: Int, maxAmount: Fixed, usedAmount: Fixed = .zero) {
        self.asset = asset
        self.maxAmount = maxAmount
        self.usedAmount = usedAmount
    }

    /// How much more the instruction allows: maxAmount − usedAmount.
    public var remaining: Fixed { Fixed(raw: maxAmount.raw - usedAmount.raw) }
}
