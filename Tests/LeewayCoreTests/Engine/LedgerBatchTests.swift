@testable import LeewayCore
import Testing

/// `LedgerBatch`'s fan-in (many traders settling with one venue account, a funding round) commits
/// exactly what the same legs as ordinary transfers commit, and refuses as a whole.
@Suite("Ledger batch fan-in")
struct LedgerBatchTests {
    /// Three funded accounts and the venue balances a batch can post to.
    static func engine() -> Engine {
        var harness = Harness.standard()
        harness.run("""
        {"type":"deposit","account":"a","asset":"USDC","amount":"1000"}
        {"type":"deposit","account":"b","asset":"USDC","amount":"2000"}
        {"type":"deposit","account":"c","asset":"USDC","amount":"3000"}
        """)
        return harness.engine
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// (trader, amount in raw 10⁻⁸ units) in collect order.
        var legs: [(Int, Int64)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ascending traders, payments and receipts", legs: [(0, 150_000_000), (1, -70_000_000), (2, 5)]),
        Case(name: "a trader twice (the generic path)", legs: [(1, 100_000_000), (0, 1), (1, 100_000_000)]),
        Case(name: "descending traders (the generic path)", legs: [(2, 3), (1, 2), (0, 1)]),
        Case(name: "zero amounts dropped", legs: [(0, 0), (2, 9)]),
    ]

    @Test("a fan-in commits the same balances as the same legs as transfers", arguments: cases)
    func fanInMatchesTransfers(_ example: Case) throws {
        var viaFanIn = Self.engine()
        var viaTransfers = viaFanIn
        var fanIn = LedgerBatch(fanInto: .clearing(market: 0), asset: 0, expected: example.legs.count)
        var transfers = LedgerBatch()
        for (trader, raw) in example.legs {
            fanIn.collect(Fixed(raw: raw), fromTrader: trader)
            transfers.move(Fixed(raw: raw), of: 0, from: .trader(trader), to: .clearing(market: 0))
        }
        try viaFanIn.commit(fanIn)
        try viaTransfers.commit(transfers)
        #expect(viaFanIn.state.accounts == viaTransfers.state.accounts)
        #expect(viaFanIn.digest == viaTransfers.digest)
        #expect(viaFanIn.index.columns.disagreement(with: viaFanIn.state.accounts) == nil)
        #expect(viaFanIn.ledgerSum(asset: 0) == 0)
        #expect(viaFanIn.state.clearing[0].raw == Int128(example.legs.reduce(0) { $0 + $1.1 }))
    }

    @Test("a fan-in leg that would take a balance out of range refuses the whole batch, naming that trader")
    func fanInOverflowChangesNothing() throws {
        var engine = Self.engine()
        let before = engine.digest
        var batch = LedgerBatch(fanInto: .clearing(market: 0), asset: 0, expected: 2)
        batch.collect(Fixed(raw: 1), fromTrader: 0)
        batch.collect(Fixed(raw: -(Int64.max - 1)), fromTrader: 1)  // b would receive past the range
        #expect(throws: LedgerOverflow(account: .trader(1), asset: 0)) { try engine.commit(batch) }
        #expect(engine.digest == before)
    }
}
