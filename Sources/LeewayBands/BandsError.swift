/// Every refusal of the bands module: a stable `code` for machines and a sentence a person can act on.
///
/// Nothing is changed when one of these is thrown: operations validate before they mutate.
public struct BandsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable code (e.g. `bands.invalid_amplification`).
    public let code: String
    /// What went wrong and what to do about it.
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func invalidParameter(_ code: String, _ message: String) -> BandsError { BandsError("bands.\(code)", message) }
}

/// Parameter limits shared by the AMM, the loans and the loss simulator (the contract's own bounds).
public enum BandsLimits {
    /// Smallest amplification: bands are 1/A wide, A = 1 would make them infinitely wide.
    public static let minimumA = 2
    /// Largest amplification the contract deploys with.
    public static let maximumA = 10_000
    /// A loan spreads its collateral over at least this many bands.
    public static let minimumBands = 4
    /// …and at most this many (`MAX_TICKS`).
    public static let maximumBands = 50
    /// Smallest base fee (1e-12, the factory's MIN_FEE).
    public static let minimumFee = 1e-12

    /// Largest base fee for amplification `A`: min(4/A, 10 %) (the factory's MAX_FEE rule).
    public static func maximumFee(a: Int) -> Double { Swift.min(4.0 / Double(a), 0.1) }

    /// Checks A, N and the fee; throws the first violation.
    public static func validate(a: Int, bands: Int?, fee: Double) throws(BandsError) {
        guard a >= minimumA, a <= maximumA else {
            throw .invalidParameter("invalid_amplification", "A must be between \(minimumA) and \(maximumA); got \(a).")
        }
        if let bands {
            guard bands >= minimumBands, bands <= maximumBands else {
                throw .invalidParameter("invalid_band_count", "the number of bands N must be between \(minimumBands) and \(maximumBands); got \(bands).")
            }
        }
        let maxFee = maximumFee(a: a)
        guard fee.isFinite, fee >= minimumFee, fee <= maxFee else {
            throw .invalidParameter("invalid_fee", "the fee must be between 1e-12 and min(4/A, 0.1) = \(maxFee) for A = \(a); got \(fee).")
        }
    }
}
