/// A cross-margin trading account: balances per collateral asset, positions, and its place in
/// the liquidation state machine.
public struct Account: Sendable, Hashable {
    public let id: String
    /// Balance per asset, indexed like the engine's asset table (grown on demand; missing = 0).
    public var balances: [Fixed]
    public var positions: [Position]
    /// Reserve balance per asset (indexed like `balances`): money the trader parked for the engine
    /// to cure calls with (`deposit` with `"to": "reserve"`); it is not collateral.
    public var reserves: [Fixed]
    /// The `protect` instruction, if any.
    public var autoTopup: AutoTopup?
    /// How IM and MM are computed (`margin_model`; default standard).
    public var marginModel: MarginModel = .standard
    /// Where the account stands in the liquidation lifecycle (written only by `Engine.commit`).
    public internal(set) var liquidation: LiquidationState

    /// The lifecycle's phase name.
    public var phase: LiquidationPhase { liquidation.phase }

    public init(id: String) {
        self.id = id
        self.balances = []
        self.positions = []
        self.reserves = []
        self.autoTopup = nil
        self.liquidation = .healthy
    }

    /// An account exactly as a snapshot recorded it (the snapshot reader's way back in; the
    /// lifecycle value is otherwise written only by `Engine.commit`).
    public init(restoringID id: String, balances: [Fixed], positions: [Position], reserves: [Fixed],
                autoTopup: AutoTopup?, marginModel: MarginModel, liquidation: LiquidationState) {
        self.id = id
        self.balances = balances
        self.positions = positions
        self.reserves = reserves
        self.autoTopup = autoTopup
        self.marginModel = marginModel
        self.liquidation = liquidation
    }

    public func balance(ofAsset asset: Int) -> Fixed {
        asset < balances.count ? balances[asset] : .zero
    }

    public mutating func setBalance(_ amount: Fixed, ofAsset asset: Int) {
        Self.set(amount, at: asset, in: &balances)
    }

    public func reserve(ofAsset asset: Int) -> Fixed {
        asset < reserves.count ? reserves[asset] : .zero
    }

    public mutating func setReserve(_ amount: Fixed, ofAsset asset: Int) {
        Self.set(amount, at: asset, in: &reserves)
    }

    /// Writes `amount` at `asset` in a per-asset table, growing it with zeros as needed.
    private static func set(_ amount: Fixed, at asset: Int, in table: inout [Fixed]) {
        if asset >= table.count { table.append(contentsOf: repeatElement(.zero, count: asset + 1 - table.count)) }
        table[asset] = amount
    }

    /// The index in `positions` of the position in `market`, if open.
    public func positionIndex(market: Int) -> Int? {
        positions.firstIndex { $0.market == market }
    }
}

/// Trailing zero balances (and reserves) are not state: an account that never held an asset and one whose
/// balance returned to zero encode (and so hash) the same.
extension Account: Codable {
    enum CodingKeys: String, CodingKey { case id, balances, positions, reserves, autoTopup, marginModel, liquidation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        balances = try container.decode([Fixed].self, forKey: .balances)
        positions = try container.decode([Position].self, forKey: .positions)
        reserves = try container.decode([Fixed].self, forKey: .reserves)
        autoTopup = try container.decodeIfPresent(AutoTopup.self, forKey: .autoTopup)
        marginModel = try container.decode(MarginModel.self, forKey: .marginModel)
        liquidation = try container.decode(LiquidationState.self, forKey: .liquidation)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        var trimmed = balances[...]
        while trimmed.last?.isZero == true { trimmed = trimmed.dropLast() }
        try container.encode(Array(trimmed), forKey: .balances)
        try container.encode(positions, forKey: .positions)
        var trimmedReserves = reserves[...]
        while trimmedReserves.last?.isZero == true { trimmedReserves = trimmedReserves.dropLast() }
        try container.encode(Array(trimmedReserves), forKey: .reserves)
        try container.encodeIfPresent(autoTopup, forKey: .autoTopup)
        try container.encode(marginModel, forKey: .marginModel)
        try container.encode(liquidation, forKey: .liquidation)
    }
}

extension Account: StateDescribable {
    /// Trailing zero balances are left out, as in `encode(to:)`.
    public func describe<V: StateVisitor>(into visitor: inout V) {
        var count = balances.count
        while count > 0, balances[count - 1].isZero { count -= 1 }
        visitor.object { v in
            v.field("id", id)
            v.key("balances")
            v.beginArray()
            for index in 0..<count { balances[index].describe(into: &v) }
            v.endArray()
            v.field("positions", positions)
            var reserveCount = reserves.count
            while reserveCount > 0, reserves[reserveCount - 1].isZero { reserveCount -= 1 }
            v.key("reserves")
            v.beginArray()
            for index in 0..<reserveCount { reserves[index].describe(into: &v) }
            v.endArray()
            v.field("autoTopup", autoTopup)
            v.field("marginModel", marginModel.rawValue)
            v.field("liquidation", liquidation)
        }
    }
}
