/// Exact closed-form liquidation and bankruptcy prices for one position, other things held fixed.
public enum LiquidationPriceSolver {
    /// The price p at which equity(p) = MM(p), i.e. the position's maintenance threshold.
    ///
    /// With s the signed size, p₀ the reference price, E₀ the account equity at p₀ and MM_o the other
    /// positions' maintenance margin, equity(p) = E₀ + s·(p − p₀) and, in tier t,
    /// MM(p) = MM_o + |s|·p·mmr_t − cum_t. Solving E₀ + s(p − p₀) = MM_o + |s|·p·mmr_t − cum_t:
    ///   p = (MM_o − cum_t − E₀ + s·p₀) / (s − |s|·mmr_t).
    /// Each tier's candidate is kept only if its notional |s|·p falls inside that tier, which is what
    /// keeps the answer right across tier boundaries (MM is continuous, so exactly one tier fits).
    /// Computed in `Int128` from raw units with one rounding at the end: up for a long, down for a
    /// short, so the printed price is never beyond the true trigger. Nil if no positive price
    /// liquidates the position (e.g. a long whose collateral covers any fall).
    ///
    /// Isolated margin is the case E₀ = wallet + s·(p₀ − entry) (with p₀ = entry, E₀ = wallet) and
    /// MM_o = 0, which gives Binance's LP = (W + cum − s·EP)/(|s|·mmr − s).
    public static func liquidationPrice(
        size: Fixed, referencePrice: Fixed, equityAtReference: Fixed, otherMaintenance: Fixed, tiers: TierSchedule
    ) -> Fixed? {
        guard !size.isZero else { return nil }
        let s = Int128(size.raw), magnitude = Int128(size.magnitude.raw)
        let scale = Int128(Fixed.scale)
        let constant = (Int128(otherMaintenance.raw) - Int128(equityAtReference.raw)) * scale * scale + s * Int128(referencePrice.raw) * scale
        for (tierIndex, tier) in tiers.tiers.enumerated() {
            let numerator = constant - tiers.maintenanceDeduction(tier: tierIndex) * scale
            let denominator = s * scale - magnitude * Int128(tier.mmr.raw)
            guard denominator != 0 else { continue }
            let rounding: RoundingRule = size.isPositive ? .up : .down
            let priceRaw = Int128.divide(numerator, by: denominator, rounding: rounding)
            guard priceRaw > 0, priceRaw <= Int128(Int64.max) else { continue }
            let price = Fixed(raw: Int64(priceRaw))
            // Tier check on the exact notional |s|·p (in 10⁻¹⁶ units) against the floors.
            let notionalWide = magnitude * priceRaw
            let lowerOK = notionalWide >= Int128(tier.floor.raw) * scale
            let upperOK = tierIndex + 1 >= tiers.tiers.count || notionalWide < Int128(tiers.tiers[tierIndex + 1].floor.raw) * scale
            if lowerOK && upperOK { return price }
        }
        return nil
    }

    /// The price at which equity(p) = 0: p = p₀ − E₀ / s. Rounded up for a long, down for a short;
    /// nil if it is not a positive price (a long that cannot go bankrupt).
    public static func bankruptcyPrice(size: Fixed, referencePrice: Fixed, equityAtReference: Fixed) -> Fixed? {
        guard !size.isZero else { return nil }
        let numerator = Int128(size.raw) * Int128(referencePrice.raw) - Int128(equityAtReference.raw) * Int128(Fixed.scale)
        let priceRaw = Int128.divide(numerator, by: Int128(size.raw), rounding: size.isPositive ? .up : .down)
        guard priceRaw > 0, priceRaw <= Int128(Int64.max) else { return nil }
        return Fixed(raw: Int64(priceRaw))
    }
}
