import Foundation
import LeewayBands
import LeewayWire
import Testing

/// Replays every fixture that `scripts/bands-fixtures/record.py` recorded from the real AMM.vy (both
/// versions, in titanoboa) through the exact mode and checks every recorded quantity to the wei.
@Suite("Exact LLAMMA against the recorded contracts")
struct ExactFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/exact")

    static var fixtureNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    static func load(_ name: String) throws -> JSONObject {
        let root = try JSONParser.parse(bytes: [UInt8](Data(contentsOf: directory.appendingPathComponent(name))))
        guard case .object(let object) = root else { throw BandsError("test.fixture", "\(name) is not an object") }
        return object
    }

    @Test("fixtures of both contract versions are committed")
    func fixturesExist() {
        #expect(Self.fixtureNames.contains { $0.hasPrefix("classic-") })
        #expect(Self.fixtureNames.contains { $0.hasPrefix("head-") })
    }

    @Test("every recorded step replays to the wei, and every revert is refused without a change", arguments: fixtureNames)
    func replaysToTheWei(name: String) throws {
        let fixture = try Self.load(name)
        guard case .string(let versionText)? = fixture["version"], let version = ContractVersion(rawValue: versionText),
              case .array(let steps)? = fixture["steps"] else { throw BandsError("test.fixture", "\(name): no version or steps") }
        var replay = ExactBandsReplay(version: version)
        for (index, value) in steps.enumerated() {
            guard case .object(let step) = value, case .object(let op)? = step["op"] else { continue }
            let operation = try ExactBandsOperation.decode(object: op)
            let before: String? = replay.amm == nil ? nil : try? replay.stateLine(outcome: .none)
            if case .string(let reason)? = step["revert"] {
                let error = Self.refusal(&replay, operation)
                #expect(error != nil, "\(name) step \(index): the contract reverted (\(reason)) but the replay accepted it")
                let contractReason = reason.hasPrefix("dev: ") ? String(reason.dropFirst(5)) : reason
                if reason != "revert", let error {
                    #expect(error.message.contains(contractReason), "\(name) step \(index): \(error) should give the contract's reason \(reason)")
                }
                #expect((try? replay.stateLine(outcome: .none)) == before, "\(name) step \(index): a refusal changed the state")
                continue
            }
            let outcome = try replay.apply(operation)
            guard case .object(let expected)? = step["state"], let amm = replay.amm else { continue }
            let mismatches = try Self.compare(amm, outcome: outcome, expected: expected)
            #expect(mismatches.isEmpty, "\(name) step \(index) \(op["op"].map { "\($0)" } ?? ""): \(mismatches.prefix(6).joined(separator: "; "))")
            if !mismatches.isEmpty { return }
        }
    }

    /// The error an operation is refused with, or nil when it was applied.
    static func refusal(_ replay: inout ExactBandsReplay, _ operation: ExactBandsOperation) -> BandsError? {
        do {
            _ = try replay.apply(operation)
            return nil
        } catch {
            return error
        }
    }

    /// Every field of the recorded state against the exact AMM; a description of each difference.
    static func compare(_ amm: ExactAMM, outcome: ExactBandsReplay.Outcome, expected: JSONObject) throws -> [String] {
        var out: [String] = []
        func check(_ label: String, _ actual: String, _ value: JSONValue?) {
            let wanted: String
            switch value {
            case .string(let s)?: wanted = s
            case .number(let s)?: wanted = s
            case .bool(let b)?: wanted = b ? "true" : "false"
            default: wanted = "<missing>"
            }
            if actual != wanted { out.append("\(label): \(actual) ≠ contract \(wanted)") }
        }
        check("timestamp", "\(amm.now)000", expected["timestamp"])
        check("price_oracle", try amm.priceOracle().description, expected["price_oracle"])
        check("dynamic_fee", try amm.dynamicFee().description, expected["dynamic_fee"])
        check("active_band", String(amm.activeBand), expected["active_band"])
        check("min_band", String(amm.minBand), expected["min_band"])
        check("max_band", String(amm.maxBand), expected["max_band"])
        check("get_p", try amm.price().description, expected["get_p"])
        check("rate_mul", try amm.currentRateMultiplier().description, expected["rate_mul"])
        if case .object(let bands)? = expected["bands"] {
            for key in bands.keys {
                guard let n = Int(key), case .array(let xy)? = bands[key], xy.count == 2 else { continue }
                check("band \(n) x", amm.x(n).description, xy[0])
                check("band \(n) y", amm.y(n).description, xy[1])
            }
        }
        if case .object(let edges)? = expected["p_oracle_up"] {
            for key in edges.keys { if let n = Int(key) { check("p_oracle_up(\(n))", try amm.pOracleUp(n).description, edges[key]) } }
        }
        if case .array(let fees)? = expected["admin_fees"], fees.count == 2 {
            check("admin_fees_x", amm.adminFeesX.description, fees[0])
            check("admin_fees_y", amm.adminFeesY.description, fees[1])
        }
        if case .object(let users)? = expected["users"] {
            if Set(users.keys) != Set(amm.users.keys) { out.append("users with liquidity: \(amm.users.keys.sorted()) ≠ contract \(users.keys.sorted())") }
            for user in users.keys {
                guard case .object(let u)? = users[user], let deposit = amm.users[user], let amounts = try amm.userAmounts(user),
                      let sums = try amm.userSums(user) else { continue }
                check("\(user) n1", String(deposit.n1), u["n1"])
                check("\(user) n2", String(deposit.n2), u["n2"])
                check("\(user) sum_x", sums.x.description, u["sum_x"])
                check("\(user) sum_y", sums.y.description, u["sum_y"])
                check("\(user) x_down", try amm.userAdiabatic(user, useY: false).description, u["x_down"])
                check("\(user) y_up", try amm.userAdiabatic(user, useY: true).description, u["y_up"])
                for (field, values) in [("shares", deposit.shares), ("per_band_x", amounts.x), ("per_band_y", amounts.y)] {
                    guard case .array(let wanted)? = u[field] else { continue }
                    if wanted.count != values.count { out.append("\(user) \(field) count \(values.count) ≠ \(wanted.count)"); continue }
                    for (k, value) in values.enumerated() { check("\(user) \(field)[\(k)]", value.description, wanted[k]) }
                }
            }
        }
        switch outcome {
        case .none: break
        case .exchange(let inAmount, let outAmount):
            if case .array(let r)? = expected["exchange_result"], r.count == 2 {
                check("exchange in", inAmount.description, r[0]); check("exchange out", outAmount.description, r[1])
            }
        case .returned(let x, let y):
            if case .array(let r)? = expected["returned"], r.count == 2 { check("returned x", x.description, r[0]); check("returned y", y.description, r[1]) }
        case .amountForPrice(let amount, let pump):
            check("amount_for_price", amount.description, expected["amount_for_price"])
            check("pump", pump ? "true" : "false", expected["pump"])
        }
        return out
    }

    @Test("the float mode follows the classic contract to 1e-12 until dust decides the active band")
    func floatModeAgreesBeforeDust() throws {
        let fixture = try Self.load("classic-steps.json")
        guard case .array(let steps)? = fixture["steps"] else { return }
        var replay = BandsReplay()
        var compared = 0
        for case .object(let step) in steps {
            guard case .object(let op)? = step["op"], case .object(let expected)? = step["state"] else { continue }
            // The first dump back up converts bands to collateral and leaves wei of dust: stop there.
            if case .string("exchange")? = op["op"], case .number("1")? = op["i"] { break }
            _ = try replay.apply(BandsOperation.decode(object: op))
            guard let amm = replay.amm else { continue }
            #expect(String(amm.activeBand) == Self.text(expected["active_band"]))
            for (actual, key) in [(amm.price, "get_p"), (amm.oraclePrice, "price_oracle")] {
                let wanted = (Double(Self.text(expected[key])) ?? .nan) / 1e18
                #expect(BandsFixtures.close(actual, wanted, relative: 1e-12), "\(key): \(actual) vs contract \(wanted)")
            }
            compared += 1
        }
        #expect(compared >= 10)
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?, .number(let s)?: return s
        default: return ""
        }
    }
}
