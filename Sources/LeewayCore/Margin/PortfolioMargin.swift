/// The `portfolio` margin model (spec part 3): a scenario grid per underlying market, in the style of
/// SPAN's 16 scenarios and Deribit's portfolio margin.
///
/// For an underlying M with mark F and the account's legs on it (its perpetual position, and every
/// option on M), each scenario s = (m, f, w) moves the price to F × (1 + m) and scales every
/// option's volatility by f, at the same time to expiry; its loss is
///   L_s = −w × Σ_legs ΔV_leg,  ΔV_perp = size × F × m,
///   ΔV_option = size × contract_size × (Black76(F(1 + m), σf, T) − Black76(F, σ, T)),
/// with m ∈ {−1, −2/3, −1/3, 0, 1/3, 2/3, 1} × scan_range, f ∈ {1 − vol_shift, 1, 1 + vol_shift},
/// w = 1 (21 scenarios), plus m = ± extreme_multiple × scan_range, f = 1, w = extreme_fraction (2).
/// T is the option's time to expiry when it was last valued (`Market.markTimeMs`), so the m = 0,
/// f = 1 scenario loses exactly 0. Then
///   MM(M) = ⌈max(0, max_s L_s)⌉ + Σ_{short options on M} ⌈charge × F × contract_size × |size|⌉,
///   IM(M) = ⌈MM(M) × im_factor⌉,
/// and the account's MM and IM are the sums over its underlyings, except that underlyings whose
/// `portfolio_params` set a `correlation` combine their scans by `correlatedScan`. Losses are binary64 (`Black76` on `DeterministicMath`, legs summed in position
/// order, so every machine gets the same bits), made exact by rounding up (`Fixed(_:rounding:)`).
public enum PortfolioMargin {
    /// One scenario: the relative price move, the volatility factor, and the weight of its loss.
    public struct Scenario: Sendable, Hashable {
        public var move: Double
        public var volatilityFactor: Double
        public var weight: Double
    }

    /// The 23 scenarios of `params`, in a fixed order: for each move from −1 to +1 (× scan_range),
    /// the three volatility factors from low to high; then the extreme down and up moves.
    public static func scenarios(_ params: PortfolioParams) -> [Scenario] {
        // Most underlyings keep the standard grid: built once (margin asks for it per book).
        params == .standard ? standardScenarios : grid(params)
    }

    /// The grid of `PortfolioParams.standard`.
    static let standardScenarios = grid(.standard)

    /// Builds the 23 scenarios of `params` (see `scenarios`).
    private static func grid(_ params: PortfolioParams) -> [Scenario] {
        let range = params.scanRange.doubleValue, shift = params.volShift.doubleValue
        var grid: [Scenario] = []
        grid.reserveCapacity(23)
        for step in -3...3 {
            for factor in [1 - shift, 1, 1 + shift] {
                grid.append(Scenario(move: (Double(step) * range) / 3, volatilityFactor: factor, weight: 1))
            }
        }
        let extreme = params.extremeMultiple.doubleValue * range
        for move in [-extreme, extreme] {
            grid.append(Scenario(move: move, volatilityFactor: 1, weight: params.extremeFraction.doubleValue))
        }
        return grid
    }

    /// One position on the underlying, in units of the underlying.
    public struct Leg: Sendable, Hashable {
        /// size × contract_size (a perpetual's size as is).
        public var units: Double
        /// nil for the perpetual.
        public var option: OptionLeg?
        /// The option's risk array over the grid being scanned (`OptionRiskTable`): its
        /// `scenarioChange` per scenario, in the grid's order; nil: revalue the leg itself.
        public var changes: [Double]?

        public init(units: Double, option: OptionLeg? = nil, changes: [Double]? = nil) {
            self.units = units
            self.option = option
            self.changes = changes
        }
    }

    /// What revaluing an option leg needs.
    public struct OptionLeg: Sendable, Hashable {
        public var kind: Black76.Kind
        public var strike: Double
        public var volatility: Double
        public var years: Double

        public init(kind: Black76.Kind, strike: Double, volatility: Double, years: Double) {
            self.kind = kind
            self.strike = strike
            self.volatility = volatility
            self.years = years
        }
    }

    /// The largest weighted loss over `scenarios` of `legs` at mark `forward` (may be negative when
    /// every scenario gains) and the index of its scenario (the first of equal losses).
    public static func worstLoss(legs: [Leg], forward: Double, scenarios: [Scenario]) -> (loss: Double, scenario: Int) {
        let losses = directionalLosses(legs: legs, forward: forward, scenarios: scenarios)
        return (losses.worst, losses.scenario)
    }

    /// The worst weighted loss over every scenario, and apart over the scenarios that move the
    /// price down or not at all (m ≤ 0) and up or not at all (m ≥ 0): what correlated
    /// underlyings combine (`Engine.portfolioRequirements`).
    public struct DirectionalLosses: Sendable, Hashable {
        public var worst: Double
        public var scenario: Int
        public var down: Double
        public var up: Double
    }

    /// One unit's change in value of `option` in `scenario` at mark `forward`:
    ///   Black76(F(1 + m), σ·f, T) − Black76(F, σ, T)   (binary64, this expression exactly).
    @inline(__always)
    public static func scenarioChange(_ option: OptionLeg, forward: Double, scenario: Scenario) -> Double {
        let value = Black76.price(option.kind, forward: forward * (1 + scenario.move), strike: option.strike,
                                  volatility: option.volatility * scenario.volatilityFactor, years: option.years)
        return value - Black76.price(option.kind, forward: forward, strike: option.strike, volatility: option.volatility, years: option.years)
    }

    /// `DirectionalLosses` of `legs` at mark `forward` over `scenarios`. A leg with a risk array
    /// (`Leg.changes`, for these scenarios) adds units × its change; any other option leg is
    /// revalued, `scenarioChange` inline — the same bits either way.
    public static func directionalLosses(legs: [Leg], forward: Double, scenarios: [Scenario]) -> DirectionalLosses {
        var base: [Double] = []
        base.reserveCapacity(legs.count)
        for leg in legs {
            guard let option = leg.option, leg.changes == nil else { base.append(0); continue }
            base.append(Black76.price(option.kind, forward: forward, strike: option.strike, volatility: option.volatility, years: option.years))
        }
        var found = DirectionalLosses(worst: -.infinity, scenario: 0, down: -.infinity, up: -.infinity)
        for (index, scenario) in scenarios.enumerated() {
            let price = forward * (1 + scenario.move)
            var change = 0.0
            for (offset, leg) in legs.enumerated() {
                if let changes = leg.changes {
                    change += leg.units * changes[index]
                } else if let option = leg.option {
                    let value = Black76.price(option.kind, forward: price, strike: option.strike,
                                              volatility: option.volatility * scenario.volatilityFactor, years: option.years)
                    change += leg.units * (value - base[offset])
                } else {
                    change += leg.units * (price - forward)
                }
            }
            let loss = -(change * scenario.weight)
            if loss > found.worst { found.worst = loss; found.scenario = index }
            if scenario.move <= 0, loss > found.down { found.down = loss }
            if scenario.move >= 0, loss > found.up { found.up = loss }
        }
        return found
    }

    /// The scan risk of underlyings that move together with correlation ρ ∈ [0, 1] (Leeway's
    /// extension of the spec): with K_i = max(0, worst_i), D_i = max(0, down_i), U_i = max(0, up_i),
    ///   scan = ρ × max(Σ D_i, Σ U_i) + (1 − ρ) × Σ K_i.
    /// At ρ = 0 it is the sum of the underlyings' scan risks (each may suffer its own worst move);
    /// at ρ = 1 every underlying moves the same way, so a long in one offsets a short in another;
    /// between, a linear blend. One underlying alone gets K (max(D, U) = K). binary64, summed in
    /// the order given; the caller rounds up once.
    public static func correlatedScan(_ losses: [DirectionalLosses], correlation: Double) -> Double {
        var down = 0.0, up = 0.0, separate = 0.0
        for loss in losses {
            down += Swift.max(0, loss.down)
            up += Swift.max(0, loss.up)
            separate += Swift.max(0, loss.worst)
        }
        return (correlation * Swift.max(down, up)) + ((1 - correlation) * separate)
    }

    /// SPAN's scan over given risk arrays: `gains[leg][s]` is leg's gain in scenario s (losses
    /// negative, as in SPAN's tables), `weights[s]` the scenario's weight; the scan risk is the
    /// largest weighted loss −w_s × Σ_leg gains[leg][s], with its scenario index.
    public static func scanRisk(gains: [[Double]], weights: [Double]) -> (loss: Double, scenario: Int) {
        var worst = -Double.infinity, worstIndex = 0
        for scenario in weights.indices {
            var total = 0.0
            for leg in gains { total += leg[scenario] }
            let loss = -(total * weights[scenario])
            if loss > worst { worst = loss; worstIndex = scenario }
        }
        return (worst, worstIndex)
    }
}

extension PortfolioMargin {
    /// Σ units × delta over `legs` at `forward` (a perpetual's delta is 1; an option's is
    /// Black-76's): the position in the underlying that a delta hedge offsets.
    public static func netDelta(legs: [Leg], forward: Double) -> Double {
        var delta = 0.0
        for leg in legs { delta += greeks(of: leg, forward: forward).delta }
        return delta
    }

    /// The `Greeks` of one leg at `forward`: units × Black-76's per-unit sensitivities for an
    /// option, delta = units for the perpetual.
    public static func greeks(of leg: Leg, forward: Double) -> Greeks {
        guard let option = leg.option else { return Greeks(perpetualSize: leg.units) }
        return Greeks(units: leg.units, valuation: Black76.valuation(option.kind, forward: forward, strike: option.strike,
                                                                     volatility: option.volatility, years: option.years))
    }
}
