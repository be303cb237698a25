/// Black-76 sensitivities of a position, or of every leg an account holds on one underlying, in
/// the report's units (binary64: risk information, never a ledger amount).
///
/// For a leg of u = size × contract_size units of underlying (a perpetual: u = size) with Black-76
/// per-unit sensitivities (`Black76.Valuation`, zero rates):
/// - delta = u × ∂V/∂F: the equivalent position in the underlying (a perpetual's delta is its size);
/// - gamma = u × ∂²V/∂F²: the change of delta per unit of underlying price;
/// - vega = u × ∂V/∂σ / 100: the value change per volatility point (σ + 0.01);
/// - theta = u × ∂V/∂t / 365: the value change per calendar day (negative for a long option).
/// A book's Greeks are the sums over its legs, in position order.
public struct Greeks: Sendable, Hashable {
    public var delta: Double
    public var gamma: Double
    public var vega: Double
    public var theta: Double

    public init(delta: Double = 0, gamma: Double = 0, vega: Double = 0, theta: Double = 0) {
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.theta = theta
    }

    public static let zero = Greeks()

    /// The Greeks of `units` of underlying held through an option valued as `valuation` (see the type).
    public init(units: Double, valuation: Black76.Valuation) {
        self.init(delta: units * valuation.delta, gamma: units * valuation.gamma,
                  vega: (units * valuation.vega) / 100, theta: (units * valuation.theta) / 365)
    }

    /// The Greeks of a perpetual position of `size` units: delta = size, the rest 0.
    public init(perpetualSize size: Double) {
        self.init(delta: size)
    }

    /// The sum of two books' Greeks.
    public static func + (lhs: Greeks, rhs: Greeks) -> Greeks {
        Greeks(delta: lhs.delta + rhs.delta, gamma: lhs.gamma + rhs.gamma, vega: lhs.vega + rhs.vega, theta: lhs.theta + rhs.theta)
    }
}
