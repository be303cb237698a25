/// Read-only queries: margin reports and what-if reports. They never change the engine.
extension Engine {
    /// The margin report of the account with this id, or nil if there is none. With `hedges`, an
    /// account owed a cure also gets the hedges that would cure it (`HedgeToCure`: a bisection of
    /// full evaluations, so lists of reports leave it out).
    public func marginReport(account id: String, hedges: Bool = false) -> MarginReport? {
        guard let account = index.accountByID[id] else { return nil }
        return try? marginReport(of: state.accounts[account], hedges: hedges)
    }

    /// The report the account would have after depositing `deposit`, reducing a position by
    /// `reduce` (a positive quantity taken off |size|, at the mark) and/or trading `trade` (a signed
    /// size in any market, at the mark or the option's value, which may open or enlarge a position:
    /// a hedge), applied in that order: what a trader needs to see before curing a call. The report
    /// includes the hedges that would cure what is left. Refuses unknown accounts, assets, markets
    /// and impossible changes.
    public func whatIf(account id: String, deposit: (asset: String, amount: Fixed)? = nil,
                       reduce: (market: String, quantity: Fixed)? = nil,
                       trade: (market: String, size: Fixed)? = nil) throws(Rejection) -> MarginReport {
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
            try hypotheticalTrade(&account, market: market, size: position.size.isPositive ? reduce.quantity.negated : reduce.quantity,
                                  marketID: reduce.market, what: "the reduction")
        }
        if let trade {
            guard let market = index.marketByID[trade.market] else { throw .unknownMarket(trade.market) }
            guard !trade.size.isZero else { throw Rejection(code: .zeroSize, message: "a what-if trade needs a non-zero size (positive buys, negative sells)") }
            if let terms = state.markets[market].option, terms.settlementPrice != nil {
                throw Rejection(code: .optionExpired, message: "\(trade.market) has expired and settled; it cannot be traded")
            }
            try hypotheticalTrade(&account, market: market, size: trade.size, marketID: trade.market, what: "the trade")
        }
        do { return try marginReport(of: account, hedges: true) } catch { throw .overflow("the report") }
    }

    /// `trade(_:market:size:)` for a what-if: refusals named for the trader.
    private func hypotheticalTrade(_ account: inout Account, market: Int, size: Fixed, marketID: String, what: String) throws(Rejection) {
        let held = account.positionIndex(market: market).map { account.positions[$0].size } ?? .zero
        guard let price = state.markets[market].valuationPrice(size: held.isZero ? size : held) else { throw .noMarkPrice(marketID) }
        do { try Self.trade(&account, market: market, size: size, price: price, settleAsset: state.markets[market].settleAsset) } catch {
            throw .overflow(what)
        }
    }

    /// Applies a trade of `size` at `price` to a copy of an account (what-ifs and planners' trials,
    /// never the ledger): the realized PnL goes to the balance of `settleAsset`, a position that
    /// closes is removed, a new one is appended (position order is kept).
    static func trade(_ account: inout Account, market: Int, size: Fixed, price: Fixed, settleAsset: Int) throws(ArithmeticError) {
        let slot = account.positionIndex(market: market)
        let current = slot.map { account.positions[$0] } ?? Position(market: market, size: .zero, openNotional: .zero)
        let change = try current.applyingTrade(quantity: size, price: price)
        account.setBalance(try account.balance(ofAsset: settleAsset).adding(change.realizedPnL), ofAsset: settleAsset)
        if let slot {
            if change.position.size.isZero { account.positions.remove(at: slot) } else { account.positions[slot] = change.position }
        } else if !change.position.size.isZero {
            account.positions.append(change.position)
        }
    }

    func marginReport(of account: Account, hedges: Bool = false) throws(ArithmeticError) -> MarginReport {
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
                bankruptcyPrice: LiquidationPriceSolver.bankruptcyPrice(size: position.size, referencePrice: mark, equityAtReference: risk.equity),
                greeks: Greeks(perpetualSize: position.size.doubleValue)
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
        let depositToCure = Fixed.maximum(try cureTarget.subtracting(risk.equity), .zero)
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
            depositToCure: depositToCure,
            positions: positions,
            underlyings: try underlyingRisks(of: account),
            hedgesToCure: hedges && depositToCure.isPositive ? try hedgesToCure(account, cure: lines.cure) : []
        )
    }

    /// The `UnderlyingRisk` of each underlying the account holds, in position order.
    func underlyingRisks(of account: Account) throws(ArithmeticError) -> [UnderlyingRisk] {
        try withUnsafePointer(to: account) { (pointer) throws(ArithmeticError) -> [UnderlyingRisk] in
            var risks: [UnderlyingRisk] = []
            for underlying in Self.underlyings(of: pointer, markets: state.markets) {
                guard let forward = state.markets[underlying].markPrice,
                      let book = try Self.portfolioBook(of: pointer, underlying: underlying, markets: state.markets) else { continue }
                var greeks = Greeks.zero
                for leg in book.legs { greeks = greeks + PortfolioMargin.greeks(of: leg, forward: book.forward) }
                var worst: UnderlyingRisk.WorstScenario?
                if !book.legs.isEmpty {
                    let scenarios = PortfolioMargin.scenarios(book.params)
                    let found = PortfolioMargin.worstLoss(legs: book.legs, forward: book.forward, scenarios: scenarios)
                    let scenario = scenarios[found.scenario]
                    worst = .init(index: found.scenario, move: scenario.move, volatilityFactor: scenario.volatilityFactor,
                                  weight: scenario.weight, loss: try Fixed(found.loss, rounding: .up))
                }
                risks.append(UnderlyingRisk(market: state.markets[underlying].id, forward: forward, greeks: greeks,
                                            worstScenario: worst, shortOptionCharge: try .narrowing(book.shortCharge)))
            }
            return risks
        }
    }

    /// Per underlying with a non-zero net delta, the `HedgeToCure` of `account` against the cure
    /// line `cure` (see that type for the search).
    func hedgesToCure(_ account: Account, cure: Fixed) throws(ArithmeticError) -> [HedgeToCure] {
        var answers: [HedgeToCure] = []
        let underlyings = withUnsafePointer(to: account) { Self.underlyings(of: $0, markets: state.markets) }
        for underlying in underlyings {
            guard let mark = state.markets[underlying].markPrice,
                  let book = try withUnsafePointer(to: account, { (pointer) throws(ArithmeticError) in
                      try Self.portfolioBook(of: pointer, underlying: underlying, markets: state.markets)
                  }) else { continue }
            let delta = PortfolioMargin.netDelta(legs: book.legs, forward: book.forward)
            guard delta.isFinite, let full = try? Fixed(Swift.abs(delta), rounding: .down), full.isPositive else { continue }
            let sign: Int64 = delta > 0 ? -1 : 1
            let settle = state.markets[underlying].settleAsset
            func trial(_ raw: Int64) throws(ArithmeticError) -> HedgeToCure {
                var after = account
                let size = Fixed(raw: sign * raw)
                try Self.trade(&after, market: underlying, size: size, price: mark, settleAsset: settle)
                let risk = try computeRisk(of: after).risk
                let cures = Int128(risk.equity.raw) * Int128(Fixed.scale) >= Int128(risk.maintenanceMargin.raw) * Int128(cure.raw)
                return HedgeToCure(market: state.markets[underlying].id, size: size, price: mark, equityAfter: risk.equity,
                                   maintenanceAfter: risk.maintenanceMargin, cures: cures)
            }
            var best = try trial(full.raw)
            if best.cures {
                var low: Int64 = 0, high = full.raw
                while high - low > 1 {
                    let middle = low + (high - low) / 2
                    let answer = try trial(middle)
                    if answer.cures { high = middle; best = answer } else { low = middle }
                }
            }
            answers.append(best)
        }
        return answers
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
            liquidationPrice: nil, bankruptcyPrice: nil,
            greeks: Self.portfolioLeg(of: position, underlying: terms.underlying, markets: state.markets)
                .map { PortfolioMargin.greeks(of: $0, forward: forward.doubleValue) })
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
