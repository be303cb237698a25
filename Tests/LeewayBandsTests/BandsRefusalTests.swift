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
        } catch let error as BandsError {
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
