/// Running the liquidation state machine: the clock, the evaluation queue, and each action.
extension Engine {
    /// The most actions one account may take within one command (bounds a zero-cooldown cascade).
    static let actionLimitPerEvaluation = 1_000

    /// Advances the clock to `timestampMs` and evaluates every account whose deadline or next
    /// deleveraging step has come, earliest first (ties in account order).
    mutating func advanceClock(to timestampMs: Int64) {
        guard timestampMs > state.clockMs else { return }
        state.clockMs = timestampMs
        var due: [(dueMs: Int64, account: Int)] = []
        for account in index.timers.popDue(atOrBefore: timestampMs) {
            let held = state.accounts[account]
            guard let dueMs = held.phase == .marginCall ? held.deadlineMs : (held.phase == .deleveraging ? held.nextStepMs : nil),
                  dueMs <= timestampMs else { continue }
            due.append((dueMs, account))
        }
        due.sort { ($0.dueMs, $0.account) < ($1.dueMs, $1.account) }
        for entry in due { queueEvaluation(entry.account) }
        drainEvaluationQueue()
    }

    /// Queues `account` for evaluation unless it is already waiting.
    mutating func queueEvaluation(_ account: Int) {
        guard !index.isQueued[account] else { return }
        index.isQueued[account] = true
        evaluationQueue.append(account)
    }

    /// Evaluates queued accounts in order until none is left (ADL may queue more, including
    /// accounts already evaluated in this command).
    mutating func drainEvaluationQueue() {
        var position = 0
        while position < evaluationQueue.count {
            let account = evaluationQueue[position]
            position += 1
            index.isQueued[account] = false
            evaluate(account: account)
        }
        evaluationQueue.removeAll(keepingCapacity: true)
    }

    /// Runs the state machine on one account until it has nothing more to do, then re-indexes it.
    mutating func evaluate(account: Int) {
        var lastClosedLegs: [ClosedLeg] = []
        for _ in 0..<Self.actionLimitPerEvaluation {
            let evaluation: RiskEvaluation
            do { evaluation = try computeRisk(ofAccount: account) } catch { break }
            let policy = policy(for: state.accounts[account], largestPosition: evaluation.largestPosition)
            let risk = evaluation.risk
            let action = LiquidationStateMachine.decide(
                phase: state.accounts[account].phase, risk: risk, policy: policy, nowMs: state.clockMs,
                deadlineMs: state.accounts[account].deadlineMs, nextStepMs: state.accounts[account].nextStepMs
            )
            if action == .none {
                reindex(account: account, evaluation: evaluation)
                return
            }
            let held = state.accounts[account]
            switch action {
            case .none:
                return
            case .warn:
                state.accounts[account].phase = .warning
                emit(.warning(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin))
            case .clearWarning:
                state.accounts[account].phase = .healthy
                emit(.warningCleared(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin))
            case .callMargin:
                let graceMs = gracePeriod(for: held, evaluation: evaluation, policy: policy)
                let (deadline, overflow) = state.clockMs.addingReportingOverflow(graceMs)
                let deadlineMs = overflow ? Int64.max : deadline
                state.accounts[account].phase = .marginCall
                state.accounts[account].deadlineMs = deadlineMs
                index.timers.schedule(account: account, atMs: deadlineMs)
                emit(.marginCall(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin,
                                 deadlineMs: deadlineMs, graceMs: graceMs))
            case .cure:
                state.accounts[account].phase = .healthy
                state.accounts[account].deadlineMs = nil
                state.accounts[account].nextStepMs = nil
                emit(.cured(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin))
            case .startDeleveraging:
                state.accounts[account].phase = .deleveraging
                state.accounts[account].deadlineMs = nil
                state.accounts[account].nextStepMs = state.clockMs
                emit(.deleveragingStarted(account: held.id))
            case .deleverageStep:
                let plan = planDeleveragingStep(account: held, risk: risk, policy: policy)
                lastClosedLegs = closePositions(account: account, quantities: plan, equityBeforeFees: risk.equity, reason: .step)
                let (next, overflow) = state.clockMs.addingReportingOverflow(policy.cooldownMs)
                let nextStepMs = overflow ? Int64.max : next
                state.accounts[account].nextStepMs = nextStepMs
                index.timers.schedule(account: account, atMs: nextStepMs)
            case .liquidateFully:
                let everything = held.positions.map(\.size.magnitude)
                lastClosedLegs = closePositions(account: account, quantities: everything, equityBeforeFees: risk.equity, reason: .full)
                settle(account: account, closedLegs: lastClosedLegs)
            case .settle:
                settle(account: account, closedLegs: lastClosedLegs)
            }
            // Settled with nothing left: no further action is possible, skip the re-evaluation.
            if state.accounts[account].positions.isEmpty,
               state.accounts[account].phase == .liquidated || state.accounts[account].phase == .bankrupt {
                reindex(account: account)
                return
            }
        }
        reindex(account: account)
    }

    /// The grace period for a new margin call: fixed, or volatility-scaled from the account's
    /// largest position (see `GracePeriod`).
    func gracePeriod(for account: Account, evaluation: RiskEvaluation, policy: LiquidationPolicy) -> Int64 {
        switch policy.grace {
        case .fixed(let ms):
            return ms
        case let .volatilityScaled(probability, minMs, maxMs):
            guard let largest = evaluation.largestPosition else { return minMs }
            let position = account.positions[largest]
            let market = state.markets[position.market]
            guard let mark = market.markPrice else { return minMs }
            // Bankruptcy price of this position with the others held: p_b = mark − equity / size.
            let markValue = mark.doubleValue
            let bankruptcy = markValue - evaluation.risk.equity.doubleValue / position.size.doubleValue
            let distance: Double
            if position.size.isPositive {
                distance = bankruptcy <= 0 ? .infinity : Math.log(markValue / bankruptcy)
            } else {
                distance = Math.log(bankruptcy / markValue)
            }
            return GracePeriod.volatilityScaled(
                logDistanceToBankruptcy: distance.isInfinite ? Double.greatestFiniteMagnitude : distance,
                sigmaPerSqrtMs: market.volatility.sigmaPerSqrtMs,
                maxBreachProbability: probability.doubleValue, minMs: minMs, maxMs: maxMs
            )
        }
    }
}
