/// Running the liquidation lifecycle: the clock, the evaluation queue, and each account's steps.
extension Engine {
    /// The most actions one account may take within one command (bounds a zero-cooldown cascade).
    /// Reaching it raises an `action_limit_reached` alert and the account continues at the next command.
    static let actionLimitPerEvaluation = 1_000

    /// Advances the clock to `timestampMs` and evaluates every account whose deadline or next
    /// deleveraging step has come, earliest first (ties in account order).
    mutating func advanceClock(to timestampMs: Int64) {
        guard timestampMs > state.clockMs else { return }
        state.clockMs = timestampMs
        checkOracleClock()
        settleExpiredOptions()
        var due: [(dueMs: Int64, account: Int)] = []
        for account in index.timers.popDue(atOrBefore: timestampMs) {
            // Timer entries may be stale (the account was cured or moved on): the state decides.
            guard let dueMs = state.accounts[account].liquidation.dueMs, dueMs <= timestampMs else { continue }
            due.append((dueMs, account))
        }
        due.sort { ($0.dueMs, $0.account) < ($1.dueMs, $1.account) }
        for entry in due { queueEvaluation(entry.account) }
        drainEvaluationQueue()
    }

    /// Queues every account whose last evaluation failed, in account order (see `raiseAlert`).
    mutating func queuePendingRetries() {
        guard !state.pendingRetries.isEmpty else { return }
        for account in state.pendingRetries.keys.sorted() { queueEvaluation(account) }
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
        if !index.staleOptionRisk.isEmpty, !evaluationQueue.isEmpty { refreshOptionRisk() }
        var position = 0
        while position < evaluationQueue.count {
            // Hints for the accounts coming up (`Engine+Prefetch`); the queue may still grow.
            let ahead = evaluationQueue.count - position
            if ahead > Self.prefetchRecordDistance { prefetchRecords(of: evaluationQueue[position + Self.prefetchRecordDistance]) }
            if ahead > Self.prefetchBufferDistance { prefetchBuffers(of: evaluationQueue[position + Self.prefetchBufferDistance]) }
            let account = evaluationQueue[position]
            position += 1
            index.isQueued[account] = false
            evaluate(account: account)
        }
        evaluationQueue.removeAll(keepingCapacity: true)
    }

    /// Runs the lifecycle on one account until it has nothing more to do, then re-indexes it.
    ///
    /// Each round: compute the risk, `decide` the action, plan its transition, `commit` it. A fault
    /// at any point (risk out of range, a plan or commit that fails, the action limit) raises an
    /// `alert` and leaves the account filed for a retry; nothing is skipped silently.
    mutating func evaluate(account: Int) {
        evaluationCount &+= 1
        var closedLegs: [ClosedLeg] = []
        for _ in 0..<Self.actionLimitPerEvaluation {
            let evaluation: RiskEvaluation
            do { evaluation = try computeRisk(ofAccount: account) } catch {
                raiseAlert(EngineFault(code: .riskOverflow,
                                       message: "account \"\(state.accounts[account].id)\"'s equity or margin is beyond the engine's range; it cannot be evaluated until a price or balance changes"),
                           account: account)
                reindex(account: account)
                return
            }
            let policy = policy(for: state.accounts[account], largestPosition: evaluation.largestPosition)
            let conditions = Self.needsConditions(policy: policy, autoTopup: state.accounts[account].autoTopup)
                ? Self.decisionConditions(for: state.accounts[account], evaluation: evaluation, policy: policy, markets: state.markets)
                : LiquidationStateMachine.Conditions()
            let action = LiquidationStateMachine.decide(
                state: state.accounts[account].liquidation, risk: evaluation.risk, policy: policy, nowMs: state.clockMs,
                conditions: conditions)
            if action == .none {
                if !state.pendingRetries.isEmpty { state.pendingRetries[account] = nil }
                reindex(account: account, evaluation: evaluation)
                return
            }
            // Oracle safety: no new call or forced close on a stale mark. The market's
            // `liquidations_paused` alert reports it; its next fresh mark evaluates every holder again.
            if action.startsLiquidation, holdsPausedMarket(account) {
                reindex(account: account, evaluation: evaluation)
                return
            }
            do throws(EngineFault) {
                switch action {
                case .none:
                    return
                case .warn, .clearWarning, .callMargin, .cure, .startDeleveraging:
                    try commit(planSimple(action, account: account, evaluation: evaluation, policy: policy, conditions: conditions))
                case .topUp:
                    try commit(planTopUp(account: account, risk: evaluation.risk, lines: policy.lines(multiplier: conditions.multiplier)))
                case .deleverageStep:
                    let step = state.accounts[account].marginModel == .portfolio
                        ? try planPortfolioStep(account: account, risk: evaluation.risk, policy: policy, conditions: conditions)
                        : try planDeleveragingStep(account: account, risk: evaluation.risk, policy: policy, conditions: conditions)
                    try commit(step)
                    closedLegs = step.closedLegs
                case .liquidateFully:
                    let everything = state.accounts[account].positions.map(\.size.magnitude)
                    let close = try planClose(account: account, quantities: everything, equityBeforeFees: evaluation.risk.equity, reason: .full)
                    try commit(close)
                    closedLegs = close.closedLegs
                    try commit(planSettlement(account: account, closedLegs: closedLegs))
                case .settle:
                    try commit(planSettlement(account: account, closedLegs: closedLegs))
                }
            } catch {
                raiseAlert(error, account: account)
                reindex(account: account)
                return
            }
            // Settled with nothing left: no further action is possible, skip the re-evaluation.
            let settled = state.accounts[account].liquidation
            if state.accounts[account].positions.isEmpty, settled == .liquidated || settled == .bankrupt {
                if !state.pendingRetries.isEmpty { state.pendingRetries[account] = nil }
                reindex(account: account)
                return
            }
        }
        raiseAlert(EngineFault(code: .actionLimitReached,
                               message: "account \"\(state.accounts[account].id)\" needed more than \(Self.actionLimitPerEvaluation) liquidation actions in one command; it continues at the next command"),
                   account: account)
        reindex(account: account)
    }

    /// The transition of an action that moves no money: a warning, its clearing, a margin call
    /// (with its grace period), a cure, or the start of deleveraging.
    func planSimple(_ action: LiquidationStateMachine.Action, account: Int, evaluation: RiskEvaluation,
                    policy: LiquidationPolicy, conditions: LiquidationStateMachine.Conditions = .init()) -> Transition {
        let held = state.accounts[account]
        let risk = evaluation.risk
        switch action {
        case .warn:
            var transition = Transition(account: account, outcome: .warned)
            transition.events = [.warning(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin)]
            return transition
        case .clearWarning:
            var transition = Transition(account: account, outcome: .warningCleared)
            transition.events = [.warningCleared(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin)]
            return transition
        case .callMargin:
            let graceMs = gracePeriod(for: held, evaluation: evaluation, policy: policy)
            let (deadline, overflow) = state.clockMs.addingReportingOverflow(graceMs)
            let deadlineMs = overflow ? Int64.max : deadline
            var transition = Transition(account: account, outcome: .called(deadlineMs: deadlineMs))
            let callLevel = policy.lines(multiplier: conditions.multiplier).call
            transition.events = [.marginCall(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin,
                                             deadlineMs: deadlineMs, graceMs: graceMs, callLevel: callLevel == .one ? nil : callLevel)]
            return transition
        case .cure:
            var transition = Transition(account: account, outcome: .cured)
            transition.events = [.cured(account: held.id, equity: risk.equity, maintenance: risk.maintenanceMargin)]
            return transition
        default:  // .startDeleveraging (the caller passes only the actions above)
            var transition = Transition(account: account, outcome: .deleveragingStarted(firstStepMs: state.clockMs))
            transition.events = [.deleveragingStarted(account: held.id)]
            return transition
        }
    }

    /// False when `decisionConditions` would give the defaults without looking: no dynamic margin,
    /// no toxic close, no auto top-up (every part-1 policy), so the hot paths skip it.
    @inline(__always)
    static func needsConditions(policy: LiquidationPolicy, autoTopup: AutoTopup?) -> Bool {
        policy.dynamicMargin != nil || policy.toxicClose || autoTopup != nil
    }

    /// What `decide` needs beyond the risk: the dynamic-margin multiplier of the account's largest
    /// position's market, whether the account is toxic (only looked at below MM with toxic_close),
    /// and whether auto top-up could still move reserve in (only looked at below the cure line).
    ///
    /// Static, over the market table it is given: called from mutating code with
    /// `state.accounts[i]`, an instance method would make Swift copy the whole engine.
    static func decisionConditions<Markets: RandomAccessCollection<Market>>(
        for held: borrowing Account, evaluation: RiskEvaluation, policy: LiquidationPolicy, markets: Markets
    ) -> LiquidationStateMachine.Conditions where Markets.Index == Int {
        var conditions = LiquidationStateMachine.Conditions()
        if let dynamic = policy.dynamicMargin, let largest = evaluation.largestPosition {
            conditions.multiplier = markets[held.positions[largest].market].marginMultiplier(dynamic)
        }
        let risk = evaluation.risk
        if policy.toxicClose, risk.hasPositions, risk.isBelow(multiple: .one) {
            conditions.isToxic = toxicGap(of: held, risk: risk, markets: markets).map { $0 <= 0 } ?? true
        }
        if let instruction = held.autoTopup, instruction.remaining.isPositive, held.reserve(ofAsset: instruction.asset).isPositive,
           risk.hasPositions, risk.isBelow(multiple: policy.lines(multiplier: conditions.multiplier).cure) {
            conditions.canTopUp = true
        }
        return conditions
    }

    /// equity − Σ_i notional_i × (liquidation_fee_i + expected_slippage_i), in 10⁻¹⁶ units (exact
    /// products of 10⁻⁸ values): at or below zero a partial close at the expected cost lowers the
    /// margin ratio (E − f·N·c ≤ (1 − f)·E ⇔ E ≤ N·c), so `toxic_close` closes in full. nil when a
    /// notional is out of range.
    static func toxicGap<Markets: RandomAccessCollection<Market>>(
        of account: borrowing Account, risk: AccountRisk, markets: Markets
    ) -> Int128? where Markets.Index == Int {
        var cost: Int128 = 0
        for position in account.positions {
            let market = markets[position.market]
            guard let mark = market.markPrice, let notional = try? position.notional(at: mark) else { return nil }
            cost += Int128(notional.raw) * Int128(market.liquidationFee.raw + market.expectedSlippage.raw)
        }
        return Int128(risk.equity.raw) * Int128(Fixed.scale) - cost
    }

    /// Auto top-up: moves from the reserve what restores the cure line, at most what the reserve
    /// holds and the instruction still allows.
    ///
    /// needed value V = cure × MM − equity (10⁻⁸, rounded up); amount = ⌈V / (price × weight)⌉ of
    /// the reserve asset (rounded up, so its collateral value, rounded down, still covers V), then
    /// capped. A capped amount moves anyway: it brings the account nearer the cure line, and the
    /// state machine decides again with what it achieved.
    func planTopUp(account: Int, risk: AccountRisk, lines: LiquidationPolicy.Lines) throws(EngineFault) -> Transition {
        let held = state.accounts[account]
        guard let instruction = held.autoTopup else {
            throw EngineFault(code: .illegalTransition, message: "account \"\(held.id)\" has no auto top-up instruction")
        }
        let asset = state.assets[instruction.asset]
        let shortfall = -risk.gap(multiple: lines.cure)  // 10⁻¹⁶ units, positive below the cure line
        let neededValueRaw = (shortfall + Int128(Fixed.scale) - 1) / Int128(Fixed.scale)
        // amount_raw = ⌈V_raw · 10¹⁶ / (price_raw · weight_raw)⌉
        let unitValue = Int128(asset.price.raw) * Int128(asset.weight.raw)
        let (scaledNeed, overflow) = neededValueRaw.multipliedReportingOverflow(by: Int128(Fixed.scale) * Int128(Fixed.scale))
        let wantedRaw = overflow || unitValue <= 0 ? Int128(Int64.max) : (scaledNeed + unitValue - 1) / unitValue
        let capRaw = Swift.min(Int128(instruction.remaining.raw), Int128(held.reserve(ofAsset: instruction.asset).raw))
        let amount = Fixed(raw: Int64(Swift.max(Swift.min(wantedRaw + 1, capRaw), 0)))  // + 10⁻⁸: the value's own rounding
        guard amount.isPositive else {
            throw EngineFault(code: .illegalTransition, message: "account \"\(held.id)\" has nothing left to top up from")
        }
        var transition = Transition(account: account, outcome: .toppedUp, failureCode: .illegalTransition)
        transition.ledger.move(amount, of: instruction.asset, from: .reserve(account), to: .trader(account))
        transition.autoTopupSpent = amount
        transition.events = [.autoTopup(account: held.id, asset: asset.id, amount: amount)]
        return transition
    }

    /// The grace period for a new margin call: fixed, or volatility-scaled from the account's
    /// largest position (see `GracePeriod`).
    ///
    /// Bankruptcy price of that position with the others held: p_b = mark − equity / size, and the
    /// log distance d = ln(mark / p_b) for a long, ln(p_b / mark) for a short (binary64, through
    /// `DeterministicMath` so every machine computes the same grace).
    func gracePeriod(for account: Account, evaluation: RiskEvaluation, policy: LiquidationPolicy) -> Int64 {
        switch policy.grace {
        case .fixed(let ms):
            return ms
        case let .volatilityScaled(probability, minMs, maxMs):
            guard let largest = evaluation.largestPosition else { return minMs }
            let position = account.positions[largest]
            let market = state.markets[position.market]
            guard let mark = market.markPrice else { return minMs }
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
