/// Account and market commands: deposits, withdrawals, fills, marks, collateral prices, funding.
extension Engine {
    /// A deposit into collateral, or with `toReserve` into the account's reserve (which is not
    /// collateral and only auto top-up draws on). Creates the account if new.
    mutating func deposit(account id: String, asset: String, amount: Fixed, toReserve: Bool = false) throws(Rejection) {
        guard let assetIndex = index.assetByID[asset] else { throw .unknownAsset(asset) }
        guard amount.isPositive else { throw .notPositive("amount") }
        if let problem = NameRule.problem(with: id) { throw Rejection(code: .invalidID, message: "the account name \(problem)") }
        let existing = index.accountByID[id]
        let account = existing ?? state.accounts.count
        if existing == nil {
            // Validate against a zero balance before creating anything.
            guard amount <= Fixed.max else { throw .overflow("the deposit") }
            index.accountByID[id] = account
            state.accounts.append(Account(id: id))
            index.triggerVersions.append(0)
            index.isQueued.append(false)
            index.liveTriggerEntries.append(0)
            index.cashSlackDown.append(0)
            index.cashSlackUp.append(0)
            index.columns.appendAccount()
        }
        var batch = LedgerBatch()
        batch.move(amount, of: assetIndex, from: .outsideWorld, to: toReserve ? .reserve(account) : .trader(account))
        do { try commit(batch) } catch {
            if existing == nil {  // undo the creation: a refused command changes nothing
                index.accountByID[id] = nil
                state.accounts.removeLast()
                index.triggerVersions.removeLast()
                index.isQueued.removeLast()
                index.liveTriggerEntries.removeLast()
                index.cashSlackDown.removeLast()
                index.cashSlackUp.removeLast()
                index.columns.removeLastAccount()
            }
            throw rejection(for: error)
        }
        if toReserve {
            // A reserve is not equity; it matters only to an account that auto top-up may now cure.
            if state.accounts[account].autoTopup != nil, state.accounts[account].phase != .healthy { queueEvaluation(account) }
        } else if existing == nil { queueEvaluation(account) } else { spendCash(account: account, asset: assetIndex, amount: amount) }
    }

    /// A withdrawal from the account's reserve: no margin check (a reserve is not collateral), at
    /// most what the reserve holds.
    mutating func withdrawReserve(account id: String, asset: String, amount: Fixed) throws(Rejection) {
        guard let account = index.accountByID[id] else { throw .unknownAccount(id) }
        guard let assetIndex = index.assetByID[asset] else { throw .unknownAsset(asset) }
        guard amount.isPositive else { throw .notPositive("amount") }
        let reserve = state.accounts[account].reserve(ofAsset: assetIndex)
        guard reserve >= amount else {
            throw Rejection(code: .insufficientBalance, message: "account \"\(id)\" holds \(reserve) \(asset) in reserve, less than the \(amount) requested")
        }
        var batch = LedgerBatch()
        batch.move(amount, of: assetIndex, from: .reserve(account), to: .outsideWorld)
        do { try commit(batch) } catch { throw rejection(for: error) }
    }

    /// The `protect` command: sets the account's auto top-up instruction (its budget starts
    /// afresh), or removes it with nil. The account must already hold a reserve in the asset.
    mutating func protect(account id: String, request: AutoTopupRequest?) throws(Rejection) {
        guard let account = index.accountByID[id] else { throw .unknownAccount(id) }
        guard let request else {
            state.accounts[account].autoTopup = nil
            return
        }
        guard let assetIndex = index.assetByID[request.asset] else { throw .unknownAsset(request.asset) }
        guard request.maxAmount.isPositive else { throw .notPositive("auto_topup.max_amount") }
        guard state.accounts[account].reserve(ofAsset: assetIndex).isPositive else {
            throw Rejection(code: .noReserve,
                            message: "account \"\(id)\" has no \(request.asset) reserve to top up from; deposit with \"to\": \"reserve\" first")
        }
        state.accounts[account].autoTopup = AutoTopup(asset: assetIndex, maxAmount: request.maxAmount)
        if state.accounts[account].phase != .healthy { queueEvaluation(account) }
    }

    mutating func withdraw(account id: String, asset: String, amount: Fixed) throws(Rejection) {
        guard let account = index.accountByID[id] else { throw .unknownAccount(id) }
        guard let assetIndex = index.assetByID[asset] else { throw .unknownAsset(asset) }
        guard amount.isPositive else { throw .notPositive("amount") }
        let phase = state.accounts[account].phase
        guard !phase.restrictsRisk else {
            throw Rejection(code: .marginCallActive, message: "account \"\(id)\" is in \(phase.rawValue); withdrawals are refused until the call is cured")
        }
        let balance = state.accounts[account].balance(ofAsset: assetIndex)
        guard balance >= amount else {
            throw Rejection(code: .insufficientBalance, message: "account \"\(id)\" holds \(balance) \(asset), less than the \(amount) requested")
        }
        // Margin check on the account as it would be after the withdrawal.
        var after = state.accounts[account]
        after.setBalance(Fixed(raw: balance.raw - amount.raw), ofAsset: assetIndex)
        let risk: AccountRisk
        do { risk = try computeRisk(of: after).risk } catch { throw .overflow("account \"\(id)\"'s equity") }
        guard risk.equity >= risk.initialMargin else {
            throw Rejection(code: .insufficientMargin, message: "withdrawing \(amount) \(asset) would leave equity \(risk.equity) below initial margin \(risk.initialMargin)")
        }
        var batch = LedgerBatch()
        batch.move(amount, of: assetIndex, from: .trader(account), to: .outsideWorld)
        do { try commit(batch) } catch { throw rejection(for: error) }
        spendCash(account: account, asset: assetIndex, amount: amount.negated)
    }

    /// A venue fill: the position changes at `price`, realized PnL settles through the market's
    /// clearing account and the trading fee goes to fee income, as one transition (positions and
    /// money together). A risk-increasing fill is refused during a call or deleveraging (except, on
    /// the portfolio model, a hedge: `reducesPortfolioRisk`), or when equity afterwards would be
    /// below IM; a fill on a liquidated or bankrupt account reopens it.
    ///
    /// On an option (`market` = the option id), `size` is in contracts and `price` the premium per
    /// unit of underlying: the position's basis is size × (price × contract_size, rounded up); no
    /// premium changes hands (futures-style). Refused once the clock has reached the expiry, and
    /// before the option has a value (an underlying mark and an `option_vol`).
    mutating func fill(account id: String, market marketID: String, size: Fixed, price unitPrice: Fixed, fee: Fixed) throws(Rejection) {
        guard let account = index.accountByID[id] else { throw .unknownAccount(id) }
        guard let market = index.marketByID[marketID] else { throw .unknownMarket(marketID) }
        guard !size.isZero else { throw Rejection(code: .zeroSize, message: "a fill's size must not be zero (+ buys, − sells)") }
        guard unitPrice.isPositive else { throw .notPositive("price") }
        var price = unitPrice
        if let terms = state.markets[market].option {
            guard terms.settlementPrice == nil, state.clockMs < terms.expiryMs else { throw .optionExpired(marketID) }
            guard state.markets[market].markPrice != nil, let forward = state.markets[terms.underlying].markPrice else {
                throw Rejection(code: .noOptionValue,
                                message: "option \"\(marketID)\" has no value yet; it needs a mark of \(state.markets[terms.underlying].id) and an option_vol")
            }
            do {
                price = try unitPrice.multiplied(by: terms.contractSize, rounding: .up)
                let contracts = try state.accounts[account].positions.first { $0.market == market }.map(\.size).map { try $0.adding(size) } ?? size
                _ = try contracts.magnitude.multiplied(by: terms.contractSize, rounding: .up).multiplied(by: forward, rounding: .up)
            } catch { throw .overflow("the option position's notional") }
        }
        guard let mark = state.markets[market].markPrice else { throw .noMarkPrice(marketID) }
        let settle = state.markets[market].settleAsset

        let existingIndex = state.accounts[account].positionIndex(market: market)
        let current = existingIndex.map { state.accounts[account].positions[$0] } ?? Position(market: market, size: .zero, openNotional: .zero)
        let change: PositionChange
        do { change = try current.applyingTrade(quantity: size, price: price) } catch { throw .overflow("the position") }
        // The position's notional must stay representable at the current mark and at the fill price.
        do {
            _ = try change.position.notional(at: mark)
            _ = try change.position.notional(at: price)
        } catch { throw .overflow("the position's notional") }
        let balanceAfter: Fixed
        do {
            balanceAfter = try state.accounts[account].balance(ofAsset: settle).adding(change.realizedPnL).subtracting(fee)
        } catch { throw .overflow("account \"\(id)\"'s \(state.assets[settle].id) balance") }

        let phase = state.accounts[account].phase
        let positionsAfter = state.accounts[account].positions.count
            + (existingIndex == nil ? 1 : 0) - (change.position.size.isZero ? 1 : 0)
        var transition = Transition(account: account,
                                    outcome: (phase == .liquidated || phase == .bankrupt) && positionsAfter > 0 ? .reopened : nil)
        transition.reduceOnly = false
        transition.ledger.move(change.realizedPnL, of: settle, from: .clearing(market: market), to: .trader(account))
        transition.ledger.move(fee, of: settle, from: .trader(account), to: .feeIncome)
        transition.positions = [.init(account: account, position: change.position)]

        if change.increasesRisk {
            // The account as it would be after the fill, for the margin check (commit re-validates
            // it all). Built only here: copying it copies its position and balance buffers, which a
            // fill that only reduces risk does not need.
            var after = state.accounts[account]
            if let existingIndex {
                if change.position.size.isZero { after.positions.remove(at: existingIndex) } else { after.positions[existingIndex] = change.position }
            } else {
                after.positions.append(change.position)
            }
            after.setBalance(balanceAfter, ofAsset: settle)
            if phase.restrictsRisk, state.accounts[account].marginModel == .portfolio {
                // A portfolio account in a call may hedge: a fill that lowers MM without raising the
                // worst-scenario loss reduces its risk even if it opens or enlarges a position.
                guard reducesPortfolioRisk(account: account, after: after) else {
                    throw Rejection(code: .marginCallActive,
                                    message: "account \"\(id)\" is in \(phase.rawValue); only fills that reduce its maintenance margin without raising its worst-scenario loss are accepted until the call is cured")
                }
            } else {
                guard !phase.restrictsRisk else {
                    throw Rejection(code: .marginCallActive, message: "account \"\(id)\" is in \(phase.rawValue); only risk-reducing fills are accepted until the call is cured")
                }
                let risk: AccountRisk, initial: Fixed
                do {
                    risk = try computeRisk(of: after).risk
                    initial = try scaledInitialMargin(of: after, unscaled: risk.initialMargin)
                } catch { throw .overflow("account \"\(id)\"'s margin") }
                guard risk.equity >= initial else {
                    let scaled = initial == risk.initialMargin ? "" : " (scaled by dynamic margin for the current volatility)"
                    throw Rejection(code: .insufficientMargin, message: "after this fill account \"\(id)\" would have equity \(risk.equity) below initial margin \(initial)\(scaled)")
                }
            }
        }
        do { try commit(transition) } catch {
            throw Rejection(code: .arithmeticOverflow, message: "the fill could not be settled: \(error.message)")
        }
        queueEvaluation(account)
    }

    /// True if `after` (the account after a fill) has a lower MM than the stored account and a worst
    /// scenario loss no higher: the test a hedge must pass during a portfolio account's call.
    func reducesPortfolioRisk(account: Int, after: Account) -> Bool {
        guard let before = try? computeRisk(ofAccount: account).risk, let then = try? computeRisk(of: after).risk,
              let worstBefore = try? Self.worstScenarioLoss(of: state.accounts[account], markets: state.markets),
              let worstAfter = try? Self.worstScenarioLoss(of: after, markets: state.markets) else { return false }
        return then.maintenanceMargin < before.maintenanceMargin && worstAfter <= worstBefore
    }

    /// The initial margin a risk-increasing fill must meet: Σ_i IM_i × m_i, m_i the dynamic-margin
    /// multiplier of position i's market under the policy that market follows (1 without dynamic
    /// margin). Each product is rounded up (a requirement). `unscaled` (Σ IM_i) is returned as is
    /// when no position's market is under dynamic margin.
    func scaledInitialMargin(of account: Account, unscaled: Fixed) throws(ArithmeticError) -> Fixed {
        guard index.anyDynamicMargin else { return unscaled }
        var scaled: Int128 = 0
        var anyScaled = false
        for position in account.positions {
            let market = state.markets[position.market]
            guard let mark = market.markPrice else { continue }
            let initial = try market.tiers.initialMargin(notional: try position.notional(at: mark))
            let policy = state.marketPolicies[position.market] ?? state.globalPolicy
            let multiplier = policy.dynamicMargin.map { market.marginMultiplier($0) } ?? .one
            if multiplier != .one { anyScaled = true }
            scaled += Int128(try initial.multiplied(by: multiplier, rounding: .up).raw)
        }
        return anyScaled ? try .narrowing(scaled) : unscaled
    }

    mutating func updateMark(market marketID: String, price: Fixed) throws(Rejection) {
        guard let market = index.marketByID[marketID] else { throw .unknownMarket(marketID) }
        try requirePerpetual(market, command: "mark")
        guard price.isPositive else { throw .notPositive("price") }
        do { _ = try state.markets[market].largestPositionSize.multiplied(by: price, rounding: .up) } catch {
            throw Rejection(code: .priceOutOfRange, message: "mark \(price) would put the market's largest position beyond the engine's range")
        }
        try checkOptionRange(underlying: market, price: price)
        guard !index.anyOracleGuard || admitMark(market: market, price: price) else { return }
        state.markets[market].markPrice = price
        state.markets[market].volatility.observe(price: price.doubleValue, atMs: state.clockMs)
        markAccepted(market: market)
        revalueOptions(ofUnderlying: market)
        queueOnMultiplierChange(market: market)
        var triggered: [Int] = []
        index.triggerEntryTotal -= index.triggers[market].popTriggered(byPriceRaw: price.raw, versions: index.triggerVersions, into: &triggered)
        // Option books whose time budget the clock has passed (their options were just revalued).
        index.triggerEntryTotal -= index.clockTriggers[market].popTriggered(byPriceRaw: state.clockMs, versions: index.triggerVersions, into: &triggered)
        if markEvaluation == .everyHolder {
            // Every holder of the market or of an option on it (the options were just revalued).
            let options = index.options[market] ?? []
            triggered = state.accounts.indices.filter { account in
                state.accounts[account].positions.contains { $0.market == market || options.contains($0.market) }
            }
        }
        // Evaluate in account order, whatever order the heaps popped them in.
        Self.sortAccounts(&triggered, accountCount: state.accounts.count)
        // A triggered account emits about three events (e.g. fill, liquidated, bankrupt): reserve
        // once rather than grow the array by doubling through a crash tick.
        pendingEvents.reserveCapacity(pendingEvents.count + 3 * triggered.count)
        for account in triggered { queueEvaluation(account) }
    }

    /// Sorts account indices ascending, dropping repeats (which `queueEvaluation` would skip anyway).
    /// Many of them (a crash: more than one in 64 accounts) go through a bitset over all accounts,
    /// O(k + accounts/64), instead of a comparison sort.
    static func sortAccounts(_ accounts: inout [Int], accountCount: Int) {
        guard accounts.count > 64, accounts.count > accountCount / 64 else {
            accounts.sort()
            return
        }
        var bits = [UInt64](repeating: 0, count: (accountCount + 63) / 64)
        for account in accounts { bits[account / 64] |= 1 << UInt64(account % 64) }
        accounts.removeAll(keepingCapacity: true)
        for (wordIndex, word) in bits.enumerated() where word != 0 {
            var remaining = word
            while remaining != 0 {
                accounts.append(wordIndex * 64 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }

    mutating func updateAssetPrice(asset: String, price: Fixed) throws(Rejection) {
        guard let assetIndex = index.assetByID[asset] else { throw .unknownAsset(asset) }
        guard price.isPositive else { throw .notPositive("price") }
        state.assets[assetIndex].price = price
        queueHolders(ofAsset: assetIndex)
    }

    /// Funding: each position pays size × mark × rate to the market's clearing account (a negative
    /// amount is received). Rounding: a payment is rounded up, a receipt toward zero, so the
    /// clearing account never pays out more than it takes in.
    mutating func applyFunding(market marketID: String, rate: Fixed) throws(Rejection) {
        guard let market = index.marketByID[marketID] else { throw .unknownMarket(marketID) }
        try requirePerpetual(market, command: "funding")
        guard let mark = state.markets[market].markPrice else { throw .noMarkPrice(marketID) }
        guard rate.magnitude <= .one else { throw Rejection(code: .invalidRate, message: "funding rate must be between -1 and 1") }
        let settle = state.markets[market].settleAsset
        var overflowed = false
        // Holders in account order, found by streaming the position columns (no account is touched),
        // each paying the market's clearing account: one fan-in batch, committed as a whole.
        var batch = LedgerBatch(fanInto: .clearing(market: market), asset: settle, expected: 0)
        index.columns.forEachHolder(ofMarket: market) { account, sizeRaw in
            guard !overflowed else { return }
            // size × mark × rate in 10⁻²⁴ units; |size × mark| fits the range (marks are guarded),
            // so the triple product fits Int128. Rounded toward +∞ once.
            let wide = Int128(sizeRaw) * Int128(mark.raw) * Int128(rate.raw)
            guard let payment = try? Fixed.fromWide(wide, dividedBy: Int128(Fixed.scale) * Int128(Fixed.scale), rounding: .up) else {
                overflowed = true
                return
            }
            batch.collect(payment, fromTrader: account)
        }
        if overflowed { throw .overflow("a funding payment") }
        do { try commit(batch) } catch { throw rejection(for: error) }
        guard let legs = batch.fanIn else { return }
        for (account, paymentRaw) in zip(legs.traders, legs.amountsRaw) {
            spendCash(account: account, asset: settle, amount: Fixed(raw: paymentRaw).negated)
        }
    }

    /// After a cash move of `amount` of `asset` into (positive) or out of an account, re-evaluates
    /// it only if the move could change a decision: the equity change is at most
    /// ⌈|amount| × price⌉ + 10⁻⁸ (weights ≤ 1 only shrink it), checked against the account's cash
    /// slack (`Engine.spendCashSlack`).
    mutating func spendCash(account: Int, asset: Int, amount: Fixed) {
        // A price of exactly 1 (a stablecoin settle asset): the bound is |amount| + 10⁻⁸, no product.
        if state.assets[asset].price == .one, amount.raw != .min, amount.raw.magnitude < UInt64(Int64.max) {
            let bound = Int64(amount.raw.magnitude) + 1
            spendCashSlack(account: account, deltaRaw: amount.isNegative ? -bound : bound)
            return
        }
        guard let bound = try? amount.magnitude.multiplied(by: state.assets[asset].price, rounding: .up).adding(.ulp) else {
            queueEvaluation(account)
            return
        }
        spendCashSlack(account: account, deltaRaw: amount.isNegative ? -bound.raw : bound.raw)
    }

    /// Refuses `command` (a mark or funding) on an option: its value comes from its underlying's
    /// mark and its volatility, and it pays no funding.
    func requirePerpetual(_ market: Int, command: String) throws(Rejection) {
        guard state.markets[market].option != nil else { return }
        throw Rejection(code: .notAPerpetual,
                        message: "\"\(state.markets[market].id)\" is an option: \(command) applies to perpetuals (an option is valued from its underlying's mark and option_vol)")
    }

    /// Queues every account holding a position in `market` for re-evaluation.
    mutating func queueHolders(ofMarket market: Int) {
        for account in state.accounts.indices where state.accounts[account].positionIndex(market: market) != nil {
            queueEvaluation(account)
        }
    }

    /// Queues every account with a non-zero balance of `asset` for re-evaluation.
    mutating func queueHolders(ofAsset asset: Int) {
        for account in state.accounts.indices where !state.accounts[account].balance(ofAsset: asset).isZero {
            queueEvaluation(account)
        }
    }
}
