import Foundation

/// Parameters of one loss simulation (Curve's `single_run` / `get_loss_rate` arguments).
public struct LossSimulationParameters: Sendable, Equatable {
    /// Amplification A: bands are 1/A wide.
    public var a: Int
    /// Number of bands N the unit of collateral is spread over.
    public var bands: Int
    /// Base AMM fee (fraction).
    public var fee: Double
    /// Half-life of the oracle EMA in seconds (Curve's `Texp`).
    public var halfLifeSeconds: Double
    /// The arbitrageur's cost on the external market (fraction), applied to the candle's high and low.
    public var externalFee: Double
    /// Multiplier of the band-distance fee (0 disables it).
    public var dynamicFeeMultiplier: Double
    /// Whether the oracle-change fee is charged (`use_po_fee`).
    public var usePriceOracleFee: Bool
    /// The oracle-change fee keeps (delay − 1)/delay of itself per oracle update (`po_fee_delay`).
    public var priceOracleFeeDelay: Double

    public init(a: Int, bands: Int, fee: Double, halfLifeSeconds: Double = 600, externalFee: Double = 0.0005,
                dynamicFeeMultiplier: Double = 0, usePriceOracleFee: Bool = true, priceOracleFeeDelay: Double = 2) {
        self.a = a
        self.bands = bands
        self.fee = fee
        self.halfLifeSeconds = halfLifeSeconds
        self.externalFee = externalFee
        self.dynamicFeeMultiplier = dynamicFeeMultiplier
        self.usePriceOracleFee = usePriceOracleFee
        self.priceOracleFeeDelay = priceOracleFeeDelay
    }

    /// Refuses parameters the model or the contract cannot take, with a clear message.
    public func validate() throws(BandsError) {
        try BandsLimits.validate(a: a, bands: bands, fee: fee)
        guard halfLifeSeconds.isFinite, halfLifeSeconds > 0 else {
            throw .invalidParameter("invalid_texp", "the oracle half-life --texp must be a positive number of seconds; got \(halfLifeSeconds).")
        }
        guard externalFee.isFinite, externalFee >= 0, externalFee < 0.5 else {
            throw .invalidParameter("invalid_ext_fee", "the external fee must be in [0, 0.5); got \(externalFee).")
        }
        guard dynamicFeeMultiplier.isFinite, dynamicFeeMultiplier >= 0 else {
            throw .invalidParameter("invalid_dynamic_fee_multiplier", "the dynamic fee multiplier must be 0 or positive; got \(dynamicFeeMultiplier).")
        }
        guard priceOracleFeeDelay.isFinite, priceOracleFeeDelay >= 1 else {
            throw .invalidParameter("invalid_po_fee_delay", "the oracle-fee delay must be at least 1 (1 switches the oracle-change fee off); got \(priceOracleFeeDelay).")
        }
    }

    /// Liquidation discount implied by a loss: 1 − (1 − loss)·mean_{k<N}(((A − 1)/A)^(k + 1/2)),
    /// the discount Curve's scans report (`Liq_discount`).
    public func liquidationDiscount(loss: Double) -> Double {
        let ratio = (Double(a) - 1) / Double(a)
        var sum = 0.0
        for k in 0..<bands { sum += Foundation.pow(ratio, Double(k) + 0.5) }
        return 1 - (1 - loss) * (sum / Double(bands))
    }
}
