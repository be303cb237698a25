/// The result of re-margining every account at current prices (see `Engine.remarginAll()`).
public struct RemarginSummary: Sendable, Equatable {
    /// Accounts whose equity and requirements were computed.
    public var accountsEvaluated = 0
    /// Accounts whose equity is below their maintenance margin.
    public var accountsBelowMaintenance = 0
    /// Accounts for which the state machine would act now (warn, call, cure, step, liquidate...).
    public var accountsNeedingAction = 0
    /// Accounts whose next action would start or continue a liquidation but hold a market whose
    /// liquidations are paused on a stale mark (oracle safety): they wait for its next fresh mark.
    public var accountsPausedByOracle = 0
    /// Accounts whose risk could not be computed (an overflow); none in a sane state.
    public var accountsOverflowing = 0

    /// Accounts the column kernel could not clear by its bounds and handed to the per-account
    /// reference path (a diagnostic of the method, not of the venue: left out of `==`).
    public var accountsByReference = 0

    public init() {}

    /// Equal when every count about the venue is equal (`accountsByReference` is about the method).
    public static func == (lhs: RemarginSummary, rhs: RemarginSummary) -> Bool {
        (lhs.accountsEvaluated, lhs.accountsBelowMaintenance, lhs.accountsNeedingAction, lhs.accountsPausedByOracle, lhs.accountsOverflowing)
            == (rhs.accountsEvaluated, rhs.accountsBelowMaintenance, rhs.accountsNeedingAction, rhs.accountsPausedByOracle, rhs.accountsOverflowing)
    }

    /// Adds the counts of `other` (a summary of a disjoint range of accounts).
    public mutating func add(_ other: RemarginSummary) {
        accountsEvaluated += other.accountsEvaluated
        accountsBelowMaintenance += other.accountsBelowMaintenance
        accountsNeedingAction += other.accountsNeedingAction
        accountsPausedByOracle += other.accountsPausedByOracle
        accountsOverflowing += other.accountsOverflowing
        accountsByReference += other.accountsByReference
    }
}
