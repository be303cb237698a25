/// Trigger bands of accounts whose equity or MM is not linear in the marks: every account on the
/// portfolio model and every holder of an option (issue 16: a quiet tick of the underlying must
/// not re-evaluate every option book).
///
/// The bound. Let slack S be what `reindex` computes for the account (the smallest |gap_k| over
/// its policies' lines, dynamic-margin ends and toxic gap, in money, less the rounding margin
/// below). Between the account's evaluation, at underlying marks F₀ and option valuation time t₀,
/// and a later mark F at clock t, each gap gap_k = equity − k·MM moves by at most
///   Σ_M A_M·|F_M − F₀_M| + B·√Δt (Δt = t − t₀ in years),
/// because, per unit of underlying u held through a leg on underlying M (a perpetual's size, an
/// option's size × contract_size), with Black-76 at zero rates:
/// - a value moves by at most |ΔF| (|delta| ≤ 1), and by at most F·σ·√Δt/√(2π) as time passes
///   (∂V/∂T = F·φ(d₁)·σ/(2√T) ≤ F·σ/(2√(2πT)), integrated: F·σ·(√T₀ − √T)/√(2π) ≤ F·σ·√Δt/√(2π));
/// - a portfolio scenario's loss −w·Σ u·(V(F(1+m), σf) − V(F, σ)) moves by at most
///   w·(2 + |m|)·|ΔF| per unit and w·((1 + |m|)·f + 1)·F·σ·√Δt/√(2π) per unit of an option; the
///   worst over scenarios, max(0, ·), the short-option charge (short_option_charge·F per short
///   unit) and the correlated scan ρ·max(Σ D, Σ U) + (1 − ρ)·Σ K keep those bounds per underlying;
/// - a standard short option's MM (0.075·F + V per unit) moves by at most 1.075·|ΔF| and
///   F·σ·√Δt/√(2π); a perpetual's tiered MM by mmr_max·|ΔF|;
/// - the toxic cost Σ |notional|·(fee + slippage) by (fee + slippage) times the value's bound.
/// So A_M = U_M·(1 + toxic_M) + k·A^MM_M and B = Σ_M (1 + toxic_M)·Σ_options u·σ·F_hi/√(2π) + k·B^MM_M,
/// with k the largest line multiple, U_M = Σ |u| on M, and F_hi = F₀ + the band's half-width (the
/// largest forward inside the band). Three quarters of S go to the price bands (split equally
/// among the account's underlyings: half-width = (¾S/n)/A_M, capped at F₀, rounded inward), one
/// quarter to time: Δt_max = (¼S/B)², filed as a clock edge t₀ + Δt_max in `clockTriggers` of every
/// underlying with an option leg (option values change only when a mark of their underlying
/// revalues them, so the clock is checked at those marks). An account without an option leg gives
/// all of S to price and has no clock edge. While every mark stays inside its band and the clock
/// before the edge, no gap changes sign, so no decision can change: the account need not be
/// evaluated. Other inputs queue it as for any account (cash moves: it keeps no cash slack;
/// `option_vol`, `portfolio_params`, expiry, collateral prices).
///
/// Rounding: values and requirements are rounded per contract and per term, and the grid is
/// binary64, so S is first reduced by (8 + 8·⌈|size|⌉·(1 + contract_size))·10⁻⁸ per position
/// plus 10⁻⁹·(1 + k)·3·Σ_M U_M·F₀_M, far above either error. The bands are computed in binary64
/// from IEEE basic operations and `squareRoot()` only, so they are the same on every machine
/// (they are an index, not state: a wider or narrower band changes when an account is evaluated,
/// never what the evaluation decides).
extension Engine {
    /// True when `account`'s equity or MM is nonlinear in a mark: on the portfolio model, or
    /// holding an option.
    func hasNonlinearRisk(_ account: Account) -> Bool {
        account.marginModel == .portfolio || account.positions.contains { state.markets[$0.market].option != nil }
    }

    /// What one underlying contributes to the bound (units of underlying; σ-weighted units).
    private struct Exposure {
        var underlying: Int
        /// Σ |u| over every leg on it (perpetual and options).
        var units = 0.0
        /// Σ |u| over perpetual legs, and their largest maintenance rate.
        var perpetualUnits = 0.0
        var maintenanceRate = 0.0
        /// Σ |u| over short option legs; Σ |u|·σ over option legs and over short ones.
        var shortUnits = 0.0
        var volatilityUnits = 0.0
        var shortVolatilityUnits = 0.0
        /// The largest fee + expected slippage among its legs' markets (0 without toxic close).
        var toxicRate = 0.0
    }

    /// Files the bands of an account with nonlinear risk (see the extension's doc): price bands in
    /// `triggers` of each underlying and a clock edge in `clockTriggers`. `budget` is S before the
    /// option rounding margin, in 10⁻¹⁶ units.
    mutating func fileNonlinearBands(account: Int, version: UInt32, budget: Int128, largestMultiple: Int64, toxic: Bool) {
        let held = state.accounts[account]
        let k = Double(largestMultiple) / Double(Fixed.scale)
        var exposures: [Exposure] = []
        var roundingMoney = 0.0
        var earliestValuationMs = Int64.max
        for position in held.positions where !position.size.isZero {
            let market = state.markets[position.market]
            guard market.markPrice != nil else { continue }
            let underlying = market.option?.underlying ?? position.market
            guard state.markets[underlying].markPrice != nil else { continue }
            let slot: Int
            if let found = exposures.firstIndex(where: { $0.underlying == underlying }) { slot = found } else {
                exposures.append(Exposure(underlying: underlying))
                slot = exposures.count - 1
            }
            let size = position.size.magnitude.doubleValue
            if let terms = market.option {
                guard terms.settlementPrice == nil else { continue }
                let contract = terms.contractSize.doubleValue
                let units = size * contract, sigma = terms.volatility?.doubleValue ?? 0
                roundingMoney += (8 + 8 * size.rounded(.up) * (1 + contract)) / Double(Fixed.scale)
                exposures[slot].units += units
                exposures[slot].volatilityUnits += units * sigma
                if position.size.isNegative {
                    exposures[slot].shortUnits += units
                    exposures[slot].shortVolatilityUnits += units * sigma
                }
                earliestValuationMs = Swift.min(earliestValuationMs, market.markTimeMs ?? state.clockMs)
            } else {
                roundingMoney += (8 + 8 * size.rounded(.up)) / Double(Fixed.scale)
                exposures[slot].units += size
                exposures[slot].perpetualUnits += size
                exposures[slot].maintenanceRate = Swift.max(exposures[slot].maintenanceRate, market.tiers.maximumMaintenanceRate.doubleValue)
            }
            if toxic {
                exposures[slot].toxicRate = Swift.max(exposures[slot].toxicRate, (market.liquidationFee.doubleValue + market.expectedSlippage.doubleValue))
            }
        }
        guard !exposures.isEmpty else { return }
        let inverseSqrtTwoPi = Black76.inverseSqrtTwoPi
        var slack = budget == .max ? Double.infinity : Double(budget) / (Double(Fixed.scale) * Double(Fixed.scale))
        for exposure in exposures {
            let forward = state.markets[exposure.underlying].markPrice?.doubleValue ?? 0
            roundingMoney += 1e-9 * (1 + k) * 3 * exposure.units * forward
        }
        slack = Swift.max(slack - roundingMoney, 0)
        let timed = exposures.contains { $0.volatilityUnits > 0 }
        let priceShare = (timed ? slack * 0.75 : slack) / Double(exposures.count)
        var timeSensitivity = 0.0
        for exposure in exposures {
            let underlying = exposure.underlying
            guard let mark = state.markets[underlying].markPrice else { continue }
            let portfolio = held.marginModel == .portfolio
            let params = state.markets[underlying].portfolioParams ?? .standard
            var priceFactor = 0.0, timeFactor = 0.0
            if portfolio {
                for scenario in PortfolioMargin.scenarios(params) {
                    let move = Swift.abs(scenario.move)
                    priceFactor = Swift.max(priceFactor, scenario.weight * (2 + move))
                    timeFactor = Swift.max(timeFactor, scenario.weight * ((1 + move) * scenario.volatilityFactor + 1))
                }
            }
            let maintenancePrice = portfolio
                ? priceFactor * exposure.units + params.shortOptionCharge.doubleValue * exposure.shortUnits
                : (1 + StandardOptionMargin.maintenanceRate.doubleValue) * exposure.shortUnits + exposure.maintenanceRate * exposure.perpetualUnits
            let priceSensitivity = exposure.units * (1 + exposure.toxicRate) + k * maintenancePrice
            let halfWidth = priceSensitivity > 0 ? (priceShare / priceSensitivity) * (1 - 1e-9) : Double.infinity
            let widthRaw = halfWidth.isFinite ? Swift.min(Int64(exactly: (halfWidth * Double(Fixed.scale)).rounded(.down)) ?? mark.raw, mark.raw) : mark.raw
            let highest = (Double(mark.raw) + Double(widthRaw)) / Double(Fixed.scale)
            let equityTime = (1 + exposure.toxicRate) * exposure.volatilityUnits
            let maintenanceTime = portfolio ? timeFactor * exposure.volatilityUnits : exposure.shortVolatilityUnits
            timeSensitivity += (equityTime + k * maintenanceTime) * highest * inverseSqrtTwoPi
            let (upper, overflow) = mark.raw.addingReportingOverflow(widthRaw)
            let added = index.triggers[underlying].insert(account: account, version: version,
                                                         lowerRaw: mark.raw - widthRaw, upperRaw: overflow ? nil : upper)
            index.liveTriggerEntries[account] += Int32(added)
            index.liveTriggerEntryTotal += added
            index.triggerEntryTotal += added
        }
        guard timed, earliestValuationMs != .max else { return }
        var edgeMs = earliestValuationMs
        if timeSensitivity > 0, slack > 0 {
            let root = (slack * 0.25) / timeSensitivity
            let years = root * root
            let milliseconds = (years * Black76.millisecondsPerYear * (1 - 1e-9)).rounded(.down)
            let (sum, overflow) = earliestValuationMs.addingReportingOverflow(Int64(exactly: Swift.min(milliseconds, 9e18)) ?? 0)
            edgeMs = overflow ? .max - 1 : sum
        }
        for exposure in exposures where exposure.volatilityUnits > 0 {
            let added = index.clockTriggers[exposure.underlying].insert(account: account, version: version, lowerRaw: nil, upperRaw: edgeMs)
            index.liveTriggerEntries[account] += Int32(added)
            index.liveTriggerEntryTotal += added
            index.triggerEntryTotal += added
        }
    }
}
