@testable import LeewayCore
import LeewayWire
import Testing

/// The column mirror of the accounts (`MarginColumns`) and the column re-margin kernel that reads it.
@Suite("Margin columns and the column re-margin")
struct MarginColumnsTests {
    /// The engine restored from `state` with every mark moved by `factor` and nothing evaluated:
    /// accounts may now cross lines, which the re-margin must report.
    static func shocked(_ state: EngineState, by factor: Double) -> Engine {
        var moved = state
        for market in moved.markets.indices {
            guard let mark = moved.markets[market].markPrice else { continue }
            moved.markets[market].markPrice = Fixed(raw: Int64(Double(mark.raw) * factor))
        }
        return Engine(state: moved)
    }

    @Test("the columns mirror every account's balances, positions and screen flag after every command",
          arguments: EngineInvariantTests.seeds)
    func columnsMirrorAccounts(seed: UInt64) {
        EngineInvariantTests.afterEveryCommand(seed: seed) { harness, line in
            #expect(harness.engine.index.columns.disagreement(with: harness.engine.state.accounts) == nil, "after \(line)")
        }
    }

    @Test("the column re-margin equals the per-account reference on venues shocked by up to 25 %",
          arguments: EngineInvariantTests.seeds)
    func columnKernelMatchesReference(seed: UInt64) {
        var needingAction = 0, belowMaintenance = 0, cleared = 0
        var harness = Harness()
        harness.run(RandomCommandStream.setup)
        for (number, line) in RandomCommandStream.lines(seed: seed, count: 600).enumerated() {
            harness.run(line)
            guard number % 20 == 0 else { continue }
            for factor in [0.75, 0.9, 0.97, 1.0, 1.03, 1.1, 1.25] {
                let engine = Self.shocked(harness.engine.state, by: factor)
                let columns = engine.remarginAll(), reference = engine.remarginAllByAccount()
                #expect(columns == reference, "seed \(seed), after \(line), marks × \(factor)")
                needingAction += reference.accountsNeedingAction
                belowMaintenance += reference.accountsBelowMaintenance
                cleared += columns.accountsEvaluated - columns.accountsByReference
            }
        }
        // The comparison must have seen accounts that need action, not only quiet venues.
        #expect(needingAction > 0)
        #expect(belowMaintenance > 0)
        // ... and the bounds must clear accounts themselves, not hand every one to the reference path.
        #expect(cleared > 0)
    }

    @Test("disjoint account ranges add up to the whole re-margin")
    func rangesAddUp() {
        var harness = Harness()
        harness.run(RandomCommandStream.setup)
        for line in RandomCommandStream.lines(seed: 7, count: 400) { harness.run(line) }
        let engine = Self.shocked(harness.engine.state, by: 0.9)
        let count = engine.state.accounts.count
        for split in 0...count {
            let low = engine.remarginAll(accounts: 0..<split), high = engine.remarginAll(accounts: split..<count)
            var sum = low
            sum.add(high)
            #expect(sum == engine.remarginAll(), "split at \(split)")
        }
    }

    /// Accounts whose equity sits a few units of 10⁻⁸ either side of the largest line, with sizes and
    /// marks that make every term round, on a tier floor and off it: the bounds must never clear
    /// an account the exact arithmetic would act on.
    @Test("at the largest line, to the last unit, the column re-margin agrees with the reference",
          arguments: ["0.33333333", "1.00000007", "9.99999999", "2000.00000001"])
    func exactAtTheLine(size: String) throws {
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"X-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"1000","imr":"0.04","mmr":"0.03"}],"liquidation_fee":"0.005"}
        {"type":"policy","mode":"soft","grace_ms":600000,"call_level":"1.3"}
        {"type":"deposit","account":"seed","asset":"USDC","amount":"100000000","ts":1700000000000}
        {"type":"mark","market":"X-PERP","price":"3.00000001"}
        """)
        let line = RemarginScreen.largestLine(of: harness.engine.state.globalPolicy)
        var accounts: [String] = []
        for offset in -3...3 {
            let name = "at\(offset + 3)"
            accounts.append(name)
            harness.run(#"{"type":"deposit","account":"\#(name)","asset":"USDC","amount":"1000000"}"#)
            harness.run(#"{"type":"fill","account":"\#(name)","market":"X-PERP","size":"\#(size)","price":"3.00000001"}"#)
        }
        // Move the mark, then give each account exactly the collateral that puts it `offset` units from the line.
        var state = harness.engine.state
        let market = 0
        state.markets[market].markPrice = try Fixed(parsing: "2.71828183")
        let probe = Engine(state: state)
        for (offset, name) in zip(-3...3, accounts) {
            let index = try #require(probe.accountIDs.firstIndex(of: name))
            let risk = try probe.computeRisk(ofAccount: index).risk
            // equity = k × MM exactly when collateral = ⌈k × MM / 10⁸⌉ − PnL; then shift by the offset.
            let target = Int128.divide(Int128(risk.maintenanceMargin.raw) * Int128(line), by: Int128(Fixed.scale), rounding: .up)
            let pnl = Int128(risk.equity.raw) - Int128(state.accounts[index].balance(ofAsset: 0).raw)
            state.accounts[index].setBalance(Fixed(raw: Int64(target - pnl) + Int64(offset)), ofAsset: 0)
        }
        let engine = Engine(state: state)
        #expect(engine.remarginAll() == engine.remarginAllByAccount())
        #expect(engine.remarginAllByAccount().accountsNeedingAction >= 1)  // the ones below the line are warned
    }

    /// Four markets, so that an account's run (room for one) has to move as it opens positions.
    static let fourMarkets = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1"}
    {"type":"market","market":"A-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"B-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"C-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"D-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.1","mmr":"0.05"}],"liquidation_fee":"0.005"}
    {"type":"policy","mode":"soft","grace_ms":600000}
    {"type":"mark","market":"A-PERP","price":"100","ts":1700000000000}
    {"type":"mark","market":"B-PERP","price":"200"}
    {"type":"mark","market":"C-PERP","price":"300"}
    {"type":"mark","market":"D-PERP","price":"400"}
    """

    @Test("an account's run moves when it opens more positions than it has room for, and funding still finds every holder")
    func runsMoveAndFundingFindsHolders() throws {
        var harness = Harness()
        harness.run(Self.fourMarkets)
        harness.run("""
        {"type":"deposit","account":"early","asset":"USDC","amount":"10000"}
        {"type":"deposit","account":"late","asset":"USDC","amount":"10000"}
        {"type":"fill","account":"early","market":"A-PERP","size":"1","price":"100"}
        {"type":"fill","account":"early","market":"B-PERP","size":"-1","price":"200"}
        {"type":"fill","account":"late","market":"C-PERP","size":"2","price":"300"}
        {"type":"fill","account":"early","market":"C-PERP","size":"1","price":"300"}
        {"type":"fill","account":"early","market":"D-PERP","size":"-3","price":"400"}
        {"type":"fill","account":"early","market":"B-PERP","size":"1","price":"200"}
        """)
        let columns = harness.engine.index.columns
        #expect(columns.disagreement(with: harness.engine.state.accounts) == nil)
        #expect(columns.runs[0].count == 3 && columns.runs[0].capacity == 4)  // early moved twice: 1 → 2 → 4
        #expect(columns.holes == 3)
        #expect(columns.holders(ofMarket: 2).map(\.account) == [0, 1])  // C-PERP: early, then late, in account order
        #expect(columns.holders(ofMarket: 1).isEmpty)  // B-PERP was closed
        // Funding of C-PERP at 1 %: early (size 1) pays 3, late (size 2) pays 6, at the mark 300.
        let before = harness.engine.state.accounts.map { $0.balance(ofAsset: 0) }
        let events = harness.run(#"{"type":"funding","market":"C-PERP","rate":"0.01"}"#)
        #expect(!events.contains { $0.kind.typeName == "rejected" })
        let after = harness.engine.state.accounts.map { $0.balance(ofAsset: 0) }
        #expect(after[0] == Fixed(raw: before[0].raw - 3 * Fixed.scale))
        #expect(after[1] == Fixed(raw: before[1].raw - 6 * Fixed.scale))
        #expect(harness.engine.index.columns.disagreement(with: harness.engine.state.accounts) == nil)
        #expect(harness.engine.remarginAll() == harness.engine.remarginAllByAccount())
    }

    @Test("option holders and portfolio-margined accounts take the reference path and agree with it")
    func optionsTakeTheReferencePath() throws {
        var harness = Harness()
        harness.run("""
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005"}
        {"type":"policy","mode":"soft","grace_ms":600000}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"5000","ts":1700000000000}
        {"type":"deposit","account":"carol","asset":"USDC","amount":"5000"}
        {"type":"deposit","account":"dan","asset":"USDC","amount":"5000"}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"option","option":"BTC-P-10000","market":"BTC-PERP","kind":"put","strike":"10000","expiry":1702592000000,"contract_size":"1"}
        {"type":"option_vol","option":"BTC-P-10000","vol":"0.6"}
        {"type":"margin_model","account":"bob","model":"portfolio"}
        {"type":"fill","account":"bob","market":"BTC-P-10000","size":"-2","price":"690"}
        {"type":"fill","account":"carol","market":"BTC-P-10000","size":"-1","price":"690"}
        {"type":"fill","account":"dan","market":"BTC-PERP","size":"2","price":"10000"}
        """)
        #expect(!harness.engine.index.columns.runs[0].screenable)  // bob: portfolio model
        #expect(harness.engine.index.columns.runs[1].screenable)  // carol: standard, but holds an option (skipped per slot)
        for factor in [0.6, 0.8, 0.95, 1.0, 1.2] {
            let engine = Self.shocked(harness.engine.state, by: factor)
            #expect(engine.remarginAll() == engine.remarginAllByAccount(), "marks × \(factor)")
        }
        #expect(Self.shocked(harness.engine.state, by: 0.6).remarginAllByAccount().accountsNeedingAction >= 1)
    }

    @Test("runs grow geometrically: holes stay fewer than the live slots, and a rebuild lays runs out in account order")
    func holesStayBounded() {
        var columns = MarginColumns()
        var accounts: [Account] = []
        for number in 0..<1_000 {
            columns.appendAccount()
            accounts.append(Account(id: "a\(number)"))
        }
        // Every account grows one position at a time to 1, 2, ... 40 positions, in interleaved order.
        for count in 1...40 {
            for number in Array(stride(from: count % 2, to: 1_000, by: 2)) + Array(stride(from: 1 - count % 2, to: 1_000, by: 2)) {
                accounts[number].positions = (0..<count).map { Position(market: $0, size: Fixed(raw: Int64(number + 1)), openNotional: Fixed(raw: 7)) }
                columns.setPositions(of: accounts[number], account: number)
            }
            let live = columns.runs.reduce(0) { $0 + Int($1.capacity) }
            #expect(columns.holes < live, "after growing to \(count)")
            #expect(columns.holes + live == columns.slots.count)
        }
        #expect(columns.disagreement(with: accounts) == nil)
        let rebuilt = MarginColumns(accounts: accounts, assetCount: 1)
        #expect(rebuilt.holes == 0)
        #expect(rebuilt.disagreement(with: accounts) == nil)
        #expect(zip(rebuilt.runs, rebuilt.runs.dropFirst()).allSatisfy { $0.start < $1.start })
    }
}
