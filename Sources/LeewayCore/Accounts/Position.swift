/// A position in one market, kept as a signed size and a signed cost basis so that realized PnL
/// over a position's life sums exactly to the fills' cash flows.
public struct Position: Sendable, Hashable, Codable {
    /// Index of the market in the engine's market table.
    public let market: Int
    /// Signed size in base units: positive long, negative short.
    public var size: Fixed
    /// Signed cost basis in settle units: Σ size_k × price_k of the fills that built the position,
    /// less the basis released by reductions. entry price = openNotional / size.
    public var openNotional: Fixed

    public init(market: Int, size: Fixed, openNotional: Fixed) {
        self.market = market
        self.size = size
        self.openNotional = openNotional
    }

    /// The average entry price: openNotional / size, rounded to nearest (display only).
    public var entryPrice: Fixed {
        guard !size.isZero else { return .zero }
        return (try? openNotional.divided(by: size, rounding: .toNearestOrEven)) ?? .zero
    }

    /// Notional at `price`: |size| × price, rounded up (used for margin requirements).
    @inlinable @inline(__always)
    public func notional(at price: Fixed) throws(ArithmeticError) -> Fixed {
        try size.magnitude.multiplied(by: price, rounding: .up)
    }

    /// Unrealized PnL at `price`: size × price − openNotional, rounded toward −∞.
    @inlinable @inline(__always)
    public func unrealizedPnL(at price: Fixed) throws(ArithmeticError) -> Fixed {
        try size.multiplied(by: price, rounding: .down).subtracting(openNotional)
    }
}

/// The result of applying a trade to a position.
public struct PositionChange: Sendable, Hashable {
    /// The position afterwards (size zero when fully closed).
    public var position: Position
    /// Realized PnL of the part closed, in settle units (credited to the trader).
    public var realizedPnL: Fixed
    /// True if the trade grew |size| or flipped the side: a risk-increasing trade.
    public var increasesRisk: Bool
}

extension Position {
    /// Applies a trade of signed `quantity` at `price`.
    ///
    /// Equations: the trade's signed quote q = quantity × price rounded toward +∞ (a buyer pays at
    /// least, a seller receives at most the exact amount). Reducing by c = min(|quantity|, |size|)
    /// releases basis b = openNotional × c / |size| rounded toward zero; realized PnL = b_closed
    /// quote − b, i.e. −(q_closed) − b with signs; any excess opens a new position at that price.
    public func applyingTrade(quantity: Fixed, price: Fixed) throws(ArithmeticError) -> PositionChange {
        let sameSide = size.isZero || (size.raw > 0) == (quantity.raw > 0)
        if sameSide {
            let quote = try quantity.multiplied(by: price, rounding: .up)
            let newSize = try size.adding(quantity)
            let newBasis = try openNotional.adding(quote)
            return PositionChange(position: Position(market: market, size: newSize, openNotional: newBasis), realizedPnL: .zero, increasesRisk: true)
        }
        let closing = Fixed.minimum(quantity.magnitude, size.magnitude)
        let closingSigned = quantity.isNegative ? closing.negated : closing
        // Basis released by the closed part, proportional to the closed fraction.
        let releasedBasis = try openNotional.multiplied(by: closing, dividedBy: size.magnitude, rounding: .towardZero)
        let closingQuote = try closingSigned.multiplied(by: price, rounding: .up)
        // Closing a long sells (closingQuote < 0, cash in = −closingQuote); realized = cash in − basis.
        let realized = try closingQuote.negated.subtracting(releasedBasis)
        var remainingSize = try size.adding(closingSigned)
        var remainingBasis = try openNotional.subtracting(releasedBasis)
        let opening = try quantity.subtracting(closingSigned)
        if !opening.isZero {
            remainingSize = opening
            remainingBasis = try opening.multiplied(by: price, rounding: .up)
        }
        if remainingSize.isZero { remainingBasis = .zero }
        return PositionChange(
            position: Position(market: market, size: remainingSize, openNotional: remainingBasis),
            realizedPnL: realized,
            increasesRisk: !opening.isZero
        )
    }
}
