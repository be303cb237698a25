@testable import LeewayCore
import Testing

/// `Engine.accountReports`: the riskiest accounts (or the first by id), ranked without building a
/// report for every account, must be exactly the head of the full list sorted by the same rule.
@Suite("Account lists: the riskiest first")
struct AccountListTests {
    /// 60 accounts of random leverage and side on BTC-PERP, then a 6 % fall: some warned, some
    /// called, some fine, a few with no position.
    static func venue() -> Engine {
        var harness = Harness.standard(policy: #"{"type":"policy","mode":"soft","grace_ms":3600000}"#)
        var random = SplitMix64(seed: 42)
        var lines = [#"{"type":"mark","market":"BTC-PERP","price":"10000","ts":1700000000000}"#]
        for account in 0..<60 {
            lines.append(#"{"type":"deposit","account":"a\#(account)","asset":"USDC","amount":"\#(200 + random.next() % 2_000)"}"#)
            guard account % 7 != 0 else { continue }
            let size = Double(1 + random.next() % 18) / 10
            lines.append(#"{"type":"fill","account":"a\#(account)","market":"BTC-PERP","size":"\#(account % 3 == 0 ? "-" : "")\#(size)","price":"10000"}"#)
        }
        lines.append(#"{"type":"mark","market":"BTC-PERP","price":"9400","ts":1700000060000}"#)
        harness.run(lines.joined(separator: "\n"))
        return harness.engine
    }

    /// The rule, on full reports: no equity left with a requirement first, then MM / equity from
    /// the highest, then id.
    static func reference(_ engine: Engine, phase: LiquidationPhase?) -> [String] {
        let reports = engine.accountIDs.compactMap { engine.marginReport(account: $0) }.filter { phase == nil || $0.phase == phase }
        func key(_ report: MarginReport) -> (Int, Int64) {
            if !report.equity.isPositive { return (report.maintenanceMargin.isPositive ? 1 : 0, 0) }
            return (0, report.marginRatio?.raw ?? 0)
        }
        return reports.sorted { key($0) != key($1) ? key($0) > key($1) : $0.account < $1.account }.map(\.account)
    }

    @Test("by margin ratio: the head of the fully sorted list, for any limit and phase",
          arguments: [1, 5, 17, 60, 500])
    func riskiestFirst(limit: Int) {
        let engine = Self.venue()
        let phases = Set(engine.state.accounts.map(\.phase))
        #expect(phases.count >= 2, "the venue has accounts in several phases: \(phases)")
        for phase in [nil] + LiquidationPhase.allCases.map(Optional.some) {
            let listed = engine.accountReports(phase: phase, order: .marginRatio, limit: limit).map(\.account)
            #expect(listed == Array(Self.reference(engine, phase: phase).prefix(limit)), "phase \(String(describing: phase))")
        }
    }

    @Test("by id, and among given ids (unknown ones left out)")
    func byIDAndAmong() {
        let engine = Self.venue()
        #expect(engine.accountReports(phase: nil, order: .id, limit: 5).map(\.account) == Array(engine.accountIDs.sorted().prefix(5)))
        let among = ["a7", "a3", "nobody", "a12", "a50"]
        let listed = engine.accountReports(phase: nil, order: .marginRatio, limit: 10, among: among).map(\.account)
        #expect(Set(listed) == ["a7", "a3", "a12", "a50"])
        #expect(listed == Self.reference(engine, phase: nil).filter(Set(among).contains))
        #expect(engine.accountReports(phase: nil, order: .id, limit: 0).isEmpty)
    }

    @Test("an account with positions and no equity left ranks above every ratio; one with nothing held below")
    func underwaterFirst() {
        typealias Key = Engine.RankedAccount.Key
        #expect(Key(underwater: false, ratio: .max) < Key(underwater: true, ratio: 0))
        #expect(Key(underwater: false, ratio: 0) < Key(underwater: false, ratio: 1))
        let a = Engine.RankedAccount(key: Key(underwater: false, ratio: 5), id: "a", index: 0)
        let b = Engine.RankedAccount(key: Key(underwater: false, ratio: 5), id: "b", index: 1)
        #expect(b < a, "equal keys: the earlier id ranks higher")
    }
}
