/// The one place where a planned lifecycle step takes effect.
extension Engine {
    /// Validates `transition` as a whole, then applies it: ledger postings, position updates, the
    /// lifecycle change (with its timer), ADL queue cursors, events and re-evaluations. Throws an
    /// `EngineFault` and changes nothing if any part is invalid.
    mutating func commit(_ transition: Transition) throws(EngineFault) {
        let account = transition.account
        // 1. Money: every posting in range.
        // Into the engine's reused posting buffer (taken out while in use, put back at the end).
        var validated: [LedgerPosting] = []
        swap(&validated, &postingScratch)
        defer { swap(&validated, &postingScratch) }
        do { try postings(of: transition.ledger, into: &validated) } catch {
            throw EngineFault(code: transition.failureCode,
                              message: "\(ledgerAccountName(error.account, asset: error.asset)) would leave its range")
        }
        // 2. Positions: each update names an open position of its account, and a forced close only
        //    shrinks it (never grows or flips it).
        for update in transition.positions {
            guard update.account < state.accounts.count, update.position.market < state.markets.count else {
                throw EngineFault(code: .illegalTransition, message: "a position update names an unknown account or market")
            }
            guard transition.reduceOnly else { continue }
            let held = state.accounts[update.account]
            guard let slot = held.positionIndex(market: update.position.market) else {
                throw EngineFault(code: transition.failureCode, message: "account \"\(held.id)\" has no position in \(state.markets[update.position.market].id) to close")
            }
            let before = held.positions[slot].size
            guard update.position.size.magnitude <= before.magnitude,
                  update.position.size.isZero || update.position.size.isPositive == before.isPositive else {
                throw EngineFault(code: transition.failureCode, message: "a forced close of account \"\(held.id)\" would grow or flip its \(state.markets[update.position.market].id) position")
            }
        }
        // 3. Auto top-up: never beyond the instruction's budget.
        if let spent = transition.autoTopupSpent {
            guard let instruction = state.accounts[account].autoTopup, spent.isPositive, spent <= instruction.remaining else {
                throw EngineFault(code: .illegalTransition, message: "an auto top-up of account \"\(state.accounts[account].id)\" exceeds its instruction")
            }
        }
        // 4. The lifecycle: the outcome must be legal from the current state.
        var newState: LiquidationState?
        if let outcome = transition.outcome {
            let current = state.accounts[account].liquidation
            guard let next = LiquidationStateMachine.transition(from: current, on: outcome) else {
                throw EngineFault(code: .illegalTransition,
                                  message: "account \"\(state.accounts[account].id)\" cannot go from \(current.phase.rawValue) by \(outcome)")
            }
            newState = next
        }

        // Everything is valid: apply it all.
        apply(validated)
        if let newState { state.accounts[account].liquidation = newState }
        // The columns mirror each changed account once, after all its updates and its new state
        // (a run of updates of one owner is synced at its end; a repeat owner later is synced again).
        var lastSynced: Int?
        for (offset, update) in transition.positions.enumerated() {
            let owner = update.account
            // Looked up now, not during validation: an earlier update may have removed a position.
            if let slot = state.accounts[owner].positionIndex(market: update.position.market) {
                if update.position.size.isZero { state.accounts[owner].positions.remove(at: slot) }
                else { state.accounts[owner].positions[slot] = update.position }
            } else if !update.position.size.isZero {
                state.accounts[owner].positions.append(update.position)
            }
            let size = update.position.size.magnitude
            if size > state.markets[update.position.market].largestPositionSize {
                state.markets[update.position.market].largestPositionSize = size
            }
            if offset + 1 == transition.positions.count || transition.positions[offset + 1].account != owner {
                syncColumns(account: owner)
                lastSynced = owner
            }
        }
        if let newState {
            if lastSynced != account { syncColumns(account: account) }
            // A time not after the clock is acted on within this evaluation (it loops until `.none`).
            for due in newState.dueTimesMs where due > state.clockMs { index.timers.schedule(account: account, atMs: due) }
        }
        if let spent = transition.autoTopupSpent, var instruction = state.accounts[account].autoTopup {
            instruction.usedAmount = Fixed(raw: instruction.usedAmount.raw + spent.raw)
            state.accounts[account].autoTopup = instruction
        }
        for (key, ranking) in transition.adlRankings { adlRankings[key] = ranking }
        for event in transition.events { emit(event) }
        for counterparty in transition.requeue { queueEvaluation(counterparty) }
    }

    /// Reports a fault as an `alert` event and, with `retry`, files the account for another
    /// evaluation at the next command. A fault already pending with the same code is not reported
    /// again (a stuck account alerts once, not on every command), but it is still retried.
    mutating func raiseAlert(_ fault: EngineFault, account: Int, retry: Bool = true) {
        if retry {
            guard state.pendingRetries[account] != fault.code.rawValue else { return }
            state.pendingRetries[account] = fault.code.rawValue
        }
        emit(.alert(account: state.accounts[account].id, code: fault.code, message: fault.message))
    }
}
