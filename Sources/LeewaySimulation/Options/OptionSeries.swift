import LeewayCore

/// The four option series a simulated venue lists on its perpetual at the path's start, all with
/// one expiry (`OptionMarketSpec.expiryAfterMs`): strikes (1 ± `strikeOffset`) × the opening price
/// out of the money, and the opening price at the money, rounded to 10⁻⁸.
public enum OptionSeries: String, Sendable, Hashable, CaseIterable {
    case outOfMoneyPut = "SIM-P-OTM"
    case outOfMoneyCall = "SIM-C-OTM"
    case atTheMoneyPut = "SIM-P-ATM"
    case atTheMoneyCall = "SIM-C-ATM"

    public var kind: Black76.Kind {
        switch self {
        case .outOfMoneyPut, .atTheMoneyPut: return .put
        case .outOfMoneyCall, .atTheMoneyCall: return .call
        }
    }

    /// The strike for an opening price and the spec's offset.
    public func strike(openingPrice: Double, offset: Double) -> Double {
        switch self {
        case .outOfMoneyPut: return openingPrice * (1 - offset)
        case .outOfMoneyCall: return openingPrice * (1 + offset)
        case .atTheMoneyPut, .atTheMoneyCall: return openingPrice
        }
    }
}
