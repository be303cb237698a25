/// A cross-margin trading account: balances per collateral asset, positions, and its place in
/// the liquidation state machine.
public struct Account: Sendable, Hashable, Codable {
    public let id: String
    /// Balance per asset, indexed like the engine's asset table (grown on demand; missing = 0).
    public var balances: [Fixed]
    public var positions: [Position]
    /// Where the account stands in the liquidation lifecycle (written only by `Engine.commit`).
    public internal(set) var liquidation: LiquidationState

    /// The lifecycle's phase name.
    public var phase: LiquidationPhase { liquidation.phase }

    public init(id: String) {
        self.id = id
        self.balances = []
        self.positions = []
        self.liquidation = .healthy
    }

    public func balance(ofAsset asset: Int) -> Fixed {
        asset < balances.count ? balances[asset] : .zero
    }

    public mutating func setBalance(_ amount: Fixed, ofAsset asset: Int) {
        if asset >= balances.count {
            balances.append(contentsOf: repeatElement(.zero, count: asset + 1 - balances.count))
        }
        balances[asset] = amount
    }

    /// The index in `positions` of the position in `market`, if open.
    public func positionIndex(market: Int) -> Int? {
        positions.firstIndex { $0.market == market }
    }
}
