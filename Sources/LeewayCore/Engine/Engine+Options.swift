/// Options (part 3 of the spec): definition, implied volatility, valuation after each mark of the
/// underlying, and cash settlement at expiry. An option is an entry of the market table whose
/// `option` is set (`OptionTerms`); fills, positions, clearing and liquidation fills go through
/// the same paths as a perpetual's.
extension Engine {
    /// The `option` command: a European option on the perpetual `underlying`, settled in its settle
    /// asset. Refused for an unknown or non-perpetual underlying, strike or contract size ≤ 0, an
    /// expiry not after the clock, and an id already used by a perpetual or by an option with other
    /// terms (the same terms again is a no-op, so a replayed set-up is harmless).
    mutating func defineOption(id: String, underlying: String, kind: Black76.Kind, strike: Fixed, expiryMs: Int64,
                               contractSize: Fixed) throws(Rejection) {
        if let problem = NameRule.problem(with: id) { throw Rejection(code: .invalidID, message: "the option name \(problem)") }
        guard let underlyingIndex = index.marketByID[underlying] else { throw .unknownMarket(underlying) }
        guard state.markets[underlyingIndex].option == nil else {
            throw Rejection(code: .notAPerpetual, message: "\"\(underlying)\" is an option; an option's underlying must be a perpetual")
        }
        guard strike.isPositive else {
            throw Rejection(code: .invalidStrike, message: "strike must be greater than zero, got \(strike)")
        }
        guard contractSize.isPositive else {
            throw Rejection(code: .invalidContractSize, message: "contract_size must be greater than zero, got \(contractSize)")
        }
        guard (try? strike.multiplied(by: contractSize, rounding: .up)) != nil else { throw .overflow("strike × contract_size") }
        guard expiryMs > state.clockMs else {
            throw Rejection(code: .expiryInPast,
                            message: "expiry \(expiryMs) is not after the engine clock \(state.clockMs); an option must expire in the future")
        }
        let terms = OptionTerms(underlying: underlyingIndex, kind: kind, strike: strike, expiryMs: expiryMs, contractSize: contractSize)
        if let existing = index.marketByID[id] {
            guard let current = state.markets[existing].option, current.hasSameTerms(as: terms) else {
                let what = state.markets[existing].option == nil ? "a perpetual" : "an option with other terms"
                throw Rejection(code: .optionExists, message: "\"\(id)\" is already \(what); give the option another id")
            }
            return
        }
        let base = state.markets[underlyingIndex]
        var market = Market(id: id, settleAsset: base.settleAsset, tiers: base.tiers, liquidationFee: base.liquidationFee,
                            expectedSlippage: base.expectedSlippage,
                            volatility: VolatilityEstimator(halfLifeMs: Double(state.volatilityHalfLifeMs)))
        market.option = terms
        appendMarket(market)
        index.options[underlyingIndex, default: []].append(state.markets.count - 1)
    }

    /// The `option_vol` command: the option's implied volatility, in (0, 10]. The option is valued
    /// again at once and its holders re-evaluated.
    mutating func setOptionVolatility(option id: String, volatility: Fixed) throws(Rejection) {
        guard let market = index.marketByID[id], let terms = state.markets[market].option else {
            throw Rejection(code: .unknownOption, message: "option \"\(id)\" is not defined; send an option command first")
        }
        guard volatility.isPositive, volatility <= OptionTerms.maximumVolatility else {
            throw Rejection(code: .invalidVolatility, message: "vol must be above 0 and at most 10 (1,000 %), got \(volatility)")
        }
        guard terms.settlementPrice == nil, state.clockMs < terms.expiryMs else { throw .optionExpired(id) }
        state.markets[market].option?.volatility = volatility
        revalue(option: market)
        queueHolders(ofMarket: market)
    }

    /// Values option `market` at its underlying's mark and the clock (`OptionValuation`): the mark
    /// is the value rounded down, `valueCeiling` the value rounded up. Without a volatility or an
    /// underlying mark, or past expiry, nothing changes.
    mutating func revalue(option market: Int) {
        guard let terms = state.markets[market].option, terms.settlementPrice == nil,
              let mark = state.markets[terms.underlying].markPrice,
              let value = try? OptionValuation.value(of: terms, underlyingMark: mark, atMs: state.clockMs) else { return }
        state.markets[market].markPrice = value.down
        state.markets[market].option?.valueCeiling = value.up
        state.markets[market].markTimeMs = state.clockMs
        index.staleOptionRisk.insert(market)
    }

    /// Stores the risk array (`OptionRiskTable`) of every option valued since the last refresh, at
    /// the inputs a book's leg on it has now. Called before evaluations, so a mark that evaluates
    /// nobody (a quiet tick) computes no risk array; `remarginAll` callers may call it first.
    public mutating func refreshOptionRisk() {
        for market in index.staleOptionRisk {
            guard let terms = state.markets[market].option, let forward = state.markets[terms.underlying].markPrice,
                  let option = Self.optionLeg(of: state.markets[market]) else { continue }
            index.optionRisk.store(market: market, forward: forward.doubleValue, option: option,
                                   params: state.markets[terms.underlying].portfolioParams ?? .standard)
        }
        index.staleOptionRisk.removeAll(keepingCapacity: true)
    }

    /// After an accepted mark of `underlying`: values its options again. Their holders are in the
    /// underlying's trigger bands and clock edges (`fileNonlinearBands`), which the mark then checks.
    mutating func revalueOptions(ofUnderlying underlying: Int) {
        guard let options = index.options[underlying] else { return }
        for option in options where state.markets[option].option?.settlementPrice == nil { revalue(option: option) }
    }

    /// Refuses a mark of `underlying` at `price` that would put an option position's notional
    /// (|size| × contract_size × price, the largest size ever held) beyond the engine's range.
    func checkOptionRange(underlying: Int, price: Fixed) throws(Rejection) {
        guard let options = index.options[underlying] else { return }
        for option in options {
            let market = state.markets[option]
            guard let terms = market.option else { continue }
            do { _ = try market.largestPositionSize.multiplied(by: terms.contractSize, rounding: .up).multiplied(by: price, rounding: .up) } catch {
                throw Rejection(code: .priceOutOfRange, message: "mark \(price) would put the largest \(market.id) position beyond the engine's range")
            }
        }
    }

    /// Settles every option whose expiry the clock has reached (called on each clock advance,
    /// before due deadlines fire): each position closes in cash at the intrinsic value at the
    /// underlying's mark, per contract intrinsic × contract_size rounded down for longs and up for
    /// shorts (against the holder), realized PnL paid through the option's clearing account, with
    /// an `option_settled` event; then the account is re-evaluated. An option whose underlying has
    /// no mark yet waits for one (fills on it are refused meanwhile). A settlement that cannot be
    /// committed raises an alert and is tried again at the next clock advance.
    mutating func settleExpiredOptions() {
        guard !index.unsettledOptions.isEmpty else { return }
        var remaining: [Int] = []
        for option in index.unsettledOptions {
            guard let terms = state.markets[option].option, terms.expiryMs <= state.clockMs,
                  let mark = state.markets[terms.underlying].markPrice else {
                remaining.append(option)
                continue
            }
            if settle(option: option, terms: terms, mark: mark) {
                let intrinsic = terms.intrinsicValue(at: mark)
                state.markets[option].option?.settlementPrice = intrinsic
                let perContract = (try? intrinsic.multiplied(by: terms.contractSize, rounding: .down)) ?? .zero
                state.markets[option].markPrice = perContract
                state.markets[option].option?.valueCeiling = perContract
            } else {
                remaining.append(option)
            }
        }
        index.unsettledOptions = remaining
    }

    /// Settles every position in `option`; false if some could not be (left for a retry).
    private mutating func settle(option: Int, terms: OptionTerms, mark: Fixed) -> Bool {
        let intrinsic = terms.intrinsicValue(at: mark)
        let settle = state.markets[option].settleAsset
        var complete = true
        for account in state.accounts.indices {
            guard let slot = state.accounts[account].positionIndex(market: option) else { continue }
            let position = state.accounts[account].positions[slot]
            var transition = Transition(account: account, failureCode: .settlementFailed)
            do throws(EngineFault) {
                let change: PositionChange
                do {
                    let price = try intrinsic.multiplied(by: terms.contractSize, rounding: position.size.isPositive ? .down : .up)
                    change = try position.applyingTrade(quantity: position.size.negated, price: price)
                } catch {
                    throw EngineFault(code: .settlementFailed,
                                      message: "settling account \"\(state.accounts[account].id)\"'s \(state.markets[option].id) position is beyond the engine's range")
                }
                transition.ledger.move(change.realizedPnL, of: settle, from: .clearing(market: option), to: .trader(account))
                transition.positions = [.init(account: account, position: change.position)]
                transition.events = [.optionSettled(account: state.accounts[account].id, option: state.markets[option].id,
                                                    size: position.size, settlementPrice: intrinsic, pnl: change.realizedPnL)]
                try commit(transition)
                queueEvaluation(account)
            } catch {
                raiseAlert(error, account: account)
                complete = false
            }
        }
        return complete
    }
}
