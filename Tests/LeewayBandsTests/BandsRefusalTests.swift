import LeewayBands
import Testing

@Suite("Bad input is refused and changes nothing")
struct BandsRefusalTests {
    static let setup = [
        #"{"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}"#,
        #"{"op":"deposit","user":"u","amount":"10","n1":5,"n2":14}"#,
        #"{"op":"oracle","price":"2800","ts":1700000600000}"#,
        #"{"op":"exchange","i":0,"j":1,"amount":"5157.107070545481259889","ts":1700001200000}"#,
    ]

    struct Case: Sendable, CustomStringConvertible {
        let line: String
        let code: String
        var description: String { code + " " + line }
    }

    static let cases = [
        Case(line: #"{"op":"deposit","user":"v","amount":"1","n1":5,"n2":8}"#, code: "bands.deposit_below_current_band"),
        Case(line: #"{"op":"deposit","user":"u","amount":"1","n1":20,"n2":24}"#, code: "bands.user_has_liquidity"),
        Case(line: #"{"op":"withdraw","user":"u","frac":"1.5"}"#, code: "bands.withdraw_exceeds_deposit"),
        Case(line: #"{"op":"withdraw","user":"w","frac":"0.5"}"#, code: "bands.no_deposit"),
        Case(line: #"{"op":"exchange","i":0,"j":0,"amount":"1"}"#, code: "bands.wrong_index"),
        Case(line: #"{"op":"exchange","i":0,"j":1,"amount":"-1"}"#, code: "bands.invalid_amount"),
        Case(line: #"{"op":"oracle","price":"0","ts":1700001200000}"#, code: "bands.invalid_price"),
        Case(line: #"{"op":"oracle","price":"2700","ts":1600000000000}"#, code: "bands.time_backwards"),
        Case(line: #"{"op":"amm","A":1,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1}"#, code: "bands.amm_exists"),
        Case(line: #"{"op":"teleport"}"#, code: "bands.unknown_operation"),
        Case(line: #"{"op":"deposit","user":"v","amount":"1","n1":30}"#, code: "bands.missing_field"),
        Case(line: #"{"op":"deposit","user":"v","amount":"1","n1":30,"n2":100}"#, code: "bands.invalid_range"),
        Case(line: "not json", code: "bands.malformed_json"),
    ]

    @Test("every refusal has its code and leaves the state as it was", arguments: cases)
    func refusalChangesNothing(testCase: Case) throws {
        var replay = BandsReplay()
        for line in Self.setup { _ = try replay.apply(BandsOperation.decode(line)) }
        let before = replay.stateLine(outcome: .none)
        do {
            _ = try replay.apply(BandsOperation.decode(testCase.line))
            Issue.record("accepted \(testCase.line)")
        } catch {
            #expect(error.code == testCase.code, "\(error)")
            #expect(!error.message.isEmpty)
        }
        #expect(replay.stateLine(outcome: .none) == before)
        #expect(replay.amm?.activeBand == 6)
    }

    struct ParameterCase: Sendable, CustomStringConvertible {
        let a: Int, bands: Int, fee: Double, code: String
        var description: String { "A=\(a) N=\(bands) fee=\(fee)" }
    }

    @Test("invalid A, N and fee are refused", arguments: [
        ParameterCase(a: 1, bands: 4, fee: 0.002, code: "bands.invalid_amplification"),
        ParameterCase(a: 100, bands: 3, fee: 0.002, code: "bands.invalid_band_count"),
        ParameterCase(a: 100, bands: 51, fee: 0.002, code: "bands.invalid_band_count"),
        ParameterCase(a: 100, bands: 4, fee: 0.05, code: "bands.invalid_fee"),
        ParameterCase(a: 100, bands: 4, fee: 0, code: "bands.invalid_fee"),
        ParameterCase(a: 100, bands: 4, fee: .nan, code: "bands.invalid_fee"),
    ])
    func invalidParametersAreRefused(parameters: ParameterCase) {
        do {
            try LossSimulationParameters(a: parameters.a, bands: parameters.bands, fee: parameters.fee).validate()
            Issue.record("accepted \(parameters)")
        } catch { #expect(error.code == parameters.code) }
        if parameters.code != "bands.invalid_band_count" {
            do {
                _ = try BandedAMM(a: parameters.a, basePrice: 3000, fee: parameters.fee, oraclePrice: 3000, nowMs: 0)
                Issue.record("AMM accepted \(parameters)")
            } catch { #expect(error.code == parameters.code) }
        }
    }
}

@Suite("Loan operations through the replay")
struct BandsLoanReplayTests {
    /// The error a line is refused with, or nil if it was applied.
    static func refusal(_ replay: inout BandsReplay, _ line: String) -> BandsError? {
        do {
            _ = try replay.apply(BandsOperation.decode(line))
            return nil
        } catch {
            return error
        }
    }

    @Test("create_loan, rate and liquidate: the state line carries the loan, and a healthy loan cannot be liquidated")
    func loanOperationsReplay() throws {
        var replay = BandsReplay()
        let lines = [
            #"{"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":0,"loan_discount":"0.09","liquidation_discount":"0.06"}"#,
            #"{"op":"create_loan","user":"b","collateral":"1","debt":"2000","n":10}"#,
            #"{"op":"rate","rate":"1e-8","ts":0}"#,
        ]
        var state = ""
        for line in lines { state = replay.stateLine(outcome: try replay.apply(BandsOperation.decode(line))) }
        #expect(state.contains(#""loans":{"b":{"debt":"2000.0""#))
        #expect(state.contains(#""sum_x":"0""#))
        #expect(Self.refusal(&replay, #"{"op":"liquidate","user":"b"}"#)?.code == "bands.not_enough_rekt")
        #expect(Self.refusal(&replay, #"{"op":"withdraw","user":"b","frac":"0.5"}"#)?.code == "bands.withdraw_loan_collateral")
        let oversized = Self.refusal(&replay, #"{"op":"create_loan","user":"c","collateral":"1","debt":"1000000","n":10}"#)
        #expect(oversized?.code == "bands.debt_too_high")
        #expect(oversized?.message.contains("at most") == true)
        _ = try replay.apply(BandsOperation.decode(#"{"op":"oracle","price":"1800","ts":86400000}"#))
        let outcome = try replay.apply(BandsOperation.decode(#"{"op":"liquidate","user":"b","frac":"1"}"#))
        guard case .liquidation(let result) = outcome else { Issue.record("no liquidation outcome"); return }
        #expect(result.remainingDebt == 0)
        #expect(result.debtRepaid > 2000)
        #expect(!replay.stateLine(outcome: outcome).contains(#""loans""#))
    }
}
