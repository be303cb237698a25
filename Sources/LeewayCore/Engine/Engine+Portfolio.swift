/// The `portfolio` margin model (spec part 3): the `margin_model` and `portfolio_params` commands
/// and the per-underlying requirements `computeRisk` uses for accounts on it (`PortfolioMargin`).
extension Engine {
    /// The `margin_model` command. Refused during a margin call or deleveraging (the model must not
    /// change the lines an account is being called on); the account is re-evaluated at once.
    mutating func setMarginModel(account id: String, model: MarginModel) throws(Rejection) {
        guard let account = index.accountByID[id] else { throw .unknownAccount(id) }
        let phase = state.accounts[account].phase
        guard !phase.restrictsRisk else {
            throw Rejection(code: .marginCallActive, message: "account \"\(id)\" is in \(phase.rawValue); its margin model can change once the call is cured")
        }
        state.accounts[account].marginModel = model
        syncColumns(account: account)
        queueEvaluation(account)
    }

    /// The `portfolio_params` command: the scenario grid of a perpetual and its options. Every
    /// account on the portfolio model with a position is re-evaluated.
    mutating func setPortfolioParams(market id: String, params: PortfolioParams) throws(Rejection) {
        guard let market = index.marketByID[id] else { throw .unknownMarket(id) }
        try requirePerpetual(market, command: "portfolio_params")
        if let problem = params.problem { throw Rejection(code: .invalidPortfolioParams, message: problem) }
        state.markets[market].portfolioParams = params
        index.staleOptionRisk.formUnion(index.options[market] ?? [])
        for account in state.accounts.indices where state.accounts[account].marginModel == .portfolio && !state.accounts[account].positions.isEmpty {
            queueEvaluation(account)
        }
    }

    /// Σ over the account's underlyings of (IM, MM) by `PortfolioMargin`, in 10⁻⁸ units; the
    /// underlyings whose params set a correlation are one term instead: MM = ⌈correlatedScan at the
    /// smallest of their correlations⌉ + their short-option charges, IM = ⌈MM × the largest of their
    /// im_factors⌉. An
    /// underlying without a mark adds nothing (as a perpetual without a mark does in `computeRisk`);
    /// an option leg without a volatility, or already settled, is left out of the grid.
    static func portfolioRequirements<Markets: RandomAccessCollection<Market>>(
        of account: UnsafePointer<Account>, markets: Markets, risk: OptionRiskTable? = nil
    ) throws(ArithmeticError) -> (initial: Int128, maintenance: Int128) where Markets.Index == Int {
        var initial: Int128 = 0, maintenance: Int128 = 0
        // Underlyings with a correlation, combined after the loop.
        var correlated: [PortfolioMargin.DirectionalLosses] = []
        var correlatedCharge: Int128 = 0
        var correlation = Fixed.one, imFactor = Fixed.one
        for underlying in underlyings(of: account, markets: markets) {
            guard let book = try portfolioBook(of: account, underlying: underlying, markets: markets, risk: risk) else { continue }
            let losses = PortfolioMargin.directionalLosses(legs: book.legs, forward: book.forward, scenarios: PortfolioMargin.scenarios(book.params))
            if let rho = book.params.correlation {
                correlated.append(losses)
                correlatedCharge += book.shortCharge
                correlation = Fixed.minimum(correlation, rho)
                imFactor = Fixed.maximum(imFactor, book.params.imFactor)
                continue
            }
            let scan = losses.worst > 0 ? try Fixed(losses.worst, rounding: .up) : .zero
            let requirement = try Fixed.narrowing(Int128(scan.raw) + book.shortCharge)
            maintenance += Int128(requirement.raw)
            initial += Int128(try requirement.multiplied(by: book.params.imFactor, rounding: .up).raw)
        }
        if !correlated.isEmpty {
            let combined = PortfolioMargin.correlatedScan(correlated, correlation: correlation.doubleValue)
            let scan = combined > 0 ? try Fixed(combined, rounding: .up) : .zero
            let requirement = try Fixed.narrowing(Int128(scan.raw) + correlatedCharge)
            maintenance += Int128(requirement.raw)
            initial += Int128(try requirement.multiplied(by: imFactor, rounding: .up).raw)
        }
        return (initial, maintenance)
    }

    /// Σ over the account's underlyings of max(0, worst scenario loss), each rounded up: the
    /// quantity a portfolio step must never raise.
    static func worstScenarioLoss<Markets: RandomAccessCollection<Market>>(
        of account: borrowing Account, markets: Markets
    ) throws(ArithmeticError) -> Fixed where Markets.Index == Int {
        try withUnsafePointer(to: account) { (pointer) throws(ArithmeticError) -> Fixed in
            var total: Int128 = 0
            for underlying in underlyings(of: pointer, markets: markets) {
                guard let book = try portfolioBook(of: pointer, underlying: underlying, markets: markets) else { continue }
                let worst = PortfolioMargin.worstLoss(legs: book.legs, forward: book.forward, scenarios: PortfolioMargin.scenarios(book.params))
                if worst.loss > 0 { total += Int128(try Fixed(worst.loss, rounding: .up).raw) }
            }
            return try .narrowing(total)
        }
    }

    /// The underlyings an account holds: its perpetuals' markets and its options' underlyings, in
    /// position order.
    static func underlyings<Markets: RandomAccessCollection<Market>>(of account: UnsafePointer<Account>, markets: Markets) -> [Int]
        where Markets.Index == Int {
        var found: [Int] = []
        for position in account.pointee.positions {
            let underlying = markets[position.market].option?.underlying ?? position.market
            if !found.contains(underlying) { found.append(underlying) }
        }
        return found
    }

    /// The account's legs on one underlying, as the scenario grid revalues them.
    struct PortfolioBook {
        var forward: Double
        var params: PortfolioParams
        var legs: [PortfolioMargin.Leg]
        /// Σ ⌈short_option_charge × mark × contract_size × |size|⌉ over short options (10⁻⁸ units).
        var shortCharge: Int128
    }

    /// The scenario-grid leg of `position` on `underlying`: a perpetual's size when it is that
    /// perpetual, an option's size × contract_size with its Black-76 inputs when it is an option on
    /// it (valued at the time of its last valuation); nil otherwise, or for an option that has
    /// settled or has no volatility yet.
    static func portfolioLeg<Markets: RandomAccessCollection<Market>>(
        of position: Position, underlying: Int, markets: Markets
    ) -> PortfolioMargin.Leg? where Markets.Index == Int {
        let market = markets[position.market]
        guard let terms = market.option else {
            return position.market == underlying ? PortfolioMargin.Leg(units: position.size.doubleValue) : nil
        }
        guard terms.underlying == underlying, let option = optionLeg(of: market) else { return nil }
        return PortfolioMargin.Leg(units: position.size.doubleValue * terms.contractSize.doubleValue, option: option)
    }

    /// The Black-76 inputs of option `market` as the grid revalues it (nil: settled, or no
    /// volatility yet): its kind, strike, volatility, and time to expiry when it was last valued.
    static func optionLeg(of market: Market) -> PortfolioMargin.OptionLeg? {
        guard let terms = market.option, terms.settlementPrice == nil, let volatility = terms.volatility else { return nil }
        return PortfolioMargin.OptionLeg(kind: terms.kind, strike: terms.strike.doubleValue, volatility: volatility.doubleValue,
                                         years: terms.yearsToExpiry(atMs: market.markTimeMs ?? terms.expiryMs))
    }

    /// The book of `underlying` (nil without a mark); its option legs carry their risk arrays
    /// from `risk` when it holds them for these inputs.
    static func portfolioBook<Markets: RandomAccessCollection<Market>>(
        of account: UnsafePointer<Account>, underlying: Int, markets: Markets, risk: OptionRiskTable? = nil
    ) throws(ArithmeticError) -> PortfolioBook? where Markets.Index == Int {
        guard let mark = markets[underlying].markPrice else { return nil }
        let params = markets[underlying].portfolioParams ?? .standard
        var book = PortfolioBook(forward: mark.doubleValue, params: params, legs: [], shortCharge: 0)
        for position in account.pointee.positions {
            guard var leg = portfolioLeg(of: position, underlying: underlying, markets: markets) else { continue }
            if let risk, let option = leg.option {
                leg.changes = risk.changes(market: position.market, forward: book.forward, option: option, params: params)
            }
            book.legs.append(leg)
            if leg.option != nil, position.size.isNegative, let terms = markets[position.market].option {
                let perContract = try params.shortOptionCharge.multiplied(by: mark, rounding: .up).multiplied(by: terms.contractSize, rounding: .up)
                book.shortCharge += Int128(try perContract.multiplied(by: position.size.magnitude, rounding: .up).raw)
            }
        }
        return book
    }
}
