import LeewayBands
import LeewayWire
import Testing

/// What exact mode refuses about loans before the Controller's own reverts (those are replayed from
/// the recorded contract in `ExactFixtureTests`): each refusal names its code and changes nothing.
@Suite("Exact loans: set-up refusals")
struct ExactLoanRefusalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let version: ContractVersion
        let lines: [String]
        let code: String
        var testDescription: String { name }
    }

    static let amm = #"{"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000"#
    static let loan = #"{"op":"create_loan","user":"b","collateral":"1","debt":"1000","n":10,"ts":1700000000000}"#

    static let cases: [Case] = [
        Case(name: "a loan without the Controller's discounts", version: .classic, lines: [amm + "}", loan], code: "bands.no_loans"),
        Case(name: "a repay without the Controller", version: .classic,
             lines: [amm + "}", #"{"op":"repay","user":"b","amount":"1"}"#], code: "bands.no_loans"),
        Case(name: "only one of the two discounts", version: .classic, lines: [amm + #","loan_discount":"0.09"}"#], code: "bands.invalid_discounts"),
        Case(name: "liquidation discount not below the loan discount", version: .classic,
             lines: [amm + #","loan_discount":"0.05","liquidation_discount":"0.06"}"#], code: "bands.invalid_discounts"),
        Case(name: "a loan discount above 50 %", version: .classic,
             lines: [amm + #","loan_discount":"0.6","liquidation_discount":"0.06"}"#], code: "bands.invalid_discounts"),
        Case(name: "head: liquidation discount not below the loan discount", version: .head,
             lines: [amm + #","loan_discount":"0.05","liquidation_discount":"0.06"}"#], code: "bands.invalid_discounts"),
        Case(name: "head: a repay of nothing while the AMM holds no borrowed coin for the loan", version: .head,
             lines: [amm + discounts, loan, #"{"op":"repay","user":"b","amount":"0"}"#], code: "bands.nothing_to_repay"),
        Case(name: "head: a liquidation above 100 % of a healthy loan is refused for its health first", version: .head,
             lines: [amm + discounts, loan, #"{"op":"liquidate","user":"b","frac":"2"}"#], code: "bands.not_enough_rekt"),
        Case(name: "head: a liquidation of a user without a loan", version: .head,
             lines: [amm + discounts, #"{"op":"liquidate","user":"nobody","frac":"1"}"#], code: "bands.no_loan"),
    ]

    static let discounts = #","loan_discount":"0.09","liquidation_discount":"0.06"}"#

    @Test("loans need the Controller's discounts on the amm line; a bad set-up or call is refused with its code", arguments: cases)
    func refusesBadLoanSetup(_ testCase: Case) throws {
        var replay = ExactBandsReplay(version: testCase.version)
        for line in testCase.lines.dropLast() { _ = try replay.apply(ExactBandsOperation.decode(line)) }
        let before = try replay.stateLine(outcome: .none)
        do {
            _ = try replay.apply(ExactBandsOperation.decode(testCase.lines.last!))
            Issue.record("\(testCase.name) was accepted")
        } catch {
            #expect(error.code == testCase.code, "\(error)")
            #expect(!error.message.isEmpty)
        }
        #expect(try replay.stateLine(outcome: .none) == before)
    }

    @Test("a loan at max_borrowable is placed and healthy; a debt far beyond it is refused as 'Debt too high'")
    func borrowLimitIsTheContractsEdge() throws {
        var replay = ExactBandsReplay(version: .classic)
        _ = try replay.apply(ExactBandsOperation.decode(Self.amm + #","loan_discount":"0.09","liquidation_discount":"0.06"}"#))
        guard let controller = replay.controller, let amm = replay.amm else { Issue.record("no controller"); return }
        let limit = try controller.maximumBorrowable(collateral: UInt256.wad.wrappingMultiplied(by: 10), bands: 10, amm: amm)
        #expect(limit > .zero)
        let atLimit = #"{"op":"create_loan","user":"a","collateral":"10","debt":"\#(WeiDecimal.text(limit))","n":10}"#
        let outcome = try replay.apply(ExactBandsOperation.decode(atLimit))
        #expect(outcome == .loanCreated(maximumBorrowable: limit))
        #expect(try replay.controller?.health(of: "a", full: false, amm: replay.amm!).isNegative == false)
        let far = #"{"op":"create_loan","user":"c","collateral":"1","debt":"100000","n":10}"#
        do {
            _ = try replay.apply(ExactBandsOperation.decode(far))
            Issue.record("a debt of 100,000 against 1 collateral at 3,000 was accepted")
        } catch {
            #expect(error.code == "bands.debt_too_high")
            #expect(error.message.contains("Debt too high"))
        }
    }
}

/// The head Controller's own reverts, beside the classic one's behaviour on the same calls.
@Suite("Exact loans: the head Controller's refusals")
struct ExactHeadLoanRefusalTests {
    /// Replays `head-loans.json` up to the first successful liquidation, where the recorded contract had
    /// a loan ("alice") in soft liquidation with full health below 0.
    static func replayToUnhealthyLoan() throws -> ExactBandsReplay {
        let fixture = try ExactFixtureTests.load("head-loans.json")
        guard case .array(let steps)? = fixture["steps"] else { throw BandsError("test.fixture", "head-loans.json: no steps") }
        var replay = ExactBandsReplay(version: .head)
        for value in steps {
            guard case .object(let step) = value, case .object(let op)? = step["op"] else { continue }
            if case .string("liquidate")? = op["op"], step["state"] != nil { return replay }
            if step["revert"] != nil { continue }
            _ = try replay.apply(ExactBandsOperation.decode(object: op))
        }
        throw BandsError("test.fixture", "head-loans.json has no successful liquidation")
    }

    /// Applies a line that must be refused; returns the error after checking the state did not change.
    static func refuse(_ replay: inout ExactBandsReplay, _ line: String) throws -> BandsError? {
        let before = try replay.stateLine(outcome: .none)
        defer { #expect((try? replay.stateLine(outcome: .none)) == before, "\(line) changed the state") }
        do {
            _ = try replay.apply(ExactBandsOperation.decode(line))
            Issue.record("\(line) was accepted")
            return nil
        } catch {
            return error
        }
    }

    @Test("on an unhealthy loan in soft liquidation, head refuses frac > 100 %, frac 0 and a repay that ends unhealthy")
    func refusesOnAnUnhealthyLoan() throws {
        var replay = try Self.replayToUnhealthyLoan()
        let controller = try #require(replay.controller), amm = try #require(replay.amm)
        #expect(try controller.health(of: "alice", full: true, amm: amm).isNegative)
        #expect(try controller.health(of: "alice", full: false, amm: amm).isNegative)
        let tooMuch = try Self.refuse(&replay, #"{"op":"liquidate","user":"alice","frac":"1.5"}"#)
        #expect(tooMuch?.code == "bands.invalid_fraction")
        #expect(tooMuch?.message.contains("frac>100%") == true)
        let nothing = try Self.refuse(&replay, #"{"op":"liquidate","user":"alice","frac":"0"}"#)
        #expect(nothing?.code == "bands.nothing_to_repay")
        let unhealthy = try Self.refuse(&replay, #"{"op":"repay","user":"alice","amount":"0.000000000000000001"}"#)
        #expect(unhealthy?.code == "bands.unhealthy_result")
        #expect(unhealthy?.message.contains("The action ends with unhealthy state") == true)
    }

    @Test("a loan whose top band lies more than 1024 bands down is 'Too deep' on head and 'Debt too high' on classic")
    func tooDeepOnHeadOnly() throws {
        let hugeDebt = #"{"op":"create_loan","user":"b","collateral":"1","debt":"100000000","n":10}"#
        var codes: [ContractVersion: String] = [:]
        for version in ContractVersion.allCases {
            var replay = ExactBandsReplay(version: version)
            _ = try replay.apply(ExactBandsOperation.decode(ExactLoanRefusalTests.amm + ExactLoanRefusalTests.discounts))
            codes[version] = try Self.refuse(&replay, hugeDebt)?.code
        }
        #expect(codes[.head] == "bands.too_deep")
        #expect(codes[.classic] == "bands.debt_too_high")
    }

    @Test("a loan's debt on head is rounded up even when it is the only loan; on classic it is floored")
    func headRoundsTheDebtUp() throws {
        let lines = [ExactLoanRefusalTests.amm + ExactLoanRefusalTests.discounts,
                     #"{"op":"create_loan","user":"b","collateral":"1","debt":"1000.000000000000000001","n":10,"ts":1700000000000}"#,
                     #"{"op":"rate","rate":"0.000000003170979198","ts":1700000000000}"#, #"{"op":"oracle","price":"3000","ts":1700000777000}"#]
        var debts: [ContractVersion: UInt256] = [:]
        var exact: UInt256 = .zero
        for version in ContractVersion.allCases {
            var replay = ExactBandsReplay(version: version)
            for line in lines { _ = try replay.apply(ExactBandsOperation.decode(line)) }
            let controller = try #require(replay.controller), amm = try #require(replay.amm)
            debts[version] = try controller.debt(of: "b", amm: amm).debt
            let loan = try #require(controller.loans["b"])
            let scaled = try loan.initialDebt.wrappingMultiplied(by: amm.currentRateMultiplier())
            #expect(!scaled.quotientAndRemainder(dividingBy: loan.rateMultiplier).remainder.isZero, "the test needs an inexact division")
            exact = scaled.quotientAndRemainder(dividingBy: loan.rateMultiplier).quotient
        }
        #expect(debts[.classic] == exact)
        #expect(debts[.head] == exact.wrappingAdding(.one))
    }
}
