/// Black-76 prices and Greeks of a European option on a forward, with zero rates (the discount
/// factor is 1), in binary64 from `DeterministicMath` and IEEE basic operations only (`+ − × ÷`,
/// `squareRoot()`, all correctly rounded), so every machine computes the same bits.
///
/// With forward F, strike K, volatility σ (annualised) and time to expiry T (years of 365 days),
/// s = σ√T, d₁ = ln(F/K)/s + s/2, d₂ = d₁ − s, φ the standard normal density and Φ its CDF:
/// - call = F·Φ(d₁) − K·Φ(d₂), put = K·Φ(−d₂) − F·Φ(−d₁);
/// - delta = ∂V/∂F = Φ(d₁) (call), Φ(d₁) − 1 (put);
/// - gamma = ∂²V/∂F² = φ(d₁)/(F·s);
/// - vega = ∂V/∂σ = F·φ(d₁)·√T (per unit of volatility, i.e. per 100 vol points);
/// - theta = ∂V/∂t = −F·φ(d₁)·σ/(2√T) (per year of calendar time; the value falls as time passes).
/// These are QuantLib's `BlackCalculator` formulas at discount 1 with the spot equal to the forward
/// (the order of operations follows it: d₁ = ln(F/K)/s + s/2), which the committed fixture
/// (`scripts/options-fixtures/`) checks. At T ≤ 0 or σ ≤ 0 the value is intrinsic,
/// max(0, ±(F − K)), and the Greeks are those of the payoff (delta 1, 0 or −1; the rest 0).
public enum Black76 {
    /// Call or put.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case call
        case put
    }

    /// A price and its sensitivities (units: settle asset per unit of underlying; theta per year).
    public struct Valuation: Sendable, Hashable {
        public var price: Double
        public var delta: Double
        public var gamma: Double
        public var vega: Double
        public var theta: Double
    }

    /// Milliseconds in a 365-day year: T = (expiry − now) / this.
    public static let millisecondsPerYear = 31_536_000_000.0

    /// 1/√(2π), as a bit pattern (0.3989422804014327).
    static let inverseSqrtTwoPi = Double(bitPattern: 0x3FD9_8845_33D4_3651)

    /// The price alone (what valuation and the scenario grid need): see the type's formulas.
    @inline(__always)
    public static func price(_ kind: Kind, forward: Double, strike: Double, volatility: Double, years: Double) -> Double {
        guard years > 0, volatility > 0 else { return intrinsic(kind, forward: forward, strike: strike) }
        let s = volatility * years.squareRoot()
        let d1 = (DeterministicMath.log(forward / strike) / s) + (0.5 * s)
        let d2 = d1 - s
        switch kind {
        case .call: return (forward * DeterministicMath.normalCDF(d1)) - (strike * DeterministicMath.normalCDF(d2))
        case .put: return (strike * DeterministicMath.normalCDF(-d2)) - (forward * DeterministicMath.normalCDF(-d1))
        }
    }

    /// Price, delta, gamma, vega and theta (see the type's formulas).
    public static func valuation(_ kind: Kind, forward: Double, strike: Double, volatility: Double, years: Double) -> Valuation {
        guard years > 0, volatility > 0 else {
            let inTheMoney = kind == .call ? forward > strike : forward < strike
            let delta: Double = inTheMoney ? (kind == .call ? 1 : -1) : 0
            return Valuation(price: intrinsic(kind, forward: forward, strike: strike), delta: delta, gamma: 0, vega: 0, theta: 0)
        }
        let root = years.squareRoot()
        let s = volatility * root
        let d1 = (DeterministicMath.log(forward / strike) / s) + (0.5 * s)
        let density = inverseSqrtTwoPi * DeterministicMath.exp(-0.5 * (d1 * d1))
        let cdf = DeterministicMath.normalCDF(d1)
        return Valuation(
            price: price(kind, forward: forward, strike: strike, volatility: volatility, years: years),
            delta: kind == .call ? cdf : cdf - 1,
            gamma: density / (forward * s),
            vega: (forward * density) * root,
            theta: -((forward * density) * volatility) / (2 * root)
        )
    }

    /// max(0, F − K) for a call, max(0, K − F) for a put.
    @inline(__always)
    public static func intrinsic(_ kind: Kind, forward: Double, strike: Double) -> Double {
        Swift.max(0, kind == .call ? forward - strike : strike - forward)
    }
}
