import HeapModule
import LeewayCore

/// One policy over one path and population, driving the real engine with the spec's commands.
///
/// Per path point: trader actions and engine timers (grace deadlines, deleveraging steps) that come
/// due before it happen at the price of their own moment (the path interpolated linearly to that
/// millisecond, times the current impact: a mark is sent just before, so a step never executes at a
/// stale price); stop-losses the new price crosses close their positions; accounts whose entry time
/// has come open; then the mark — the input price moved by the depth model's impact — is applied.
/// The liquidation and stop fills add to the step's net flow, which moves the impact for the next
/// point (the cascade). Every metric is read off the engine's events and its insurance fund;
/// nothing in the engine knows it is being simulated.
public struct BacktestRun {
    static let marketID = "SIM-PERP"
    static let settleAsset = "USDC"
    static let coinAsset = "COIN"
    /// An account whose forced closes took at least this share of its largest position counts as
    /// fully liquidated, whether or not a sliver remains (a step that leaves dust saves no one).
    static let fullLiquidationShare = 0.95

    let scenario: BacktestScenario
    let spec: PolicySpec
    let recordSeries: Bool
    var engine: Engine
    var metrics = RunMetrics()
    /// Where a run stops early (nil: the whole path).
    var limit: SolvencyLimit?
    var series = RunSeries()
    var commandsApplied = 0

    /// Trader actions waiting for their time: (due ms, account index).
    var pendingActions = Heap<PendingAction>()
    /// Per account: whether an action is already pending (one answer per call).
    var actionPending: [Bool]
    var flags: [EventFlags]
    var currentInputPrice = 0.0
    var currentMark = Fixed.zero
    /// Depth (USDC per minute) at the current point, for the slippage estimate of forced closes.
    var currentDepth = 1.0
    /// Per account: the largest |size| it held and the quantity forced closes took (base units).
    var peakSize: [Double]
    var forcedClosed: [Double]
    /// Open stop-losses: longs trigger when the price falls to their stop (max-heap), shorts when
    /// it rises to theirs (min-heap).
    var longStops = Heap<StopOrder>()
    var shortStops = Heap<StopOrder>()
    var stepFlow = 0.0
    var minuteBucket: Int64 = .min
    var minuteLiquidated = Fixed.zero
    /// The insurance fund right after set-up.
    var openingFund = Fixed.zero
    let finalInputPrice: Double
    /// With options: σₜ at every path point (`OptionMarketSpec.volatilities`), the last σ sent to
    /// the engine, and the series' strikes and expiry.
    var volatilities: [Double] = []
    var sentVolatility = 0.0
    var seriesStrikes: [OptionSeries: Fixed] = [:]
    var seriesExpiryMs: Int64 = 0

    struct StopOrder: Comparable {
        var price: Double
        var account: Int
        static func < (lhs: StopOrder, rhs: StopOrder) -> Bool { (lhs.price, lhs.account) < (rhs.price, rhs.account) }
    }

    struct PendingAction: Comparable {
        var dueMs: Int64
        var account: Int
        static func < (lhs: PendingAction, rhs: PendingAction) -> Bool { (lhs.dueMs, lhs.account) < (rhs.dueMs, rhs.account) }
    }

    /// Which events an account has had (for the distinct-account counts).
    struct EventFlags {
        var warned = false, called = false, cured = false, deleveraged = false, liquidated = false, bankrupt = false
    }

    public init(scenario: BacktestScenario, policy: PolicySpec, markEvaluation: Engine.MarkEvaluation = .triggerBands, recordSeries: Bool = false) {
        self.scenario = scenario
        self.spec = policy
        self.recordSeries = recordSeries
        engine = Engine(markEvaluation: markEvaluation)
        actionPending = Array(repeating: false, count: scenario.accounts.count)
        flags = Array(repeating: EventFlags(), count: scenario.accounts.count)
        peakSize = Array(repeating: 0, count: scenario.accounts.count)
        forcedClosed = Array(repeating: 0, count: scenario.accounts.count)
        finalInputPrice = scenario.path.prices.last ?? 0
        usesCoin = scenario.accounts.contains { $0.postsCoin }
    }

    /// Runs the whole path and returns the result; with a `limit`, stops at the first step whose
    /// deficit or ADL exceeds it (`RunMetrics.stoppedEarly`).
    public static func run(_ scenario: BacktestScenario, policy: PolicySpec, markEvaluation: Engine.MarkEvaluation = .triggerBands,
                           recordSeries: Bool = false, limit: SolvencyLimit? = nil) -> BacktestResult {
        var run = BacktestRun(scenario: scenario, policy: policy, markEvaluation: markEvaluation, recordSeries: recordSeries)
        run.limit = limit
        run.execute()
        return BacktestResult(policyName: policy.name, metrics: run.metrics, series: recordSeries ? run.series : nil,
                              digest: run.engine.digest.description, commandsApplied: run.commandsApplied)
    }

    mutating func execute() {
        let path = scenario.path
        guard path.count > 0 else { return }
        var entries = Array(repeating: [Int](), count: path.count)
        for (index, account) in scenario.accounts.enumerated() { entries[Swift.min(account.entryStep, path.count - 1)].append(index) }
        setUp()
        var impact = 0.0
        var marks: [Double] = []
        marks.reserveCapacity(path.count)
        let markFactors = scenario.oracleFeed.markFactors(timesMs: path.timesMs)
        for step in 0..<path.count {
            let timeMs = path.timesMs[step]
            stepFlow = 0
            let impactFactor = scenario.depth.feedback ? SimulationMath.exp(impact) : 1
            currentDepth = scenario.depth.depth(minuteVolume: path.minuteVolumes[step], price: path.prices[step])
            if step > 0 {
                runDueEvents(until: timeMs, from: (path.timesMs[step - 1], path.prices[step - 1]), to: path.prices[step], impactFactor: impactFactor)
            }
            currentInputPrice = path.prices[step]
            let markValue = currentInputPrice * impactFactor
            currentMark = BacktestScenario.exact(markValue)
            marks.append(currentMark.doubleValue)
            triggerStops(atPrice: currentMark, atMs: timeMs)
            if !volatilities.isEmpty { updateVolatility(volatilities[step], atMs: timeMs) }
            sendMark(currentMark, factor: markFactors[step], atMs: timeMs)
            for account in entries[step] { open(account: account, atMs: timeMs) }
            let elapsedMs = step + 1 < path.count ? Double(path.timesMs[step + 1] - timeMs) : 0
            impact = scenario.depth.impact(after: impact, elapsedMs: elapsedMs, flow: stepFlow,
                                           depth: scenario.depth.depth(minuteVolume: path.minuteVolumes[step], price: currentInputPrice))
            observeFund()
            if recordSeries { record(step: step, timeMs: timeMs) }
            if let limit, limit.isExceeded(by: metrics) {
                metrics.stoppedEarly = true
                break
            }
        }
        finish(marks: marks)
    }

    /// Engine timers between path points fire in groups at most this far apart (ms): each group at
    /// the price of its moment. Without grouping a book of thousands of accounts stepping on their
    /// own cooldowns would send a mark per distinct millisecond.
    static let timerResolutionMs: Int64 = 1_000

    /// Trader actions and engine timers due in (previous point, `timeMs`], earliest first (a trader
    /// action before a timer at the same millisecond), each at the price of its moment: the input
    /// path interpolated linearly to that millisecond, times the impact factor, sent as a mark one
    /// millisecond before (a mark's `ts` fires due timers before the mark itself moves). Timers are
    /// fired in groups: a timer due at t fires at t rounded up to `timerResolutionMs` (not past the
    /// next point or the next trader action), with every other timer due by then.
    mutating func runDueEvents(until timeMs: Int64, from previous: (timeMs: Int64, price: Double), to price: Double, impactFactor: Double) {
        while true {
            let actionDue = pendingActions.min.map(\.dueMs).flatMap { $0 <= timeMs ? $0 : nil }
            let timerDue = engine.nextLifecycleTimerDueMs.flatMap { $0 > engine.clockMs && $0 <= timeMs ? $0 : nil }
            let due: Int64
            switch (actionDue, timerDue) {
            case let (action?, timer?) where action <= timer: due = action
            case let (action, timer?):
                let resolution = Self.timerResolutionMs
                let grouped = Swift.min((timer + resolution - 1) / resolution * resolution, timeMs)
                due = Swift.min(grouped, action ?? grouped)
            case let (action?, nil): due = action
            case (nil, nil): return
            }
            let span = Double(Swift.max(timeMs - previous.timeMs, 1))
            let weight = Swift.min(Swift.max(Double(due - previous.timeMs) / span, 0), 1)
            currentInputPrice = previous.price + (price - previous.price) * weight
            let mark = BacktestScenario.exact(currentInputPrice * impactFactor)
            // Before the earliest timer, or its own `ts` would fire it at the old mark.
            let markMs = Swift.max(Swift.min(due, timerDue ?? due) - 1, engine.clockMs)
            if mark != currentMark || markMs > engine.clockMs {
                currentMark = mark
                if !scenario.oracleFeed.isSilent(atMs: markMs) { apply(.mark(market: Self.marketID, price: mark), atMs: markMs) }
            }
            if actionDue == due, let next = pendingActions.min {
                pendingActions.removeMin()
                respond(account: next.account, atMs: due)
            } else {
                apply(.time, atMs: due)
            }
        }
    }

    /// Sends the oracle's view of `mark` at a path point: the mark × `factor` (a spike when not 1)
    /// and the coin's price, or, inside a feed outage, only the time.
    mutating func sendMark(_ mark: Fixed, factor: Double, atMs timeMs: Int64) {
        guard !scenario.oracleFeed.isSilent(atMs: timeMs) else {
            if timeMs > engine.clockMs { apply(.time, atMs: timeMs) }
            return
        }
        let sent = factor == 1 ? mark : BacktestScenario.exact(mark.doubleValue * factor)
        apply(.mark(market: Self.marketID, price: sent), atMs: timeMs)
        if usesCoin { apply(.assetPrice(asset: Self.coinAsset, price: mark), atMs: timeMs) }
    }

    /// Closes, at `price`, the whole remaining position of every trader whose stop the price has
    /// reached (a risk-reducing fill, always accepted); the fills join the step's flow.
    mutating func triggerStops(atPrice price: Fixed, atMs timeMs: Int64) {
        let value = price.doubleValue
        var triggered: [Int] = []
        while let top = longStops.max, value <= top.price { triggered.append(longStops.removeMax().account) }
        while let top = shortStops.min, value >= top.price { triggered.append(shortStops.removeMin().account) }
        for index in triggered.sorted() {
            guard let position = engine.marginReport(account: scenario.accounts[index].id)?.positions.first, !position.size.isZero else { continue }
            if apply(.fill(account: scenario.accounts[index].id, market: Self.marketID, size: position.size.negated, price: price, fee: .zero), atMs: timeMs) {
                metrics.stopLossesTriggered += 1
                stepFlow -= position.size.doubleValue * value
            }
        }
    }

    /// True when some account posts the coin as collateral (then the coin's price follows the mark).
    let usesCoin: Bool

    mutating func setUp() {
        let path = scenario.path
        let startMs = path.timesMs[0]
        let startPrice = BacktestScenario.exact(path.prices[0])
        currentMark = startPrice
        currentInputPrice = path.prices[0]
        apply(.asset(id: Self.settleAsset, price: .one, weight: .one), atMs: startMs)
        if usesCoin { apply(.asset(id: Self.coinAsset, price: startPrice, weight: scenario.coinWeight), atMs: startMs) }
        apply(.market(id: Self.marketID, settleAsset: Self.settleAsset, tiers: scenario.tiers, liquidationFee: spec.liquidationFee,
                      expectedSlippage: spec.expectedSlippage, oracleGuard: spec.oracleGuard), atMs: startMs)
        apply(.policy(spec.policy, market: nil, volatilityHalfLifeMs: nil), atMs: startMs)
        if scenario.options != nil { listOptions(atMs: startMs) }
        let totalNotional = scenario.accounts.reduce(0) { $0 + $1.notional }
        let fund = scenario.insuranceFund ?? (totalNotional > 0 ? BacktestScenario.exact(0.005 * totalNotional) : .zero)
        if fund.isPositive { apply(.insuranceDeposit(amount: fund, asset: Self.settleAsset), atMs: startMs) }
        openingFund = fundBalance()
        metrics.insuranceFundMinimum = openingFund
    }

    /// Opens account `index` at the current mark: its collateral, then its position.
    mutating func open(account index: Int, atMs timeMs: Int64) {
        let account = scenario.accounts[index]
        if let book = account.book {
            openBook(book, account: index, atMs: timeMs)
            return
        }
        let price = currentMark.doubleValue
        let deposit: Command = account.postsCoin
            ? .deposit(account: account.id, asset: Self.coinAsset,
                       amount: BacktestScenario.exact(account.collateral / (price * scenario.coinWeight.doubleValue)))
            : .deposit(account: account.id, asset: Self.settleAsset, amount: BacktestScenario.exact(account.collateral))
        guard apply(deposit, atMs: timeMs) else { return }
        if account.reserve > 0 {
            let reserve = BacktestScenario.exact(account.reserve)
            if apply(.deposit(account: account.id, asset: Self.settleAsset, amount: reserve, toReserve: true), atMs: timeMs) {
                apply(.protect(account: account.id, autoTopup: AutoTopupRequest(asset: Self.settleAsset, maxAmount: reserve)), atMs: timeMs)
            }
        }
        let size = BacktestScenario.exact(account.notional / price)
        if apply(.fill(account: account.id, market: Self.marketID, size: account.isLong ? size : size.negated, price: currentMark, fee: .zero), atMs: timeMs) {
            metrics.accountsOpened += 1
            peakSize[index] = size.doubleValue
            if let multiple = account.stopMultiple {
                let stop = StopOrder(price: price * multiple, account: index)
                if account.isLong { longStops.insert(stop) } else { shortStops.insert(stop) }
            }
        }
    }

    /// A trader's answer to a margin call, if the account still needs one (`SimulatedAccount.answer`).
    mutating func respond(account index: Int, atMs timeMs: Int64) {
        actionPending[index] = false
        let account = scenario.accounts[index]
        guard let report = engine.marginReport(account: account.id), let answer = account.answer(to: report) else { return }
        let command: Command
        switch answer {
        case .deposit(let amount):
            command = .deposit(account: account.id, asset: Self.settleAsset, amount: amount)
        case .reduce(let reductions):
            // Each leg at its mark: the perpetual's the backtest's current one, an option's the
            // report's value per contract.
            var acted = false
            for reduction in reductions {
                let price = reduction.market == Self.marketID ? currentMark : reduction.markPrice
                if apply(.fill(account: account.id, market: reduction.market, size: reduction.size, price: price, fee: .zero), atMs: timeMs) { acted = true }
            }
            if acted { metrics.traderActions += 1 }
            return
        }
        if apply(command, atMs: timeMs) { metrics.traderActions += 1 }
    }

    /// Applies one command and folds its events into the metrics; true if it was not rejected.
    @discardableResult
    mutating func apply(_ command: Command, atMs timeMs: Int64) -> Bool {
        commandsApplied += 1
        var accepted = true
        for event in engine.apply(CommandEnvelope(command: command, timestampMs: timeMs)) {
            if case .rejected = event.kind { accepted = false } else { observe(event) }
        }
        return accepted
    }

    mutating func observe(_ event: Event) {
        if case let .alert(nil, _, code, _) = event.kind {
            switch code {
            case .markHeld: metrics.marksHeld += 1
            case .markSpikeDiscarded: metrics.spikesDiscarded += 1
            case .liquidationsPaused: metrics.liquidationPauses += 1
            case .markConfirmed, .liquidationsResumed: break  // the normal ends of a hold and a pause
            default: metrics.engineAlerts += 1
            }
            return
        }
        guard let id = event.kind.account, let index = Int(id.dropFirst()), index < flags.count else { return }
        switch event.kind {
        case .warning: flags[index].warned = true
        case .autoTopup:
            metrics.autoTopups += 1
        case .marginCall:
            flags[index].called = true
            let response = scenario.accounts[index].response
            if !actionPending[index], response != .ignore {
                actionPending[index] = true
                pendingActions.insert(PendingAction(dueMs: event.timestampMs + scenario.accounts[index].reactionDelayMs, account: index))
            }
        case .cured: flags[index].cured = true
        case .deleveragingStarted: flags[index].deleveraged = true
        case .liquidated: flags[index].liquidated = true
        case let .bankrupt(_, _, deficit, insurancePaid, adlRecovered):
            flags[index].bankrupt = true
            metrics.deficitTotal = Fixed(raw: metrics.deficitTotal.raw &+ deficit.raw)
            let unrecovered = deficit.raw - insurancePaid.raw - adlRecovered.raw
            metrics.badDebt = Fixed(raw: metrics.badDebt.raw &+ Swift.max(unrecovered, 0))
        case let .liquidationFill(_, market, size, price, fee, _):
            // An option leg's notional here is its premium traded (size × value per contract).
            let notional = (try? size.magnitude.multiplied(by: price, rounding: .down)) ?? .zero
            metrics.liquidatedNotional = (try? metrics.liquidatedNotional.adding(notional)) ?? metrics.liquidatedNotional
            metrics.liquidationFees = (try? metrics.liquidationFees.adding(fee)) ?? metrics.liquidationFees
            metrics.liquidationSlippage += scenario.depth.slippage(notional: notional.doubleValue, depth: currentDepth)
            forcedClosed[index] += size.magnitude.doubleValue
            // The perpetual's closes move its price (the cascade) and are valued against the path's
            // end; an option's are taken by the option book's market makers, off the perpetual.
            if market == Self.marketID {
                metrics.forcedCloseLoss += size.doubleValue * (price.doubleValue - finalInputPrice)
                stepFlow += size.doubleValue * price.doubleValue
            }
            countPerMinute(notional, atMs: event.timestampMs)
            if recordSeries { series.liquidations.append((event.timestampMs, price.doubleValue, notional.doubleValue)) }
        case let .adlFill(_, _, size, price, _):
            let notional = (try? size.magnitude.multiplied(by: price, rounding: .down)) ?? .zero
            metrics.adlNotional = (try? metrics.adlNotional.adding(notional)) ?? metrics.adlNotional
        case .alert:
            metrics.engineAlerts += 1
        case .rejected, .warningCleared, .optionSettled:  // a settlement moves cash between the book's holders only
            break
        }
    }

    /// Adds a liquidation to its clock minute and keeps the largest minute.
    mutating func countPerMinute(_ notional: Fixed, atMs timeMs: Int64) {
        let bucket = timeMs / 60_000
        if bucket != minuteBucket {
            minuteBucket = bucket
            minuteLiquidated = .zero
        }
        minuteLiquidated = (try? minuteLiquidated.adding(notional)) ?? minuteLiquidated
        metrics.peakLiquidationPerMinute = Fixed.maximum(metrics.peakLiquidationPerMinute, minuteLiquidated)
    }

    mutating func observeFund() {
        metrics.insuranceFundMinimum = Fixed.minimum(metrics.insuranceFundMinimum, fundBalance())
    }

    /// The engine's insurance fund in the settle asset as a `Fixed` (a simulated venue's fund is
    /// far inside its range; a wider one is clamped, never wrapped).
    func fundBalance() -> Fixed {
        guard let fund = engine.insuranceFund(asset: Self.settleAsset) else { return .zero }
        return (try? fund.narrowed()) ?? (fund.isNegative ? .min : .max)
    }

    mutating func record(step: Int, timeMs: Int64) {
        series.timesMs.append(timeMs)
        series.inputPrices.append(currentInputPrice)
        series.marks.append(currentMark.doubleValue)
        let minuteStart = timeMs - timeMs % 60_000
        guard series.phaseTimesMs.last != minuteStart else { return }
        var counts = Array(repeating: 0, count: RunSeries.phaseNames.count)
        for account in engine.state.accounts {
            switch account.phase {
            case .healthy: counts[0] += 1
            case .warning: counts[1] += 1
            case .marginCall: counts[2] += 1
            case .deleveraging: counts[3] += 1
            case .liquidated: counts[4] += 1
            case .bankrupt: counts[5] += 1
            }
        }
        series.phaseTimesMs.append(minuteStart)
        series.phaseCounts.append(counts)
    }

    mutating func finish(marks: [Double]) {
        for flag in flags {
            if flag.warned { metrics.accountsWarned += 1 }
            if flag.called { metrics.accountsCalled += 1 }
            if flag.cured { metrics.accountsCured += 1 }
            if flag.deleveraged { metrics.accountsDeleveraged += 1 }
            _ = flag.liquidated  // the `liquidated` event; the counts below follow what forced closes took
            if flag.bankrupt { metrics.accountsBankrupt += 1 }
        }
        for index in forcedClosed.indices where forcedClosed[index] > 0 {
            if forcedClosed[index] >= Self.fullLiquidationShare * peakSize[index] { metrics.accountsLiquidated += 1 }
            else { metrics.accountsPartiallyLiquidated += 1 }
        }
        metrics.insuranceFundPnL = Fixed(raw: fundBalance().raw &- openingFund.raw)
        let whole = marks.count == scenario.path.count
        let cascaded = PricePath(timesMs: whole ? scenario.path.timesMs : Array(scenario.path.timesMs.prefix(marks.count)), prices: marks,
                                 minuteVolumes: whole ? scenario.path.minuteVolumes : Array(scenario.path.minuteVolumes.prefix(marks.count)))
        metrics.cascadeExtraDrawdown = cascaded.maximumDrawdown - scenario.path.maximumDrawdown
        metrics.ledgerConserved = engine.state.assets.indices.allSatisfy { engine.ledgerSum(asset: $0) == 0 }
    }
}
