/// The scenario grid of one underlying for accounts on the `portfolio` margin model
/// (`portfolio_params`, spec part 3). Defaults are the spec's examples.
public struct PortfolioParams: Sendable, Hashable, Codable {
    /// The largest ordinary price move, as a fraction of the mark (moves are ±1/3, ±2/3, ±1 of it).
    public var scanRange = Fixed(raw: 15_000_000)
    /// Volatility factors 1 − vol_shift, 1, 1 + vol_shift.
    public var volShift = Fixed(raw: 30_000_000)
    /// The extreme moves are ± extreme_multiple × scan_range …
    public var extremeMultiple = Fixed(raw: 200_000_000)
    /// … and count this fraction of their loss.
    public var extremeFraction = Fixed(raw: 35_000_000)
    /// IM = MM × im_factor.
    public var imFactor = Fixed(raw: 130_000_000)
    /// Per net short option: short_option_charge × mark × contract_size × |size| added to MM.
    public var shortOptionCharge = Fixed(raw: 1_000_000)

    /// Leeway's extension: the correlation ρ ∈ [0, 1] of this underlying with every other
    /// underlying that sets one. An account's underlyings with a correlation combine their scan
    /// risks by `PortfolioMargin.correlatedScan` at the smallest ρ among them; nil: none (the scan
    /// risk is added on its own, as the spec does).
    public var correlation: Fixed?

    public static let standard = PortfolioParams()

    public init() {}

    public init(scanRange: Fixed, volShift: Fixed, extremeMultiple: Fixed, extremeFraction: Fixed, imFactor: Fixed, shortOptionCharge: Fixed) {
        self.scanRange = scanRange
        self.volShift = volShift
        self.extremeMultiple = extremeMultiple
        self.extremeFraction = extremeFraction
        self.imFactor = imFactor
        self.shortOptionCharge = shortOptionCharge
    }

    /// What is wrong with these parameters (nil: nothing). Every scenario price must stay positive
    /// (extreme_multiple × scan_range < 1) and every scenario volatility too (vol_shift < 1).
    public var problem: String? {
        if !(scanRange.isPositive && scanRange < .one) { return "scan_range must be above 0 and below 1, got \(scanRange)" }
        if volShift.isNegative || volShift >= .one { return "vol_shift must be at least 0 and below 1, got \(volShift)" }
        if extremeMultiple < .one { return "extreme_multiple must be at least 1, got \(extremeMultiple)" }
        let extreme = (try? scanRange.multiplied(by: extremeMultiple, rounding: .up)) ?? .max
        if extreme >= .one { return "extreme_multiple × scan_range must be below 1 (a price move of 100 % or more), got \(extreme)" }
        if extremeFraction.isNegative || extremeFraction > .one { return "extreme_fraction must be between 0 and 1, got \(extremeFraction)" }
        if imFactor < .one || imFactor > Fixed(raw: 10 * Fixed.scale) { return "im_factor must be between 1 and 10, got \(imFactor)" }
        if shortOptionCharge.isNegative || shortOptionCharge >= .one {
            return "short_option_charge must be at least 0 and below 1, got \(shortOptionCharge)"
        }
        if let correlation, correlation.isNegative || correlation > .one {
            return "correlation must be between 0 and 1, got \(correlation)"
        }
        return nil
    }
}
