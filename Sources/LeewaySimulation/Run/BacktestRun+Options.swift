import LeewayCore

/// The option side of a backtest (`BacktestScenario.options`): the venue lists `OptionSeries` at
/// the start, their implied vol follows `OptionMarketSpec.volatilities`, and accounts with an
/// `OptionBook` open their strategy's legs instead of a perpetual position.
extension BacktestRun {
    /// Lists every series (strikes off the opening mark, one expiry) and gives each σ at the start.
    mutating func listOptions(atMs startMs: Int64) {
        guard let options = scenario.options else { return }
        volatilities = options.volatilities(path: scenario.path)
        seriesExpiryMs = startMs + options.expiryAfterMs
        let opening = currentMark.doubleValue
        for series in OptionSeries.allCases {
            let strike = BacktestScenario.exact(series.strike(openingPrice: opening, offset: options.strikeOffset))
            seriesStrikes[series] = strike
            apply(.option(id: series.rawValue, underlying: Self.marketID, kind: series.kind, strike: strike,
                          expiryMs: seriesExpiryMs, contractSize: .one), atMs: startMs)
        }
        sentVolatility = 0
        updateVolatility(volatilities.first ?? options.baseVolatility, atMs: startMs)
    }

    /// Sends σ to every series when it moved more than the spec's threshold since the last σ sent
    /// (and always the first time), before the point's mark, so the mark is valued at it.
    mutating func updateVolatility(_ volatility: Double, atMs timeMs: Int64) {
        guard let options = scenario.options, seriesExpiryMs > timeMs else { return }
        guard sentVolatility == 0 || abs(volatility / sentVolatility - 1) > options.volUpdateThreshold else { return }
        sentVolatility = volatility
        let exact = BacktestScenario.exact(volatility)
        for series in OptionSeries.allCases { apply(.optionVol(option: series.rawValue, volatility: exact), atMs: timeMs) }
    }

    /// The Black-76 value of one contract of `series` at the current mark and σ (binary64, as the
    /// price a trader would trade at; the engine values the position itself).
    func optionPrice(_ series: OptionSeries, atMs timeMs: Int64) -> Fixed {
        let years = Double(Swift.max(seriesExpiryMs - timeMs, 0)) / Black76.millisecondsPerYear
        let strike = seriesStrikes[series]?.doubleValue ?? currentMark.doubleValue
        return BacktestScenario.exact(Black76.price(series.kind, forward: currentMark.doubleValue, strike: strike,
                                                    volatility: sentVolatility, years: years))
    }

    /// Opens an option book: the account posts its whole notional in USDC, takes the spec's margin
    /// model, trades each leg (N = notional / mark contracts, the perpetual leg at the mark, an
    /// option at its value), then withdraws down to `cushion` × its initial margin. A book on a
    /// scenario without options, or whose legs are refused, stays unopened (not counted).
    mutating func openBook(_ book: SimulatedAccount.OptionBook, account index: Int, atMs timeMs: Int64) {
        guard let options = scenario.options, seriesExpiryMs > timeMs else { return }
        let account = scenario.accounts[index]
        guard apply(.deposit(account: account.id, asset: Self.settleAsset, amount: BacktestScenario.exact(account.notional)), atMs: timeMs),
              apply(.marginModel(account: account.id, model: options.marginModel), atMs: timeMs) else { return }
        let contracts = BacktestScenario.exact(account.notional / currentMark.doubleValue)
        var opened = 0.0
        for leg in book.strategy.legs {
            let size = leg.sign > 0 ? contracts : contracts.negated
            let command: Command = leg.series.map { series in
                .fill(account: account.id, market: series.rawValue, size: size, price: optionPrice(series, atMs: timeMs), fee: .zero)
            } ?? .fill(account: account.id, market: Self.marketID, size: size, price: currentMark, fee: .zero)
            guard apply(command, atMs: timeMs) else { continue }
            opened += contracts.doubleValue
        }
        guard opened > 0 else { return }
        metrics.accountsOpened += 1
        peakSize[index] = opened
        // Down to cushion × the initial margin (never below it: the engine refuses that withdrawal).
        guard let report = engine.marginReport(account: account.id) else { return }
        let keep = book.cushion * report.initialMargin.doubleValue
        let excess = report.equity.doubleValue - keep
        if excess > 0.01 {
            apply(.withdraw(account: account.id, asset: Self.settleAsset, amount: BacktestScenario.exact(excess * 0.999_999), fromReserve: false), atMs: timeMs)
        }
    }
}
