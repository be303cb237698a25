/// Where an account stands in the soft-liquidation state machine.
///
/// healthy → warning → marginCall → (healthy when cured) or deleveraging → liquidated, and
/// bankrupt when equity is negative once every position is closed.
public enum LiquidationPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case healthy
    case warning
    case marginCall = "margin_call"
    case deleveraging
    case liquidated
    case bankrupt

    /// While in these phases, risk-increasing fills and withdrawals are refused.
    public var restrictsRisk: Bool { self == .marginCall || self == .deleveraging }

    /// The phase's position in `allCases` (for per-phase count arrays, without a search).
    public var ordinal: Int {
        switch self {
        case .healthy: return 0
        case .warning: return 1
        case .marginCall: return 2
        case .deleveraging: return 3
        case .liquidated: return 4
        case .bankrupt: return 5
        }
    }
}
