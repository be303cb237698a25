/// The option books simulated traders hold, each a fixed set of legs on the simulated venue's
/// option series (`OptionSeries`), sized to the trader's notional: N = notional / opening price
/// contracts (one underlying unit each).
public enum OptionStrategy: String, Sendable, Hashable, CaseIterable {
    /// Long N of the perpetual, short N out-of-the-money calls.
    case coveredCall = "covered_call"
    /// Short N out-of-the-money puts.
    case shortPut = "short_put"
    /// Short N out-of-the-money puts and N out-of-the-money calls.
    case shortStrangle = "short_strangle"
    /// Long N at-the-money calls and N at-the-money puts.
    case longStraddle = "long_straddle"

    /// One leg: a series (nil: the perpetual itself) and the sign of its size (+1 long, −1 short).
    public struct Leg: Sendable, Hashable {
        public var series: OptionSeries?
        public var sign: Int
    }

    /// The legs, in the order they are opened.
    public var legs: [Leg] {
        switch self {
        case .coveredCall: return [Leg(series: nil, sign: 1), Leg(series: .outOfMoneyCall, sign: -1)]
        case .shortPut: return [Leg(series: .outOfMoneyPut, sign: -1)]
        case .shortStrangle: return [Leg(series: .outOfMoneyPut, sign: -1), Leg(series: .outOfMoneyCall, sign: -1)]
        case .longStraddle: return [Leg(series: .atTheMoneyCall, sign: 1), Leg(series: .atTheMoneyPut, sign: 1)]
        }
    }

    /// Parses a comma-separated list of strategy names (`covered_call,short_put`); an unknown or
    /// missing name is a `SimulationError` (`unknown_strategy`) naming it and the choices.
    public static func parseList(_ text: String) throws(SimulationError) -> [OptionStrategy] {
        var strategies: [OptionStrategy] = []
        for name in text.split(separator: ",").map({ String($0.filter { $0 != " " }) }) {
            guard let strategy = OptionStrategy(rawValue: name) else {
                throw SimulationError(code: "unknown_strategy", message: "unknown option strategy \"\(name)\"; choose from \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !strategies.contains(strategy) { strategies.append(strategy) }
        }
        guard !strategies.isEmpty else {
            throw SimulationError(code: "unknown_strategy", message: "no option strategy given; choose from \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return strategies
    }
}
