/// Setup commands: assets, markets, policies, the insurance fund.
extension Engine {
    mutating func defineAsset(id: String, price: Fixed, weight: Fixed) throws(Rejection) {
        if let problem = NameRule.problem(with: id) { throw Rejection(code: .invalidID, message: "the asset name \(problem)") }
        guard price.isPositive else { throw .notPositive("price") }
        guard weight.isPositive, weight <= .one else {
            throw Rejection(code: .invalidWeight, message: "weight must be above 0 and at most 1, got \(weight)")
        }
        if let existing = index.assetByID[id] {
            state.assets[existing].price = price
            state.assets[existing].weight = weight
            queueHolders(ofAsset: existing)
            return
        }
        index.assetByID[id] = state.assets.count
        state.assets.append(Asset(id: id, price: price, weight: weight))
        state.insuranceFund.append(.zero)
        state.feeIncome.append(.zero)
        state.outsideWorld.append(.zero)
    }

    mutating func defineMarket(id: String, settleAsset: String, tiers: [MarginTier], liquidationFee: Fixed,
                               expectedSlippage: Fixed = .zero, oracleGuard: OracleGuard = .none) throws(Rejection) {
        if let problem = NameRule.problem(with: id) { throw Rejection(code: .invalidID, message: "the market name \(problem)") }
        guard let settle = index.assetByID[settleAsset] else { throw .unknownAsset(settleAsset) }
        let schedule: TierSchedule
        do { schedule = try TierSchedule(tiers: tiers) } catch { throw Rejection(code: .invalidTiers, message: error.message) }
        guard liquidationFee >= .zero, liquidationFee < .one else {
            throw Rejection(code: .invalidFee, message: "liquidation_fee must be at least 0 and below 1")
        }
        guard expectedSlippage >= .zero, expectedSlippage < .one else {
            throw Rejection(code: .invalidFee, message: "expected_slippage must be at least 0 and below 1 (a fraction of notional)")
        }
        try oracleGuard.validate()
        if let existing = index.marketByID[id] {
            guard state.markets[existing].option == nil else {
                throw Rejection(code: .notAPerpetual, message: "\"\(id)\" is an option; a market command defines perpetuals only")
            }
            guard state.markets[existing].settleAsset == settle else {
                throw Rejection(code: .settleAssetChange, message: "market \"\(id)\" already settles in \(state.assets[state.markets[existing].settleAsset].id); its settle asset cannot change")
            }
            state.markets[existing].tiers = schedule
            state.markets[existing].liquidationFee = liquidationFee
            state.markets[existing].expectedSlippage = expectedSlippage
            setOracleGuard(oracleGuard, market: existing)
            queueHolders(ofMarket: existing)
            return
        }
        appendMarket(Market(id: id, settleAsset: settle, tiers: schedule, liquidationFee: liquidationFee, expectedSlippage: expectedSlippage,
                            oracleGuard: oracleGuard, volatility: VolatilityEstimator(halfLifeMs: Double(state.volatilityHalfLifeMs))))
    }

    /// Files a new market (a perpetual or an option) in the state and in every per-market index.
    mutating func appendMarket(_ market: Market) {
        index.marketByID[market.id] = state.markets.count
        if market.option != nil { index.unsettledOptions.append(state.markets.count) }
        state.markets.append(market)
        if market.oracleGuard.isActive { index.anyOracleGuard = true }
        state.marketPolicies.append(nil)
        state.clearing.append(.zero)
        index.triggers.append(TriggerIndex())
        index.dynamicWatch.append([])
        index.clockTriggers.append(TriggerIndex())
        index.marginMultipliers.append(.one)
    }

    mutating func setPolicy(_ policy: LiquidationPolicy, market: String?, volatilityHalfLifeMs: Int64?) throws(Rejection) {
        do { try policy.validate() } catch { throw Rejection(code: .invalidPolicy, message: error.message) }
        if let volatilityHalfLifeMs, volatilityHalfLifeMs <= 0 {
            throw Rejection(code: .invalidPolicy, message: "volatility_half_life_ms must be above 0")
        }
        if let market {
            guard let marketIndex = index.marketByID[market] else { throw .unknownMarket(market) }
            state.marketPolicies[marketIndex] = policy
            if let volatilityHalfLifeMs { state.markets[marketIndex].volatility.halfLifeMs = Double(volatilityHalfLifeMs) }
        } else {
            state.globalPolicy = policy
            if let volatilityHalfLifeMs {
                state.volatilityHalfLifeMs = volatilityHalfLifeMs
                for marketIndex in state.markets.indices { state.markets[marketIndex].volatility.halfLifeMs = Double(volatilityHalfLifeMs) }
            }
        }
        for marketIndex in state.markets.indices { index.marginMultipliers[marketIndex] = currentMarginMultiplier(market: marketIndex) }
        index.anyDynamicMargin = state.globalPolicy.dynamicMargin != nil || state.marketPolicies.contains { $0?.dynamicMargin != nil }
        // Thresholds moved: every account with a position is re-evaluated and re-indexed.
        for account in state.accounts.indices where !state.accounts[account].positions.isEmpty { queueEvaluation(account) }
    }

    mutating func depositInsurance(amount: Fixed, asset: String?) throws(Rejection) {
        guard amount.isPositive else { throw .notPositive("amount") }
        let assetIndex: Int
        if let asset {
            guard let found = index.assetByID[asset] else { throw .unknownAsset(asset) }
            assetIndex = found
        } else {
            guard let first = state.markets.first else {
                throw Rejection(code: .noSettleAsset, message: "insurance_deposit without \"asset\" needs a market defined first (its settle asset is used)")
            }
            assetIndex = first.settleAsset
        }
        var batch = LedgerBatch()
        batch.move(amount, of: assetIndex, from: .outsideWorld, to: .insuranceFund)
        do { try commit(batch) } catch { throw rejection(for: error) }
    }
}
