import HeapModule
@testable import LeewayCore
import Testing

/// Option books and portfolio accounts have trigger bands of their own (`fileNonlinearBands`): a
/// mark of the underlying evaluates only the books whose slack its move, or the time since their
/// options were valued, could use up. The bands must never change a decision (the every-holder
/// reference path gives the same events and digest) and must keep a quiet tick quiet.
@Suite("Trigger bands of option books")
struct OptionTriggerBandTests {
    static let start: Int64 = 1_700_000_000_000
    static let day: Int64 = 86_400_000

    /// Set-up: USDC, BTC-PERP at 10,000 (toxic close on when `toxic`), eight options (calls and
    /// puts at 9,000 and 11,000, expiring in 2 and 30 days, one with contract size 0.1) at 40–90 %.
    static func setup(toxic: Bool) -> String {
        var lines = [
            #"{"type":"asset","asset":"USDC","price":"1","weight":"1","ts":\#(start)}"#,
            #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","expected_slippage":"0.002"}"#,
            #"{"type":"policy","mode":"soft","grace_ms":60000,"cooldown_ms":10000,"call_level":"1.2"\#(toxic ? #","toxic_close":true"# : "")}"#,
            #"{"type":"mark","market":"BTC-PERP","price":"10000"}"#,
        ]
        for (offset, option) in optionIDs.enumerated() {
            let kind = option.contains("-C-") ? "call" : "put"
            let strike = option.contains("9000") ? "9000" : "11000"
            let expiry = start + (option.hasSuffix("S") ? 2 * day : 30 * day)
            let contract = offset == 3 ? #","contract_size":"0.1""# : ""
            lines.append(#"{"type":"option","option":"\#(option)","market":"BTC-PERP","kind":"\#(kind)","strike":"\#(strike)","expiry":\#(expiry)\#(contract)}"#)
            lines.append(#"{"type":"option_vol","option":"\#(option)","vol":"0.\#(4 + offset % 6)"}"#)
        }
        return lines.joined(separator: "\n")
    }

    static let optionIDs = ["BTC-C-9000-S", "BTC-P-9000-S", "BTC-C-11000-S", "BTC-P-11000-S",
                            "BTC-C-9000-L", "BTC-P-9000-L", "BTC-C-11000-L", "BTC-P-11000-L"]

    /// A random venue of option books and a random path: marks that drift and jump, time steps from
    /// a second to hours (past the short expiry), vol changes, deposits, fills.
    static func script(seed: UInt64, toxic: Bool) -> String {
        var random = SplitMix64(seed: seed)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        var lines = [setup(toxic: toxic)]
        for account in 0..<8 {
            let id = "t\(account)"
            lines.append(#"{"type":"deposit","account":"\#(id)","asset":"USDC","amount":"\#(800 + pick(6_000))"}"#)
            if pick(2) == 0 { lines.append(#"{"type":"margin_model","account":"\#(id)","model":"portfolio"}"#) }
            for _ in 0..<(1 + pick(4)) {
                let option = optionIDs[pick(optionIDs.count)]
                let size = (pick(2) == 0 ? "-" : "") + "\(1 + pick(3))"
                lines.append(#"{"type":"fill","account":"\#(id)","market":"\#(option)","size":"\#(size)","price":"\#(100 + pick(900))"}"#)
            }
            if pick(2) == 0 {
                lines.append(#"{"type":"fill","account":"\#(id)","market":"BTC-PERP","size":"\#(pick(2) == 0 ? "-" : "")0.\#(1 + pick(9))","price":"10000"}"#)
            }
        }
        var price = 10_000.0, clock = start + 1_000
        for step in 0..<160 {
            clock += [1_000, 30_000, 600_000, 3_600_000 * 3][pick(4)]
            let jump = pick(10) == 0 ? (Double(pick(2_000)) - 1_000) / 10_000 : (Double(pick(200)) - 100) / 100_000
            price = Swift.max(price * (1 + jump), 1_000)
            let mark = Fixed(raw: Int64(price * 100) * 1_000_000)
            lines.append(#"{"type":"mark","market":"BTC-PERP","price":"\#(mark)","ts":\#(clock)}"#)
            switch pick(12) {
            case 0: lines.append(#"{"type":"option_vol","option":"\#(optionIDs[4 + pick(4)])","vol":"0.\#(3 + pick(7))"}"#)
            case 1: lines.append(#"{"type":"deposit","account":"t\#(pick(8))","asset":"USDC","amount":"\#(50 + pick(500))"}"#)
            case 2: lines.append(#"{"type":"fill","account":"t\#(pick(8))","market":"\#(optionIDs[4 + pick(4)])","size":"-1","price":"\#(100 + pick(900))"}"#)
            default: if step % 40 == 0 { lines.append(#"{"type":"funding","market":"BTC-PERP","rate":"0.0001"}"#) }
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("option books on bands decide exactly as when every holder is evaluated at every mark", arguments: Array(UInt64(1)...12))
    func bandsNeverChangeADecision(seed: UInt64) {
        let script = Self.script(seed: seed, toxic: seed % 3 == 0)
        var bands = Harness(markEvaluation: .triggerBands), everyone = Harness(markEvaluation: .everyHolder)
        let fast = bands.run(script), reference = everyone.run(script)
        #expect(fast == reference)
        #expect(bands.engine.digest == everyone.engine.digest)
        // The bands must also save work, or they prove nothing.
        #expect(bands.engine.evaluationCount < everyone.engine.evaluationCount)
    }

    @Test("the random paths reach calls, steps and settlements, so the agreement above covers them")
    func pathsExerciseTheLifecycle() {
        var seen = Set<String>()
        for seed in UInt64(1)...12 {
            var harness = Harness(markEvaluation: .everyHolder)
            seen.formUnion(harness.run(Self.script(seed: seed, toxic: seed % 3 == 0)).types)
        }
        #expect(seen.isSuperset(of: ["margin_call", "liquidation_fill", "option_settled", "cured"]))
    }

    /// 200 option books funded with `deposit` USDC (half on the portfolio model): each short 2
    /// options expiring in 30 days and long half a BTC.
    static func quietVenue(markEvaluation: Engine.MarkEvaluation, deposit: Int = 50_000) -> Harness {
        var harness = Harness(markEvaluation: markEvaluation)
        var lines = [setup(toxic: false)]
        for account in 0..<200 {
            lines.append(#"{"type":"deposit","account":"q\#(account)","asset":"USDC","amount":"\#(deposit)"}"#)
            if account % 2 == 0 { lines.append(#"{"type":"margin_model","account":"q\#(account)","model":"portfolio"}"#) }
            lines.append(#"{"type":"fill","account":"q\#(account)","market":"\#(optionIDs[4 + account % 4])","size":"-2","price":"500"}"#)
            lines.append(#"{"type":"fill","account":"q\#(account)","market":"BTC-PERP","size":"0.5","price":"10000"}"#)
        }
        harness.run(lines.joined(separator: "\n"))
        return harness
    }

    @Test("a quiet tick of the underlying evaluates no option book; the every-holder path evaluates all of them")
    func quietTickIsQuiet() {
        var bands = Self.quietVenue(markEvaluation: .triggerBands), everyone = Self.quietVenue(markEvaluation: .everyHolder)
        let before = (bands.engine.evaluationCount, everyone.engine.evaluationCount)
        var marks: [String] = []
        for tick in 1...100 {
            let price = tick % 2 == 0 ? "10001" : "9999"
            marks.append(#"{"type":"mark","market":"BTC-PERP","price":"\#(price)","ts":\#(Self.start + 10_000 + Int64(tick) * 1_000)}"#)
        }
        let script = marks.joined(separator: "\n")
        #expect(bands.run(script).isEmpty && everyone.run(script).isEmpty)
        #expect(bands.engine.evaluationCount == before.0)
        #expect(everyone.engine.evaluationCount - before.1 == 100 * 200)
    }

    /// The edges of `heap` whose account's bands are current (stale entries wait for compaction).
    static func live(_ heap: Heap<TriggerIndex.Entry>, _ engine: Engine) -> [Int64] {
        heap.unordered.filter { engine.index.triggerVersions[Int($0.account)] == $0.version }.map(\.priceRaw)
    }

    static func nearestClockEdge(_ engine: Engine) -> Int64? { live(engine.index.clockTriggers[0].upperEdges, engine).min() }

    @Test("a mark just past the nearest clock edge, or just outside the nearest price edge, evaluates a book; at the edge none")
    func edgesAreWhereTheyAreFiled() throws {
        var bands = Self.quietVenue(markEvaluation: .triggerBands, deposit: 20_000)
        let mark = try #require(bands.engine.state.markets[0].markPrice)
        let clockEdge = try #require(Self.nearestClockEdge(bands.engine))
        let lowerEdge = try #require(Self.live(bands.engine.index.triggers[0].lowerEdges, bands.engine).max())
        let now = bands.engine.state.clockMs
        // Useful bands: 20,000 USDC behind two short options and half a BTC leave days and percents,
        // and the nearest edge comes before the options expire (30 days), so the test below is of time.
        #expect(clockEdge - now > Self.day && clockEdge - now < 29 * Self.day)
        #expect(lowerEdge < mark.raw - mark.raw / 100 && lowerEdge > 0)
        func evaluations(_ line: String) -> Int {
            let before = bands.engine.evaluationCount
            bands.run(line)
            return bands.engine.evaluationCount - before
        }
        #expect(evaluations(#"{"type":"mark","market":"BTC-PERP","price":"\#(Fixed(raw: lowerEdge))","ts":\#(now)}"#) == 0)
        #expect(evaluations(#"{"type":"mark","market":"BTC-PERP","price":"\#(Fixed(raw: lowerEdge - 1))","ts":\#(now)}"#) > 0)
        #expect(evaluations(#"{"type":"mark","market":"BTC-PERP","price":"\#(mark)","ts":\#(now)}"#) == 0)
        let nextClockEdge = try #require(Self.nearestClockEdge(bands.engine))
        #expect(evaluations(#"{"type":"mark","market":"BTC-PERP","price":"\#(mark)","ts":\#(nextClockEdge)}"#) == 0)
        #expect(evaluations(#"{"type":"mark","market":"BTC-PERP","price":"\#(mark)","ts":\#(nextClockEdge + 1)}"#) > 0)
    }
}
