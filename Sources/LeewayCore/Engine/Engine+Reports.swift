/// Read-only queries: margin reports and what-if reports. They never change the engine.
extension Engine {
    /// The margin report of the account with this id, or nil if there is none.
    public func marginReport(account id: String) -> MarginReport? {
        guard let account = index.accountByID[id] else { return nil }
        return try? marginReport(of: state.accounts[account])
    }

    /// The report the account would have after depositing `deposit` and/or reducing a position by
    /// `reduceBy` (a positive quantity taken off |size|, at the mark): what a trader needs to see
    /// before curing a call. Refuses unknown accounts, assets, markets and impossible changes.
    public func whatIf(account id: String, deposit: (asset: String, amount: Fixed)? = nil,
                       reduce: (market: String, quantity: Fixed)? = nil) throws(Rejection) -> MarginReport {
        guard let accountIndex = index.accountByID[id] else { throw .unknownAccount(id) }
        var account = state.accounts[accountIndex]
        if let deposit {
            guard let asset = index.assetByID[deposit.asset] else { throw .unknownAsset(deposit.asset) }
            guard deposit.amount.isPositive else { throw .notPositive("deposit") }
            do { account.setBalance(try account.balance(ofAsset: asset).adding(deposit.amount), ofAsset: asset) } catch {
                throw .overflow("the deposit")
            }
        }
        if let reduce {
            guard let market = index.marketByID[reduce.market] else { throw .unknownMarket(reduce.market) }
            guard reduce.quantity.isPositive else { throw .notPositive("reduce size") }
            guard let positionIndex = account.positionIndex(market: market) else {
                throw Rejection(code: .noPosition, message: "account \"\(id)\" has no position in \(reduce.market) to reduce")
            }
            let position = account.positions[positionIndex]
            guard reduce.quantity <= position.size.magnitude else {
                throw Rejection(code: .reduceExceedsPosition, message: "cannot reduce by \(reduce.quantity): the position is \(position.size)")
            }
            guard let mark = state.markets[market].valuationPrice(size: account.positions[positionIndex].size) else { throw .noMarkPrice(reduce.market) }
            let trade = position.size.isPositive ? reduce.quantity.negated : reduce.quantity
            do {
                let change = try position.applyingTrade(quantity: trade, price: mark)
                let settle = state.markets[market].settleAsset
                account.setBalance(try account.balance(ofAsset: settle).adding(change.realizedPnL), ofAsset: settle)
                if change.position.size.isZero { account.positions.remove(at: positionIndex) } else { account.positions[positionIndex] = change.position }
            } catch { throw .overflow("the reduction") }
        }
        do { return try marginReport(of: account) } catch { throw .overflow("the report") }
    }

    func marginReport(of account: Account) throws(ArithmeticError) -> MarginReport {
        let evaluation = try computeRisk(of: account)
        let risk = evaluation.risk
        let policy = policy(for: account, largestPosition: evaluation.largestPosition)
        var positions: [MarginReport.PositionReport] = []
        for position in account.positions {
            let market = state.markets[position.market]
            if let leg = try optionLegReport(position, market: market) {
                positions.append(leg)
                continue
            }
            guard let mark = market.markPrice else { continue }
            let notional = try position.notional(at: mark)
            let maintenance = try market.tiers.maintenanceMargin(notional: notional)
            let others = try risk.maintenanceMargin.subtracting(maintenance)
            positions.append(MarginReport.PositionReport(
                market: market.id, size: position.size, entryPrice: position.entryPrice, markPrice: mark,
                notional: notional, unrealizedPnL: try position.unrealizedPnL(at: mark),
                initialMargin: try market.tiers.initialMargin(notional: notional), maintenanceMargin: maintenance,
                liquidationPrice: LiquidationPriceSolver.liquidationPrice(
                    size: position.size, referencePrice: mark, equityAtReference: risk.equity, otherMaintenance: others, tiers: market.tiers),
                bankruptcyPrice: LiquidationPriceSolver.bankruptcyPrice(size: position.size, referencePrice: mark, equityAtReference: risk.equity)
            ))
        }
        let lines = policy.lines(multiplier: Self.decisionConditions(for: account, evaluation: evaluation, policy: policy, markets: state.markets).multiplier)
        let cureTarget = try risk.maintenanceMargin.multiplied(by: lines.cure, rounding: .up)
        let callLine = try risk.maintenanceMargin.multiplied(by: lines.call, rounding: .up)
        let balances = account.balances.enumerated().compactMap { asset, amount in
            amount.isZero ? nil : AssetAmount(asset: state.assets[asset].id, amount: amount)
        }
        let reserves = account.reserves.enumerated().compactMap { asset, amount in
            amount.isZero ? nil : AssetAmount(asset: state.assets[asset].id, amount: amount)
        }
        return MarginReport(
            account: account.id, phase: account.phase, deadlineMs: account.liquidation.deadlineMs, nextStepMs: account.liquidation.nextStepMs,
            balances: balances, reserves: reserves,
            autoTopupRemaining: account.autoTopup.map { AssetAmount(asset: state.assets[$0.asset].id, amount: $0.remaining) },
            equity: risk.equity, initialMargin: risk.initialMargin, maintenanceMargin: risk.maintenanceMargin,
            freeCollateral: try risk.equity.subtracting(risk.initialMargin),
            marginRatio: risk.equity.isPositive ? try risk.maintenanceMargin.divided(by: risk.equity, rounding: .up) : nil,
            distanceToMarginCall: try risk.equity.subtracting(callLine),
            distanceToLiquidation: try risk.equity.subtracting(risk.maintenanceMargin),
            distanceToBankruptcy: risk.equity,
            depositToCure: Fixed.maximum(try cureTarget.subtracting(risk.equity), .zero),
            positions: positions
        )
    }

    /// The report of an option position (nil for a perpetual's, or an option without a value):
    /// mark = its value per contract as the position is valued, notional |size| × contract_size ×
    /// underlying mark, `StandardOptionMargin` requirements; no liquidation or bankruptcy price (a
    /// price at which one option leg alone crosses a line is not linear, and is left out).
    func optionLegReport(_ position: Position, market: Market) throws(ArithmeticError) -> MarginReport.PositionReport? {
        guard let terms = market.option, let value = market.valuationPrice(size: position.size),
              let forward = state.markets[terms.underlying].markPrice else { return nil }
        let requirement = try StandardOptionMargin.requirements(terms: terms, size: position.size, forward: forward, valuePerContract: value)
        return MarginReport.PositionReport(
            market: market.id, size: position.size, entryPrice: position.entryPrice, markPrice: value,
            notional: try position.size.magnitude.multiplied(by: terms.contractSize, rounding: .up).multiplied(by: forward, rounding: .up),
            unrealizedPnL: try position.unrealizedPnL(at: value),
            initialMargin: requirement.initial, maintenanceMargin: requirement.maintenance,
            liquidationPrice: nil, bankruptcyPrice: nil)
    }

    /// Account ids in creation order.
    public var accountIDs: [String] { state.accounts.map(\.id) }

    /// The settle asset whose insurance fund the state line reports: the first market's, else the first asset's.
    public var primarySettleAsset: String? {
        if let market = state.markets.first { return state.assets[market.settleAsset].id }
        return state.assets.first?.id
    }

    /// The insurance fund balance of `asset` (a wide ledger total).
    public func insuranceFund(asset: String) -> WideAmount? {
        index.assetByID[asset].map { state.insuranceFund[$0] }
    }
}
