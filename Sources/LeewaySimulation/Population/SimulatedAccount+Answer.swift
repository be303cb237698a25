import LeewayCore

extension SimulatedAccount {
    /// What a trader sends to answer a margin call.
    public enum Answer: Sendable, Equatable {
        /// Deposit this much of the settle asset.
        case deposit(amount: Fixed)
        /// Trade these signed sizes (each against its position: reductions).
        case reduce([Reduction])
    }

    /// One reduction: a signed size in `market`, whose mark (per contract for an option) the
    /// report gave.
    public struct Reduction: Sendable, Equatable {
        public var market: String
        public var size: Fixed
        public var markPrice: Fixed
    }

    /// The trader's answer, given the account's margin report now: nil when the trader ignores
    /// calls or the account no longer needs one (not in a call or deleveraging, nothing to cure).
    ///
    /// A depositing trader sends `multiple` × the deposit that cures, + 1 (so rounding never leaves
    /// it a hair short); a reducing one closes `fraction` of its position's |size| (of every leg's,
    /// for an option book), truncated to 10⁻⁸. The backtest and `leeway demo` both answer through
    /// this, so they model the same traders.
    public func answer(to report: MarginReport) -> Answer? {
        guard report.phase == .marginCall || report.phase == .deleveraging else { return nil }
        switch response {
        case .ignore:
            return nil
        case .deposit(let multiple, _):
            guard report.depositToCure.isPositive else { return nil }
            return .deposit(amount: BacktestScenario.exact(report.depositToCure.doubleValue * multiple + 1))
        case .reduce(let fraction, _):
            let legs = book == nil ? Array(report.positions.prefix(1)) : report.positions
            let reductions: [Reduction] = legs.compactMap { position in
                let quantity = Fixed(raw: Int64(Double(position.size.magnitude.raw) * fraction))
                guard !position.size.isZero, quantity.isPositive else { return nil }
                return Reduction(market: position.market, size: position.size.isPositive ? quantity.negated : quantity, markPrice: position.markPrice)
            }
            return reductions.isEmpty ? nil : .reduce(reductions)
        }
    }

    /// How long after the call the trader answers (ms; 0 for one who never does).
    public var reactionDelayMs: Int64 {
        switch response {
        case .ignore: return 0
        case .deposit(_, let delay), .reduce(_, let delay): return delay
        }
    }
}
