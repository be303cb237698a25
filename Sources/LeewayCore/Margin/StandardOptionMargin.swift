/// The `standard` margin model's requirement for one option position, after Deribit's standard
/// (non-portfolio) margin for options (Deribit Knowledge Base, "Options margin" / "Inverse options
/// margin": IM = max(0.15 − OTM/underlying, 0.1) + mark price of the option, MM = 0.075 + mark
/// price of the option, per contract in units of the underlying; long options need no margin).
/// Stated in settle units per contract (Deribit's linear USDC form), with F the underlying's mark,
/// K the strike, V the option's value per unit (rounded as the position is valued), OTM = max(0,
/// K − F) for a call and max(0, F − K) for a put, n = |size| × contract_size:
///
/// - long: IM = MM = 0 (its loss is bounded by its value, which equity already counts);
/// - short: MM = (0.075 × F + V) × n;
///   IM = max(max(0.15 × F − OTM, 0.1 × F) + V, 0.075 × F + V) × n.
///
/// Futures-style margining gives the same equity as Deribit's premium-paid accounting (here the
/// premium is not paid but the position's uPnL counts it: balance − (V − entry) = balance + entry
/// − V), so Deribit's formulas apply unchanged. Every product is rounded up (a requirement).
public enum StandardOptionMargin {
    /// IM rate of the underlying for a short option at the money (Deribit 0.15).
    public static let initialRate = Fixed(raw: 15_000_000)
    /// The IM floor rate however far out of the money (Deribit 0.1).
    public static let initialFloorRate = Fixed(raw: 10_000_000)
    /// MM rate of the underlying for a short option (Deribit 0.075).
    public static let maintenanceRate = Fixed(raw: 7_500_000)

    /// (IM, MM) of a position of `size` contracts of `terms` at underlying mark `forward`, valued
    /// at `value` per contract (contract_size × value per unit).
    @inline(__always)
    public static func requirements(terms: OptionTerms, size: Fixed, forward: Fixed, valuePerContract value: Fixed)
        throws(ArithmeticError) -> (initial: Fixed, maintenance: Fixed) {
        guard size.isNegative else { return (.zero, .zero) }
        let contracts = size.magnitude
        // Per unit of underlying: rates × F, then × contract_size (rounded up), then + V per contract.
        let outOfTheMoney = Fixed(raw: Swift.max(terms.kind == .call ? terms.strike.raw - forward.raw : forward.raw - terms.strike.raw, 0))
        let maintenanceUnit = try forward.multiplied(by: maintenanceRate, rounding: .up)
        let initialUnit = Fixed.maximum(
            Fixed.maximum(try forward.multiplied(by: initialRate, rounding: .up).subtracting(outOfTheMoney),
                          try forward.multiplied(by: initialFloorRate, rounding: .up)),
            maintenanceUnit)
        let maintenancePerContract = try maintenanceUnit.multiplied(by: terms.contractSize, rounding: .up).adding(value)
        let initialPerContract = try initialUnit.multiplied(by: terms.contractSize, rounding: .up).adding(value)
        return (try initialPerContract.multiplied(by: contracts, rounding: .up),
                try maintenancePerContract.multiplied(by: contracts, rounding: .up))
    }
}
