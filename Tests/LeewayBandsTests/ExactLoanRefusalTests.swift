import LeewayBands
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
        Case(name: "loans on the head contract (its Controller is not emulated)", version: .head,
             lines: [amm + #","loan_discount":"0.09","liquidation_discount":"0.06"}"#], code: "bands.exact_unsupported"),
    ]

    @Test("loans need the classic Controller's discounts on the amm line; a bad set-up is refused with its code", arguments: cases)
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
