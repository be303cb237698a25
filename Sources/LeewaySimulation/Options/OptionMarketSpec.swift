import LeewayCore

/// The options of a simulated venue (`OptionSeries` on its perpetual) and how their implied
/// volatility moves along a path.
///
/// **Spot-vol rule** (sticky-moneyness with a leverage effect, as equity and crypto smiles behave
/// in a sell-off): σ(S) = σ₀ · (S / S₀)^(−β), S₀ the opening price, β = `spotVolElasticity`; with
/// β = 1 a 10 % fall lifts every series' vol by 11 %. **Vol of vol** (stress): σₜ = σ(Sₜ) ·
/// exp(η·Wₜ − η²·t/2), W a standard Brownian motion in years drawn from `volSeed` (one Gaussian
/// increment per path point), η = `volOfVol`; the exponential has mean 1, so the shock widens the
/// vol's spread without moving its mean. σₜ is then held to [`minimumVolatility`,
/// `maximumVolatility`] (the engine accepts up to 10). Every series gets the same σₜ (no smile).
/// Computed in binary64 in the simulator, never in the engine: the engine gets each σₜ as an exact
/// decimal (rounded to 10⁻⁸) in an `option_vol` command.
public struct OptionMarketSpec: Sendable, Equatable {
    /// Out-of-the-money strikes at (1 ± strikeOffset) × the opening price.
    public var strikeOffset = 0.1
    /// Expiry of every series, ms after the path's first point.
    public var expiryAfterMs: Int64 = 7 * 86_400_000
    /// σ₀: implied volatility at the opening price, annualised.
    public var baseVolatility = 0.6
    /// β of the spot-vol rule.
    public var spotVolElasticity = 1.0
    /// η: annualised volatility of the log vol (0: the vol follows the spot-vol rule alone).
    public var volOfVol = 0.0
    /// Seed of the vol's Brownian motion (a stress run gives each path its own).
    public var volSeed: UInt64 = 0
    /// A new `option_vol` is sent for every series when σₜ has moved by more than this fraction
    /// since the last one sent (so a quiet path does not send four commands a minute).
    public var volUpdateThreshold = 0.01
    /// The margin model of every account holding a book.
    public var marginModel: MarginModel = .portfolio

    public static let minimumVolatility = 0.05
    public static let maximumVolatility = 5.0

    public init() {}

    /// σₜ at every point of `path` (annualised): the spot-vol rule at the point's price, times the
    /// vol-of-vol factor, held to the limits.
    public func volatilities(path: PricePath) -> [Double] {
        guard let opening = path.prices.first, opening > 0 else { return [] }
        var generator = SplitMix64(seed: volSeed)
        var brownian = 0.0
        var volatilities: [Double] = []
        volatilities.reserveCapacity(path.count)
        for step in 0..<path.count {
            let years = Double(path.timesMs[step] - path.timesMs[0]) / Black76.millisecondsPerYear
            if step > 0, volOfVol > 0 {
                let dt = Double(path.timesMs[step] - path.timesMs[step - 1]) / Black76.millisecondsPerYear
                brownian += SimulationMath.sqrt(Swift.max(dt, 0)) * generator.nextGaussian()
            }
            let rule = baseVolatility * SimulationMath.pow(Swift.max(path.prices[step], 1e-12) / opening, -spotVolElasticity)
            let shock = volOfVol > 0 ? SimulationMath.exp(volOfVol * brownian - volOfVol * volOfVol * years / 2) : 1
            volatilities.append(Swift.min(Swift.max(rule * shock, Self.minimumVolatility), Self.maximumVolatility))
        }
        return volatilities
    }
}
