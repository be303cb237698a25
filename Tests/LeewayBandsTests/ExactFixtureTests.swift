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
        #expect(Self.fixtureNames.contains("classic-loans.json"))
        #expect(Self.fixtureNames.contains("head-loans.json"))
    }

    /// The fixtures of the AMM alone (the loans fixture uses `repay`, which only the exact mode knows).
    static var ammFixtureNames: [String] { fixtureNames.filter { !$0.contains("loans") } }

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
            let mismatches = try Self.compare(amm, controller: replay.controller, outcome: outcome, expected: expected)
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
    static func compare(_ amm: ExactAMM, controller: ExactController?, outcome: ExactBandsReplay.Outcome, expected: JSONObject) throws -> [String] {
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
        if case .object(let loans)? = expected["loans"] {
            guard let controller else { return out + ["the contract has a Controller, the replay none"] }
            if Set(loans.keys) != Set(controller.loans.keys) { out.append("loans: \(controller.loans.keys.sorted()) ≠ contract \(loans.keys.sorted())") }
            for user in loans.keys.sorted() {
                guard case .object(let loan)? = loans[user], controller.loans[user] != nil else { continue }
                check("\(user) debt", try controller.debt(of: user, amm: amm).debt.description, loan["debt"])
                check("\(user) health", try controller.health(of: user, full: false, amm: amm).description, loan["health"])
                check("\(user) health_full", try controller.health(of: user, full: true, amm: amm).description, loan["health_full"])
                check("\(user) liquidation_discount", (controller.liquidationDiscounts[user] ?? .zero).description, loan["liquidation_discount"])
                if case .array(let bands)? = loan["n1_n2"], bands.count == 2, let deposit = amm.users[user] {
                    check("\(user) n1", String(deposit.n1), bands[0])
                    check("\(user) n2", String(deposit.n2), bands[1])
                }
            }
            check("total_debt", try controller.totalDebt(amm: amm).description, expected["total_debt"])
            check("n_loans", String(controller.loanCount), expected["n_loans"])
            check("rate", amm.rate.description, expected["rate"])
            if expected["controller_admin_fees"] != nil {
                check("controller_admin_fees", try controller.adminFees(amm: amm).description, expected["controller_admin_fees"])
                check("minted", controller.minted.description, expected["minted"])
                check("redeemed", controller.redeemed.description, expected["redeemed"])
            }
        }
        switch outcome {
        case .none: break
        case .loanCreated(let limit): check("max_borrowable", limit.description, expected["max_borrowable"])
        case .liquidated(let needed, _, _): check("tokens_to_liquidate", needed.description, expected["tokens_to_liquidate"])
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

    /// A band amount the contract holds that a float model cannot: positive but below 10⁻⁶ coins
    /// (10¹² wei). Converting a band back almost fully leaves a few thousand wei, and that dust keeps
    /// the band "not empty", so it decides which band is active and therefore `get_p`.
    static let dustWei = 1_000_000_000_000.0

    /// Whether the recorded state holds dust in any band (see `dustWei`).
    static func holdsDust(_ state: JSONObject) -> Bool {
        guard case .object(let bands)? = state["bands"] else { return false }
        for case .array(let amounts) in bands.members.map(\.value) {
            for amount in amounts {
                if let wei = Double(text(amount)), wei > 0, wei < dustWei { return true }
            }
        }
        return false
    }

    /// The float mode (`BandedAMM`, binary64) against every recorded contract state of both versions:
    /// the active band, `get_p`, the oracle price and every band's amounts to 1e-12 relative (amounts
    /// below 10⁻⁶ coins to 10⁻¹⁸ coins absolute), on every step whose recorded state holds no dust.
    /// Where dust decides, the float model is allowed to differ (that is what `--exact` is for), and
    /// the test checks such steps exist in the fixtures it claims them for.
    @Test("the float mode follows both contracts to 1e-12 on every step where no dust decides the active band", arguments: ammFixtureNames)
    func floatModeAgreesWhereNoDustDecides(name: String) throws {
        let fixture = try Self.load(name)
        guard case .array(let steps)? = fixture["steps"] else { throw BandsError("test.fixture", "\(name): no steps") }
        var replay = BandsReplay()
        var compared = 0, dustSteps = 0
        for (index, value) in steps.enumerated() {
            guard case .object(let step) = value, case .object(let op)? = step["op"] else { continue }
            let operation = try BandsOperation.decode(object: op)
            if step["revert"] != nil {
                #expect((try? replay.apply(operation)) == nil, "\(name) step \(index): the contract reverted but the float mode accepted it")
                continue
            }
            _ = try replay.apply(operation)
            guard case .object(let expected)? = step["state"], let amm = replay.amm else { continue }
            if Self.holdsDust(expected) { dustSteps += 1; continue }
            var mismatches: [String] = []
            if String(amm.activeBand) != Self.text(expected["active_band"]) {
                mismatches.append("active_band \(amm.activeBand) vs contract \(Self.text(expected["active_band"]))")
            }
            for (actual, key) in [(amm.price, "get_p"), (amm.oraclePrice, "price_oracle")] {
                let wanted = (Double(Self.text(expected[key])) ?? .nan) / 1e18
                if !BandsFixtures.close(actual, wanted, relative: 1e-12) { mismatches.append("\(key) \(actual) vs contract \(wanted)") }
            }
            if case .object(let bands)? = expected["bands"] {
                for (band, amounts) in bands.members {
                    guard case .array(let pair) = amounts, pair.count == 2, let n = Int(band) else { continue }
                    for (side, actual) in [(0, amm.x(n)), (1, amm.y(n))] {
                        let wanted = (Double(Self.text(pair[side])) ?? .nan) / 1e18
                        if !BandsFixtures.close(actual, wanted, relative: 1e-12, absolute: 1e-18) {
                            mismatches.append("band \(n) \(side == 0 ? "x" : "y") \(actual) vs contract \(wanted)")
                        }
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(name) step \(index) \(Self.text(op["op"])): \(mismatches.prefix(4).joined(separator: "; "))")
            compared += 1
        }
        #expect(compared >= 20, "\(name): only \(compared) steps without dust")
        if name.hasSuffix("-steps.json") { #expect(dustSteps > 0, "\(name): the de-liquidation to dust should leave dust") }
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?, .number(let s)?: return s
        default: return ""
        }
    }
}
