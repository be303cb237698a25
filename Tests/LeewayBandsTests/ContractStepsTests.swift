import Foundation
import LeewayBands
import LeewayWire
import Testing

/// Replays `reference/bands/contract-steps-0-8.json` (the real contract in an EVM) as replay
/// operations and checks every recorded number after every step.
@Suite("LLAMMA against the contract")
struct ContractStepsTests {
    struct Step {
        let operations: [BandsOperation]
        let expected: JSONObject
        let label: String
    }

    static func load() throws -> (steps: [Step], params: JSONObject) {
        let url = BandsFixtures.sharedDirectory.appendingPathComponent("reference/bands/contract-steps-0-8.json")
        let root = try JSONParser.parse(bytes: [UInt8](Data(contentsOf: url)))
        guard case .object(let object) = root, case .object(let params)? = object["params"], case .array(let steps)? = object["steps"] else {
            throw BandsError("test.fixture", "unexpected contract-steps layout")
        }
        let t0 = Int64(try number(params["t0"])) * 1000
        var now = t0
        var result: [Step] = []
        for case .object(let step) in steps {
            guard case .string(let action)? = step["action"], case .object(let state)? = step["state"] else { continue }
            var operations: [BandsOperation] = []
            switch action {
            case "deposit_range":
                operations.append(.createAMM(a: Int(try number(params["A"])), basePrice: try number(params["base_price"]), fee: try number(params["fee"]),
                                             oraclePrice: try number(params["initial_oracle_price"]), timeMs: t0, loanDiscount: nil, liquidationDiscount: nil))
                operations.append(.deposit(user: try text(step["user"]), amount: try number(step["amount"]), n1: Int(try number(step["n1"])),
                                           n2: Int(try number(step["n2"])), timeMs: nil))
            case "set_oracle":
                now += Int64(try number(step["advance_seconds"])) * 1000
                operations.append(.oracle(price: try number(step["new_oracle_price"]), timeMs: now))
            case "arb_to_oracle":
                now += 600_000
                operations.append(.amountForPrice(price: try number(step["target_price"]), timeMs: now))
                if step["in_amount"] != nil {
                    operations.append(.exchange(i: Int(try number(step["i"])), j: Int(try number(step["j"])), amount: try number(step["in_amount"]), timeMs: now))
                }
            default:
                throw BandsError("test.fixture", "unknown action \(action)")
            }
            result.append(Step(operations: operations, expected: state.merging(step), label: "step \(try number(step["step"]))"))
        }
        return (result, params)
    }

    static func number(_ value: JSONValue?) throws -> Double {
        switch value {
        case .string(let s)?: if let d = Double(s) { return d }
        case .number(let s)?: if let d = Double(s) { return d }
        default: break
        }
        throw BandsError("test.fixture", "expected a number, got \(String(describing: value))")
    }

    static func text(_ value: JSONValue?) throws -> String {
        guard case .string(let s)? = value else { throw BandsError("test.fixture", "expected a string") }
        return s
    }

    static func check(_ actual: JSONValue?, _ expected: JSONValue?, _ what: String) throws {
        let got = try number(actual), want = try number(expected)
        #expect(BandsFixtures.close(got, want, relative: 1e-12, absolute: 1e-9), "\(what): got \(got), contract \(want)")
    }

    @Test("steps 0-8 agree with the contract to 1e-12 relative")
    func contractStepsAgree() throws {
        let (steps, _) = try Self.load()
        #expect(steps.count == 9)
        var replay = BandsReplay()
        for step in steps {
            var line = ""
            for operation in step.operations {
                let outcome = try replay.apply(operation)
                line = replay.stateLine(outcome: outcome)
                if case .amountForPrice(let amount, let pump) = outcome {
                    try Self.check(.string(BandsReplay.decimal(amount)), step.expected["amount_for_price"], "\(step.label) amount_for_price")
                    if case .bool(let expectedPump)? = step.expected["pump"] { #expect(pump == expectedPump, "\(step.label) pump") }
                }
            }
            guard case .object(let state) = try JSONParser.parse(line) else { Issue.record("state line is not an object"); continue }
            let label = step.label
            try Self.check(state["timestamp"].map { _ in .number(String(Double(try Self.number(state["timestamp"])) / 1000)) }, step.expected["timestamp"], "\(label) timestamp")
            for key in ["price_oracle", "dynamic_fee", "get_p"] { try Self.check(state[key], step.expected[key], "\(label) \(key)") }
            for key in ["active_band", "min_band", "max_band"] { try Self.check(state[key], step.expected[key], "\(label) \(key)") }
            if case .array(let result)? = state["exchange_result"], case .array(let expected)? = step.expected["exchange_result"] {
                for (got, want) in zip(result, expected) { try Self.check(got, want, "\(label) exchange_result") }
            } else if step.expected["exchange_result"] != nil {
                Issue.record("\(label): no exchange_result")
            }
            guard case .object(let bands)? = state["bands"], case .object(let expectedBands)? = step.expected["bands"] else {
                Issue.record("\(label): no bands"); continue
            }
            for key in expectedBands.keys {
                guard case .object(let want)? = expectedBands[key] else { continue }
                let got: JSONObject
                if case .object(let present)? = bands[key] { got = present } else { got = JSONObject([("x", .string("0")), ("y", .string("0"))]) }
                try Self.check(got["x"], want["x"], "\(label) band \(key) x")
                try Self.check(got["y"], want["y"], "\(label) band \(key) y")
            }
            guard case .object(let users)? = state["users"], case .object(let user)? = users["user"], case .object(let expectedUser)? = step.expected["user"] else {
                Issue.record("\(label): no user"); continue
            }
            for key in ["sum_x", "sum_y", "x_down", "y_up"] { try Self.check(user[key], expectedUser[key], "\(label) user \(key)") }
            for key in ["per_band_x", "per_band_y"] {
                guard case .array(let got)? = user[key], case .array(let want)? = expectedUser[key] else { Issue.record("\(label) \(key) missing"); continue }
                #expect(got.count == want.count)
                for (index, pair) in zip(got, want).enumerated() { try Self.check(pair.0, pair.1, "\(label) user \(key)[\(index)]") }
            }
        }
    }
}

extension JSONObject {
    /// This object's members plus `other`'s members it does not have.
    func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for key in other.keys where self[key] == nil { if let value = other[key] { merged.append(key, value) } }
        return merged
    }
}
