/// Auto-deleveraging: how a bankrupt account's uncovered deficit is recovered from opposite positions.
extension Engine {
    /// Plans ADL of `remaining` (≤ `deficit`) in `asset` into `transition` and returns what the
    /// counterparties pay (Σ of their `adl_fill` amounts).
    ///
    /// The rule, across any number of legs (the positions the final close took, in markets
    /// settling in `asset`; leg i closed quantity q_i at price c_i, notional n_i = q_i × c_i):
    /// - **Split.** The deficit is attributed to legs in proportion to notional,
    ///   D_i = ⌊D × n_i / Σn⌋ (the last leg takes the rest, so Σ D_i = D), and likewise the part
    ///   to recover, R_i from R. Then every leg gets the same *relative* price concession:
    ///   δ_i / c_i = D / Σn, so no market's counterparties pay more, in price terms, than another's.
    /// - **Bankruptcy price** of leg i: δ_i = ⌈D_i / q_i⌉ (10⁻⁸), p_i = c_i + δ_i for a long leg,
    ///   c_i − δ_i for a short one (at least 10⁻⁸): the price at which closing the leg would have
    ///   left the account at zero, the other legs held at their close prices.
    /// - **Counterparties**: opposite positions in leg i's market, ranked by unrealized-PnL ratio ×
    ///   leverage (`rankedCounterparties`). Each in turn closes x = min(|size|, ⌈left_i / δ_i⌉) at
    ///   c_i (its PnL realized through the clearing account, as any close) and pays the bankrupt
    ///   account amount = ⌈x × δ_i⌉: exactly a close at p_i, rounded up to 10⁻⁸. Its `adl_fill`
    ///   reports size ∓x, price p_i and that amount, so size, price and money agree for every fill
    ///   and Σ amounts = `adl_recovered`. The loop ends when left_i ≤ 0; the rounding surplus (at
    ///   most δ_i × 10⁻⁸ + 10⁻⁸ per leg) is passed to the insurance fund by the caller.
    ///
    /// **Option legs** follow the same rule in premium terms: c_i is the value per contract the leg
    /// closed at (rounded against the bankrupt account), n_i = q_i × c_i its premium notional, and
    /// p_i = c_i ± δ_i the bankruptcy premium, the value per contract at which buying back (a short
    /// leg) or selling (a long one) would have left the account at zero; holders of the opposite
    /// option position close at c_i and pay ⌈x × δ_i⌉, exactly as for a perpetual. A short leg's
    /// premium cannot concede below 10⁻⁸, so a deep out-of-the-money option recovers at most its
    /// value; the rest of its share stays as bad debt with the `bad_debt` alert. (Leeway's rule:
    /// the bankruptcy value is read off the premium the close realized, not off a scenario of the
    /// grid, so it is exact and the fills agree with the money.)
    ///
    /// Cross-margin venues (Binance, Bybit) close each bankrupt position against ADL counterparties
    /// at that position's bankruptcy price and do not publish how a cross-margin deficit is split;
    /// Hyperliquid ADLs at the mark of the liquidated position. The split above is Leeway's
    /// choice: exact, deterministic, and equal in relative price across legs.
    func planAutoDeleverage(into transition: inout Transition, bankrupt account: Int, asset: Int,
                            deficit: Fixed, remaining: Fixed, legs: [ClosedLeg]) throws(EngineFault) -> Fixed {
        guard !legs.isEmpty else { return .zero }
        let notionals: [Int128] = legs.map { Int128($0.closedQuantity.raw) * Int128($0.price.raw) }
        let totalNotional = notionals.reduce(0, +)
        guard totalNotional > 0 else { return .zero }
        /// Splits `amount` by notional: floor for every leg but the last, which takes the rest.
        func split(_ amount: Fixed) -> [Int64] {
            var shares: [Int64] = []
            var allocated: Int64 = 0
            for (offset, notional) in notionals.enumerated() {
                let share = offset == notionals.count - 1
                    ? amount.raw - allocated
                    : Int64(Int128(amount.raw) * notional / totalNotional)  // ≤ amount: fits
                shares.append(share)
                allocated += share
            }
            return shares
        }
        let deficitShares = split(deficit)
        let recoveryShares = split(remaining)
        let bankruptID = state.accounts[account].id
        var recoveredTotal: Int64 = 0
        for (legIndex, leg) in legs.enumerated() {
            guard recoveryShares[legIndex] > 0 else { continue }
            let marketID = state.markets[leg.market].id
            var distance: Fixed
            do { distance = try Fixed(raw: deficitShares[legIndex]).divided(by: leg.closedQuantity, rounding: .up) } catch {
                throw EngineFault(code: .settlementFailed, message: "the bankruptcy price of account \"\(bankruptID)\"'s \(marketID) leg is beyond the engine's range")
            }
            if !leg.sizeBefore.isPositive { distance = Fixed.minimum(distance, Fixed(raw: leg.price.raw - 1)) }
            guard distance.isPositive else { continue }
            let bankruptcyPrice: Fixed
            do { bankruptcyPrice = leg.sizeBefore.isPositive ? try leg.price.adding(distance) : try leg.price.subtracting(distance) } catch {
                throw EngineFault(code: .settlementFailed, message: "the bankruptcy price of account \"\(bankruptID)\"'s \(marketID) leg is beyond the engine's range")
            }
            let rankingKey = 2 * leg.market + (leg.sizeBefore.isPositive ? 0 : 1)
            var ranking: AdlRanking
            if let cached = adlRankings[rankingKey] { ranking = cached } else {  // not `??`: it would copy the engine
                ranking = AdlRanking(accounts: rankedCounterparties(market: leg.market, oppositeTo: leg.sizeBefore), start: 0)
            }
            // Skip the head of the queue that earlier bankruptcies of this command closed out.
            while ranking.start < ranking.accounts.count,
                  state.accounts[ranking.accounts[ranking.start]].positionIndex(market: leg.market) == nil {
                ranking.start += 1
            }
            var left = recoveryShares[legIndex]
            for counterparty in ranking.accounts[ranking.start...] where counterparty != account {
                guard left > 0 else { break }
                guard let slot = state.accounts[counterparty].positionIndex(market: leg.market) else { continue }
                let position = state.accounts[counterparty].positions[slot]
                guard !position.size.isZero, position.size.isPositive != leg.sizeBefore.isPositive else { continue }
                let change: PositionChange, amount: Fixed, quantity: Fixed
                do {
                    let wanted = try Fixed(raw: left).divided(by: distance, rounding: .up)
                    quantity = Fixed.minimum(position.size.magnitude, wanted)
                    amount = try quantity.multiplied(by: distance, rounding: .up)
                    change = try position.applyingTrade(quantity: position.size.isPositive ? quantity.negated : quantity, price: leg.price)
                } catch {
                    throw EngineFault(code: .settlementFailed,
                                      message: "ADL of account \"\(state.accounts[counterparty].id)\" in \(marketID) for account \"\(bankruptID)\" is beyond the engine's range")
                }
                let trade = position.size.isPositive ? quantity.negated : quantity
                transition.ledger.move(change.realizedPnL, of: asset, from: .clearing(market: leg.market), to: .trader(counterparty))
                transition.ledger.move(amount, of: asset, from: .trader(counterparty), to: .trader(account))
                transition.positions.append(.init(account: counterparty, position: change.position))
                transition.events.append(.adlFill(account: state.accounts[counterparty].id, market: marketID, size: trade,
                                                  price: bankruptcyPrice, amount: amount))
                transition.requeue.append(counterparty)
                left -= amount.raw
                recoveredTotal += amount.raw
            }
            transition.adlRankings.append((rankingKey, ranking))
        }
        return Fixed(raw: recoveredTotal)
    }

    /// Accounts holding a position in `market` on the other side of `size`, most profitable and
    /// most leveraged first: score = (uPnL / |openNotional|) × (notional / equity); accounts with
    /// no positive equity rank last; ties go to the earlier account. A ranking, not money, so it
    /// may use `Double` (basic IEEE operations only, identical on every machine).
    ///
    /// The ranking is taken once per command and market side (the first bankruptcy that needs it)
    /// and reused by later bankruptcies in the same command, as venues' ADL queues are refreshed
    /// periodically rather than per fill: a crash tick with many bankruptcies scans the accounts
    /// once, not once per bankrupt account. Accounts closed out meanwhile are skipped (their
    /// position is gone); accounts partly deleveraged keep their place.
    func rankedCounterparties(market: Int, oppositeTo size: Fixed) -> [Int] {
        guard state.markets[market].markPrice != nil else { return [] }
        var scored: [(score: Double, account: Int)] = []
        for account in state.accounts.indices {
            guard let position = state.accounts[account].positions.first(where: { $0.market == market }),
                  position.size.isPositive != size.isPositive, !position.size.isZero else { continue }
            var score = -Double.infinity
            if let risk = try? computeRisk(ofAccount: account).risk, risk.equity.isPositive,
               let mark = state.markets[market].valuationPrice(size: position.size),
               let pnl = try? position.unrealizedPnL(at: mark), !position.openNotional.isZero {
                let pnlRatio = pnl.doubleValue / position.openNotional.magnitude.doubleValue
                let leverage = risk.totalNotional.doubleValue / risk.equity.doubleValue
                score = pnlRatio * leverage
            }
            scored.append((score, account))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.account < $1.account }
        return scored.map(\.account)
    }
}
