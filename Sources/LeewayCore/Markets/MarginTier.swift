/// One bracket of a tiered margin schedule: from `floor` notional upward, `imr` and `mmr` apply.
public struct MarginTier: Sendable, Hashable, Codable {
    /// The lowest position notional (|size| × mark, settle-asset units) this tier covers.
    public let floor: Fixed
    /// Initial margin rate.
    public let imr: Fixed
    /// Maintenance margin rate.
    public let mmr: Fixed

    public init(floor: Fixed, imr: Fixed, mmr: Fixed) {
        self.floor = floor
        self.imr = imr
        self.mmr = mmr
    }
}
