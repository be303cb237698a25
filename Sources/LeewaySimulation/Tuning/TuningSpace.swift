import LeewayCore
import LeewayWire

/// The parameter ranges `leeway tune` searches: each a policy override key (the spec's field
/// names, as `PolicySpec` accepts them) with a decimal or integer range or a list of choices.
///
/// File format (JSON): `{"call_level": {"min": "1", "max": "2.5"}, "grace_ms": {"min": 0,
/// "max": 600000}, "toxic_close": {"values": [true, false]}}`. Decimals are drawn in steps of
/// 10⁻⁴ (written with four decimals), integers (the `_ms` keys) in whole units.
public struct TuningSpace: Sendable, Equatable {
    public enum Range: Sendable, Equatable {
        case decimal(min: Double, max: Double)
        case integer(min: Int64, max: Int64)
        case choice([String])
    }

    public struct Parameter: Sendable, Equatable {
        public var key: String
        public var range: Range
    }

    public var parameters: [Parameter]

    public init(parameters: [Parameter]) { self.parameters = parameters }

    /// Over call_level, grace, step fractions and cooldowns (above and below MM), hard_fraction,
    /// the cure buffer, the zone fee, toxic_close and dynamic margin (max_multiplier 1 = off).
    public static let standard = TuningSpace(parameters: [
        Parameter(key: "call_level", range: .decimal(min: 1, max: 2.5)),
        Parameter(key: "grace_ms", range: .integer(min: 0, max: 900_000)),
        Parameter(key: "cure_buffer", range: .decimal(min: 0.05, max: 0.5)),
        Parameter(key: "step_fraction", range: .decimal(min: 0.05, max: 0.5)),
        Parameter(key: "cooldown_ms", range: .integer(min: 5_000, max: 900_000)),
        Parameter(key: "liquidation_step_fraction", range: .decimal(min: 0.1, max: 1)),
        Parameter(key: "liquidation_cooldown_ms", range: .integer(min: 0, max: 60_000)),
        Parameter(key: "hard_fraction", range: .decimal(min: 0.3, max: 1)),
        Parameter(key: "pre_liquidation_fee", range: .decimal(min: 0, max: 0.005)),
        Parameter(key: "toxic_close", range: .choice(["true", "false"])),
        Parameter(key: "reference_volatility", range: .decimal(min: 0.02, max: 0.2)),
        Parameter(key: "max_multiplier", range: .decimal(min: 1, max: 3)),
    ])

    /// Reads a space file's text; every key must be a policy override `PolicySpec` accepts.
    public static func parse(_ text: String, base: String = "guarded") throws(SimulationError) -> TuningSpace {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            throw SimulationError(code: "invalid_space", message: "the space file is not valid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw SimulationError(code: "invalid_space", message: "the space file must be a JSON object of parameter ranges, e.g. {\"call_level\": {\"min\": \"1\", \"max\": \"2\"}}")
        }
        guard !object.members.isEmpty else {
            throw SimulationError(code: "invalid_space", message: "the space file names no parameters; give at least one range, e.g. {\"call_level\": {\"min\": \"1\", \"max\": \"2\"}}")
        }
        var parameters: [Parameter] = []
        for (key, member) in object.members {
            guard case .object(let range) = member else {
                throw SimulationError(code: "invalid_space", message: "\"\(key)\" must be an object {\"min\", \"max\"} or {\"values\": […]}")
            }
            let parameter: Parameter
            if let values = range["values"] {
                guard case .array(let items) = values, !items.isEmpty else {
                    throw SimulationError(code: "invalid_space", message: "\"\(key)\".values must be a non-empty list")
                }
                let texts = try items.map { (item) throws(SimulationError) -> String in
                    switch item {
                    case .string(let text): return text
                    case .bool(let flag): return flag ? "true" : "false"
                    case .number(let literal): return literal
                    default: throw SimulationError(code: "invalid_space", message: "\"\(key)\".values holds \(item.kindDescription); use strings, numbers or booleans")
                    }
                }
                parameter = Parameter(key: key, range: .choice(texts))
            } else {
                guard let low = range["min"].flatMap(number), let high = range["max"].flatMap(number), low <= high else {
                    throw SimulationError(code: "invalid_space", message: "\"\(key)\" needs numbers \"min\" ≤ \"max\" (or a \"values\" list)")
                }
                parameter = PolicySpec.integerKeys.contains(key)
                    ? Parameter(key: key, range: .integer(min: Int64(low.rounded()), max: Int64(high.rounded())))
                    : Parameter(key: key, range: .decimal(min: low, max: high))
            }
            // The key must be one a policy accepts, at both ends of its range.
            for unit in [0.0, 1.0] {
                let override = "\(key)=\(parameter.value(atUnit: unit))"
                do { _ = try PolicySpec.parse("\(base):\(override)") } catch {
                    throw SimulationError(code: "invalid_space", message: "\"\(key)\": \(error.message)")
                }
            }
            parameters.append(parameter)
        }
        return TuningSpace(parameters: parameters)
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let literal), .string(let literal): return Double(literal)
        default: return nil
        }
    }

    /// The overrides of the candidate at a point u ∈ [0, 1)^d of the unit cube.
    public func overrides(atUnit point: [Double]) -> [(key: String, value: String)] {
        zip(parameters, point).map { parameter, unit in (parameter.key, parameter.value(atUnit: unit)) }
    }
}

extension TuningSpace.Parameter {
    /// The value at u ∈ [0, 1]: min + u·(max − min) (decimals to 10⁻⁴, integers rounded), or the
    /// ⌊u·n⌋-th choice.
    public func value(atUnit unit: Double) -> String {
        let u = Swift.min(Swift.max(unit, 0), 1)
        switch range {
        case let .decimal(low, high):
            let steps = ((low + u * (high - low)) * 10_000).rounded()
            return Fixed(raw: Int64(steps) * (Fixed.scale / 10_000)).description
        case let .integer(low, high):
            return String(low + Int64((u * Double(high - low)).rounded()))
        case .choice(let values):
            return values[Swift.min(Int(u * Double(values.count)), values.count - 1)]
        }
    }
}
