import Foundation
import LeewayCore
import LeewayWire

/// A liquidation policy to simulate: a preset (`hard`, `soft`, `soft-adaptive`, `guarded`) with
/// optional overrides in the spec's field names, e.g. `soft:grace_ms=300000,step_fraction=0.2`.
///
/// `guarded` is the part-2 policy: the margin call and its grace sit above MM (call_level), steps
/// in that zone pay a small pre-liquidation fee, below MM the account is deleveraged at once in
/// fast steps, a toxic account is closed in full, and the zone widens with volatility
/// (`guardedFields`; the same object as a live `policy` command is `docs/policies/guarded.json`).
///
/// Overrides are turned into the spec's JSON `policy` command and decoded by `LeewayWire`, so the
/// simulator accepts exactly what `leeway replay` and `leeway serve` accept, with the same errors.
/// `liquidation_fee` and `expected_slippage` are extra keys: they set the market's fields for
/// this policy, as do the oracle-safety keys `max_mark_age_ms`, `max_mark_move` and `confirm_ms`
/// (`OracleGuard`). `reference_volatility` and `max_multiplier` fill the dynamic_margin object
/// (`dynamic_margin=none` removes it); `toxic_close` takes true or false.
/// For `grace`, the keys `max_breach_probability`, `min_ms` and `max_ms` fill the grace object.
/// `grace` itself takes `adaptive` (the volatility-scaled object with its defaults, which those
/// keys then tune) or a number of ms (the same as `grace_ms`). A preset's own grace gives way to
/// either override; only a text that names both `grace_ms` and `grace` is refused.
public struct PolicySpec: Sendable, Equatable {
    /// The text the policy was given as (its name in reports).
    public var name: String
    public var policy: LiquidationPolicy
    public var liquidationFee: Fixed
    /// The market's `expected_slippage` for this policy (the toxic-close test).
    public var expectedSlippage: Fixed
    /// The market's oracle safety for this policy (none unless its keys are given).
    public var oracleGuard: OracleGuard

    public static let presetNames = ["hard", "soft", "soft-adaptive", "guarded"]
    /// The `guarded` preset's policy fields (the spec's names and JSON types).
    public static let guardedFields: [(String, JSONValue)] = [
        ("mode", .string("soft")),
        ("call_level", .string("1.5")),
        ("grace_ms", .number("60000")),
        ("cure_buffer", .string("0.2")),
        ("warning_buffer", .string("0.25")),
        ("step_fraction", .string("0.2")),
        ("cooldown_ms", .number("60000")),
        ("pre_liquidation_fee", .string("0.001")),
        ("liquidation_step_fraction", .string("0.5")),
        ("liquidation_cooldown_ms", .number("5000")),
        ("hard_fraction", .string("0.75")),
        ("toxic_close", .bool(true)),
        ("dynamic_margin", .object(JSONObject([("reference_volatility", .string("0.04")), ("max_multiplier", .string("2"))]))),
    ]
    static let defaultLiquidationFee = Fixed(raw: 500_000)  // 0.005
    static let integerKeys: Set<String> = ["grace_ms", "cooldown_ms", "min_ms", "max_ms", "volatility_half_life_ms", "liquidation_cooldown_ms"]
    static let booleanKeys: Set<String> = ["toxic_close"]
    static let graceKeys = ["max_breach_probability", "min_ms", "max_ms"]
    static let dynamicKeys = ["reference_volatility", "max_multiplier"]
    /// The volatility-scaled grace object with its defaults (the `soft-adaptive` preset's).
    static let adaptiveGrace: [(String, JSONValue)] = [
        ("max_breach_probability", .string("0.01")), ("min_ms", .number("60000")), ("max_ms", .number("3600000")),
    ]

    public init(name: String, policy: LiquidationPolicy, liquidationFee: Fixed, expectedSlippage: Fixed = .zero,
                oracleGuard: OracleGuard = .none) {
        self.name = name
        self.policy = policy
        self.liquidationFee = liquidationFee
        self.expectedSlippage = expectedSlippage
        self.oracleGuard = oracleGuard
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
        var grace: [(String, JSONValue)] = preset == "soft-adaptive" ? adaptiveGrace : []
        var top: [(String, JSONValue)] = preset == "guarded" ? guardedFields : [("mode", .string(preset == "hard" ? "hard" : "soft"))]
        if preset == "soft" { top.append(("grace_ms", .number("600000"))) }
        var dynamic: [(String, JSONValue)] = []
        if case .object(let object)? = top.first(where: { $0.0 == "dynamic_margin" })?.1 {
            dynamic = object.members.map { ($0.key, $0.value) }
        }
        var liquidationFee = defaultLiquidationFee
        var expectedSlippage = Fixed.zero
        let overriddenKeys = Set(overrides.map(\.0))
        if overriddenKeys.contains("grace_ms"), overriddenKeys.contains("grace") {
            throw SimulationError(code: "invalid_policy",
                                  message: "policy \"\(name)\" gives both grace_ms and grace: keep grace_ms=MS for a fixed grace period or grace=adaptive for a volatility-scaled one")
        }
        var oracleGuard = OracleGuard.none
        for (key, value) in overrides {
            if try readOracleKey(key, value, into: &oracleGuard, policyName: name) { continue }
            if key == "grace" {
                if value == "adaptive" {
                    if grace.isEmpty { grace = adaptiveGrace }
                    top.removeAll { $0.0 == "grace_ms" }
                } else if Int64(value) != nil {
                    grace = []
                    top.removeAll { $0.0 == "grace_ms" }
                    top.append(("grace_ms", .number(value)))
                } else {
                    throw SimulationError(code: "invalid_policy",
                                          message: "grace must be \"adaptive\" (volatility-scaled; tune it with max_breach_probability, min_ms, max_ms) or a number of ms, got \"\(value)\" in \"\(name)\"")
                }
                continue
            }
            if key == "liquidation_fee" || key == "expected_slippage" {
                guard let fraction = try? Fixed(parsing: value), !fraction.isNegative, fraction < .one else {
                    throw SimulationError(code: "invalid_policy", message: "\(key) must be a decimal in [0, 1), got \"\(value)\" in \"\(name)\"")
                }
                if key == "liquidation_fee" { liquidationFee = fraction } else { expectedSlippage = fraction }
                continue
            }
            if key == "dynamic_margin", value == "none" {
                dynamic = []
                continue
            }
            let json: JSONValue
            if integerKeys.contains(key) {
                json = .number(value)
            } else if booleanKeys.contains(key) {
                guard value == "true" || value == "false" else {
                    throw SimulationError(code: "invalid_policy", message: "\(key) must be true or false, got \"\(value)\" in \"\(name)\"")
                }
                json = .bool(value == "true")
            } else {
                json = .string(value)
            }
            if dynamicKeys.contains(key) {
                if dynamic.isEmpty { dynamic = [("reference_volatility", .string("0.04")), ("max_multiplier", .string("2"))] }
                dynamic.removeAll { $0.0 == key }
                dynamic.append((key, json))
                continue
            }
            if graceKeys.contains(key) {
                if grace.isEmpty { grace = adaptiveGrace }
                grace.removeAll { $0.0 == key }
                grace.append((key, json))
                top.removeAll { $0.0 == "grace_ms" }
            } else {
                if key == "grace_ms" { grace = [] }
                top.removeAll { $0.0 == key }
                top.append((key, json))
            }
        }
        top.removeAll { $0.0 == "dynamic_margin" }
        if !dynamic.isEmpty { top.append(("dynamic_margin", .object(JSONObject(dynamic.map { (key: $0.0, value: $0.1) })))) }
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
            do { try oracleGuard.validate() } catch {
                throw SimulationError(code: "invalid_policy", message: "policy \"\(name)\": \(error.message)")
            }
            return PolicySpec(name: name, policy: policy, liquidationFee: liquidationFee, expectedSlippage: expectedSlippage,
                              oracleGuard: oracleGuard)
        case .invalid(let error, _):
            throw SimulationError(code: error.code.rawValue, message: "policy \"\(name)\": \(error.message)")
        case .skip:
            throw SimulationError(code: "invalid_policy", message: "policy \"\(name)\" is empty")
        }
    }

    /// Reads an oracle-safety key (`max_mark_age_ms`, `confirm_ms`: integers in ms; `max_mark_move`:
    /// a decimal fraction) into `oracleGuard`; false for any other key. Ranges are checked once all
    /// keys are read (`OracleGuard.validate`).
    static func readOracleKey(_ key: String, _ value: String, into oracleGuard: inout OracleGuard, policyName: String) throws(SimulationError) -> Bool {
        switch key {
        case "max_mark_age_ms", "confirm_ms":
            guard let milliseconds = Int64(value) else {
                throw SimulationError(code: "invalid_policy", message: "\(key) must be an integer number of milliseconds, got \"\(value)\" in \"\(policyName)\"")
            }
            if key == "max_mark_age_ms" { oracleGuard.maxMarkAgeMs = milliseconds } else { oracleGuard.confirmMs = milliseconds }
            return true
        case "max_mark_move":
            guard let fraction = try? Fixed(parsing: value) else {
                throw SimulationError(code: "invalid_policy", message: "max_mark_move must be a decimal fraction of the price (e.g. 0.1), got \"\(value)\" in \"\(policyName)\"")
            }
            oracleGuard.maxMarkMove = fraction
            return true
        default:
            return false
        }
    }
}
