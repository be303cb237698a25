@testable import LeewayCore
import HeapModule
import Testing

/// The fast paths of a crash tick (many accounts triggered by one mark) give exactly what the
/// simple paths give: the bulk pop of a trigger heap, the bitset sort of triggered accounts, the
/// reused event buffer of `apply(_:into:)`, and the whole tick against the every-holder scan.
@Suite("Crash tick fast paths")
struct CrashTickPathTests {
    /// A trigger index of `count` accounts with random band edges around 10,000, a third of them
    /// with a stale entry as well; returns it with the current versions.
    static func randomIndex(count: Int, seed: UInt64) -> (TriggerIndex, [UInt32]) {
        var random = SplitMix64(seed: seed)
        var index = TriggerIndex()
        var versions = [UInt32](repeating: 1, count: count)
        for account in 0..<count {
            if random.next() % 3 == 0 {
                index.insert(account: account, version: 0, lowerRaw: Int64(random.next() % 2_000 + 9_000), upperRaw: Int64(random.next() % 2_000 + 10_000))
            }
            index.insert(account: account, version: versions[account],
                         lowerRaw: Int64(random.next() % 2_000 + 8_000), upperRaw: Int64(random.next() % 2_000 + 10_000))
        }
        versions[0] = 2  // account 0's entries are all stale
        return (index, versions)
    }

    @Test("popping a heap in bulk removes and reports exactly the entries popping one by one would",
          arguments: [Int64(9_999), 9_990, 9_500, 9_000, 8_500, 7_000, 10_001, 10_500, 11_000, 12_500])
    func bulkPopMatchesFilter(priceRaw: Int64) {
        let (original, versions) = Self.randomIndex(count: 3_000, seed: UInt64(priceRaw))
        var index = original
        var triggered: [Int] = []
        let removed = index.popTriggered(byPriceRaw: priceRaw, versions: versions, into: &triggered)

        let lower = original.lowerEdges.unordered, upper = original.upperEdges.unordered
        let expectedRemoved = lower.filter { $0.priceRaw > priceRaw } + upper.filter { $0.priceRaw < priceRaw }
        let expectedAccounts = expectedRemoved.filter { versions[Int($0.account)] == $0.version }.map { Int($0.account) }
        #expect(removed == expectedRemoved.count)
        #expect(triggered.sorted() == expectedAccounts.sorted())
        #expect(index.lowerEdges.unordered.sorted() == lower.filter { $0.priceRaw <= priceRaw }.sorted())
        #expect(index.upperEdges.unordered.sorted() == upper.filter { $0.priceRaw >= priceRaw }.sorted())
        // The heaps still pop in order afterwards.
        var rest = index
        var previous = Int64.max
        while let top = rest.lowerEdges.popMax() {
            #expect(top.priceRaw <= previous)
            previous = top.priceRaw
        }
    }

    @Test("sorting triggered accounts gives them ascending without repeats, few or many",
          arguments: [(count: 10, accounts: 1_000), (count: 100, accounts: 1_000), (count: 5_000, accounts: 1_000), (count: 70, accounts: 100_000)])
    func sortAccountsAscendingDistinct(count: Int, accounts: Int) {
        var random = SplitMix64(seed: UInt64(count * 31 + accounts))
        var triggered = (0..<count).map { _ in Int(random.next() % UInt64(accounts)) }
        let expected = Array(Set(triggered)).sorted()
        Engine.sortAccounts(&triggered, accountCount: accounts)
        #expect(triggered == expected)
    }

    /// 1,500 accounts long BTC at leverage 5–45 (some with a second, short ETH position), and a
    /// small insurance fund so that the crash sends some deficits to ADL.
    static func venue(markEvaluation: Engine.MarkEvaluation) -> Harness {
        var harness = Harness.standard(policy: #"{"type":"policy","mode":"soft","grace_ms":600000}"#, markEvaluation: markEvaluation)
        harness.run("""
        {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.01"}
        {"type":"insurance_deposit","amount":"2000","ts":1700000000000}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"mark","market":"ETH-PERP","price":"2000"}
        """)
        var lines: [String] = []
        for account in 0..<1_500 {
            let leverage = 5 + account % 41
            lines.append(#"{"type":"deposit","account":"t\#(account)","asset":"USDC","amount":"\#(10_000 / leverage)"}"#)
            lines.append(#"{"type":"fill","account":"t\#(account)","market":"BTC-PERP","size":"1","price":"10000"}"#)
            if account % 3 == 0 {
                lines.append(#"{"type":"fill","account":"t\#(account)","market":"ETH-PERP","size":"-0.5","price":"2000"}"#)
            }
        }
        harness.run(lines.joined(separator: "\n"))
        return harness
    }

    @Test("a crash that triggers most accounts gives the every-holder scan's events and digest")
    func crashMatchesFullScan() {
        var indexed = Self.venue(markEvaluation: .triggerBands)
        var scanned = Self.venue(markEvaluation: .everyHolder)
        #expect(indexed.engine.digest == scanned.engine.digest)
        let crash = """
        {"type":"mark","market":"BTC-PERP","price":"9000","ts":1700000001000}
        {"type":"mark","market":"ETH-PERP","price":"2300","ts":1700000002000}
        {"type":"time","ts":1700000700000}
        """
        let indexedEvents = indexed.run(crash)
        let scannedEvents = scanned.run(crash)
        #expect(indexedEvents == scannedEvents)
        #expect(indexed.engine.digest == scanned.engine.digest)
        // The crash must reach the bulk pop and the bitset sort for the comparison to mean anything.
        #expect(indexedEvents.count { $0.type == "liquidation_fill" } > 500)
        #expect(indexedEvents.contains { $0.type == "bankrupt" })
    }

    @Test("apply(_:into:) appends a command's events to the caller's buffer, the same as apply(_:)")
    func applyIntoAppends() throws {
        var returning = Self.venue(markEvaluation: .triggerBands)
        var buffering = returning
        let commands = [
            CommandEnvelope(command: .mark(market: "BTC-PERP", price: d("9000")), timestampMs: 1_700_000_001_000),
            CommandEnvelope(command: .deposit(account: "t1", asset: "USDC", amount: d("-1"), toReserve: false), timestampMs: 1_700_000_001_000),
            CommandEnvelope(command: .time, timestampMs: 1_700_000_700_000),
        ]
        var expected: [Event] = []
        for command in commands { expected += returning.engine.apply(command) }
        var buffer: [Event] = []
        var collected: [Event] = []
        for command in commands {
            let before = buffer.count
            buffering.engine.apply(command, into: &buffer)
            #expect(buffer.count >= before)
            collected += buffer
            buffer.removeAll(keepingCapacity: true)
        }
        #expect(collected == expected)
        #expect(collected.contains { $0.type == "rejected" })
        #expect(buffering.engine.digest == returning.engine.digest)
        // Events already in the buffer are kept: the command's are appended after them.
        var again = Self.venue(markEvaluation: .triggerBands)
        var prefilled = [expected[0]]
        again.engine.apply(commands[0], into: &prefilled)
        #expect(prefilled.first == expected[0])
        #expect(Array(prefilled.dropFirst()) == Array(expected.prefix(prefilled.count - 1)))
    }
}
