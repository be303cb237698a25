/// Planner of the end of a liquidation: `liquidated`, or `bankrupt` with seizure, insurance and ADL.
extension Engine {
    /// Settles an account with no position left. Equity ≥ 0: `liquidated`. Equity < 0: `bankrupt`,
    /// and for each asset whose balance is negative (the deficit D):
    /// 1. the account's positive balances (collateral in other assets) are seized into the fund;
    /// 2. the insurance fund pays I = min(max(fund, 0), D);
    /// 3. ADL recovers R = D − I from opposite positions (`planAutoDeleverage`);
    /// 4. what ADL over-collects by rounding up goes to the fund, so the account ends at exactly 0;
    ///    what it cannot collect stays as bad debt (the account's negative balance) and raises a
    ///    `bad_debt` alert.
    /// One `bankrupt` event per deficit asset reports D, I and what ADL recovered.
    func planSettlement(account: Int, closedLegs: [ClosedLeg]) throws(EngineFault) -> Transition {
        let held = state.accounts[account]
        let risk: AccountRisk
        do { risk = try computeRisk(ofAccount: account).risk } catch {
            throw EngineFault(code: .settlementFailed, message: "account \"\(held.id)\"'s equity is beyond the engine's range; it cannot be settled")
        }
        guard risk.equity.isNegative else {
            var transition = Transition(account: account, outcome: .settled(bankrupt: false), failureCode: .settlementFailed)
            transition.events = [.liquidated(account: held.id)]
            return transition
        }
        var transition = Transition(account: account, outcome: .settled(bankrupt: true), failureCode: .settlementFailed)
        transition.events.reserveCapacity(2 + held.balances.count)  // liquidated, one bankrupt per deficit asset
        if held.liquidation != .liquidated { transition.events.append(.liquidated(account: held.id)) }
        for (asset, balance) in held.balances.enumerated() where balance.isPositive {
            transition.ledger.move(balance, of: asset, from: .trader(account), to: .insuranceFund)
        }
        for (asset, balance) in held.balances.enumerated() where balance.isNegative {
            let deficit = balance.magnitude
            // The fund's balance in this asset is not touched by the seizure (only positive balances are seized).
            let available = Swift.max(state.insuranceFund[asset].raw, 0)
            let payment = Fixed(raw: Int64(Swift.min(available, Int128(deficit.raw))))
            transition.ledger.move(payment, of: asset, from: .insuranceFund, to: .trader(account))
            let remaining = Fixed(raw: deficit.raw - payment.raw)
            var recovered = Fixed.zero
            if remaining.isPositive {
                var legs: [ClosedLeg] = []  // a loop, not `filter`: a closure over `self` would copy the engine
                // Every leg settling in this asset, option legs included (see `planAutoDeleverage`).
                for leg in closedLegs where state.markets[leg.market].settleAsset == asset {
                    legs.append(leg)
                }
                recovered = try planAutoDeleverage(into: &transition, bankrupt: account, asset: asset,
                                                   deficit: deficit, remaining: remaining, legs: legs)
                if recovered > remaining {
                    transition.ledger.move(Fixed(raw: recovered.raw - remaining.raw), of: asset, from: .trader(account), to: .insuranceFund)
                }
            }
            transition.events.append(.bankrupt(account: held.id, asset: state.assets[asset].id, deficit: deficit,
                                               insurancePaid: payment, adlRecovered: recovered))
            if recovered < remaining {
                let badDebt = Fixed(raw: remaining.raw - recovered.raw)
                transition.events.append(.alert(
                    account: held.id, code: .badDebt,
                    message: "\(badDebt) \(state.assets[asset].id) of account \"\(held.id)\"'s deficit could not be covered by the insurance fund or ADL and stays as bad debt"))
            }
        }
        return transition
    }
}
