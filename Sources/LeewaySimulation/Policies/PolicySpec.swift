import Foundation
import LeewayCore
import LeewayWire

/// A liquidation policy to simulate: a preset (`hard`, `soft`, `soft-adaptive`) with optional
/// overrides in the spec's field names, e.g. `soft:grace_ms=300000,step_fraction=0.2`.
///
/// Overrides are turned into the spec's JSON `policy` command and decoded by `LeewayWire`, so the
/// simulator accepts exactly what `leeway replay` and `leeway serve` accept, with the same errors.
/// `liquidation_fee` is the one extra key: it sets the market's liquidation fee for this policy.
/// For `grace`, the keys `max_breach_probability`, `min_ms` and `max_ms` fill the grace object.
public struct PolicySpec: Sendable, Equatable {
    /// The text the policy was given as (its name in reports).
    public var name: String
    public var policy: LiquidationPolicy
    public var liquidationFee: Fixed

    public static let presetNames = ["hard", "soft", "soft-adaptive"]
    static let defaultLiquidationFee = Fixed(raw: 500_000)  // 0.005
    static let integerKeys: Set<String> = ["grace_ms", "cooldown_ms", "min_ms", "max_ms", "volatility_half_life_ms"]
    static let graceKeys = ["max_breach_probability", "min_ms", "max_ms"]

    public init(name: String, policy: LiquidationPolicy, liquidationFee: Fixed) {
        self.name = name
        self.policy = policy
        self.liquidationFee = liquidationFee
    }

    /// Parses `preset[:key=value,key=value…]`.
    public static func parse(_ text: String) throws(SimulationError) -> PolicySpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        guard let preset = parts.first, presetNames.contains(preset) else {
            throw SimulationError(code: "unknown_policy",
                                  message: "unknown policy \"\(trimmed)\": start with one of \(presetNames.joined(separator: ", ")), e.g. soft:grace_ms=300000")
        }
        var fields: [(String, String)] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",") {
                let keyValue = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard keyValue.count == 2, !keyValue[0].isEmpty, !keyValue[1].isEmpty else {
                    throw SimulationError(code: "invalid_policy", message: "policy override \"\(pair)\" in \"\(trimmed)\" is not key=value")
                }
                fields.append((keyValue[0], keyValue[1]))
            }
        }
        return try build(name: trimmed, preset: preset, overrides: fields)
    }

    static func build(name: String, preset: String, overrides: [(String, String)]) throws(SimulationError) -> PolicySpec {
        var object = JSONObject([("type", .string("policy"))])
        var grace: [(String, JSONValue)] = preset == "soft-adaptive"
            ? [("max_breach_probability", .string("0.01")), ("min_ms", .number("60000")), ("max_ms", .number("3600000"))]
            : []
        var top: [(String, JSONValue)] = [("mode", .string(preset == "hard" ? "hard" : "soft"))]
        if preset == "soft" { top.append(("grace_ms", .number("600000"))) }
        var liquidationFee = defaultLiquidationFee
        for (key, value) in overrides {
            if key == "liquidation_fee" {
                guard let fee = try? Fixed(parsing: value), !fee.isNegative, fee < .one else {
                    throw SimulationError(code: "invalid_policy", message: "liquidation_fee must be a decimal in [0, 1), got \"\(value)\" in \"\(name)\"")
                }
                liquidationFee = fee
                continue
            }
            let json: JSONValue = integerKeys.contains(key) ? .number(value) : .string(value)
            if graceKeys.contains(key) {
                if grace.isEmpty { grace = [("max_breach_probability", .string("0.01")), ("min_ms", .number("60000")), ("max_ms", .number("3600000"))] }
                grace.removeAll { $0.0 == key }
                grace.append((key, json))
                top.removeAll { $0.0 == "grace_ms" }
            } else {
                if key == "grace_ms" { grace = [] }
                top.removeAll { $0.0 == key }
                top.append((key, json))
            }
        }
        for (key, value) in top { object.append(key, value) }
        if !grace.isEmpty { object.append("grace", .object(JSONObject(grace.map { (key: $0.0, value: $0.1) }))) }
        switch CommandDecoder.decode(.object(object), lineNumber: 0) {
        case .command(let envelope):
            guard case .policy(let policy, _, _) = envelope.command else {
                throw SimulationError(code: "invalid_policy", message: "\"\(name)\" did not describe a policy")
            }
            do { try policy.validate() } catch {
                throw SimulationError(code: "invalid_policy", message: "policy \"\(name)\": \(error.message)")
            }
            return PolicySpec(name: name, policy: policy, liquidationFee: liquidationFee)
        case .invalid(let error, _):
            throw SimulationError(code: error.code.rawValue, message: "policy \"\(name)\": \(error.message)")
        case .skip:
            throw SimulationError(code: "invalid_policy", message: "policy \"\(name)\" is empty")
        }
    }
}
