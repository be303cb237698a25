import Foundation
@testable import LeewayCore
import LeewayJournal
import LeewayWire
import Testing

/// The state has one description, its `Codable` conformances; the digest and the snapshot are both
/// produced from it. These tests fail when a stored field is left out of it.
@Suite("One description of the state: digest and snapshot")
struct StateDescriptionTests {
    /// A state in which every optional field is set: marks, volatility samples, a margin call, a
    /// per-market policy with every part-2 field, a reserve with an auto top-up instruction, an
    /// oracle guard with a held mark, an idempotency id, a pending retry, an option that has settled.
    static func populatedState() -> EngineState {
        var engine = Engine()
        for line in """
        {"type":"asset","asset":"USDC","price":"1","weight":"1"}
        {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"}],"liquidation_fee":"0.005","max_mark_age_ms":600000,"max_mark_move":"0.5","confirm_ms":60000}
        {"type":"policy","market":"BTC-PERP","grace_ms":600000,"liquidation_step_fraction":"0.5","pre_liquidation_fee":"0.001","dynamic_margin":{"reference_volatility":"0.04","max_multiplier":"2"}}
        {"type":"deposit","account":"alice","asset":"USDC","amount":"1000","ts":1700000000000}
        {"type":"deposit","account":"bob","asset":"USDC","amount":"50","to":"reserve"}
        {"type":"protect","account":"bob","auto_topup":{"asset":"USDC","max_amount":"40"}}
        {"type":"mark","market":"BTC-PERP","price":"10000"}
        {"type":"fill","account":"alice","market":"BTC-PERP","size":"1","price":"10000","id":"f-1"}
        {"type":"option","option":"BTC-C","market":"BTC-PERP","kind":"call","strike":"9000","expiry":1700000061000}
        {"type":"option_vol","option":"BTC-C","vol":"0.8"}
        {"type":"fill","account":"bob","market":"BTC-C","size":"1","price":"1"}
        {"type":"portfolio_params","market":"BTC-PERP","scan_range":"0.2","correlation":"0.7"}
        {"type":"margin_model","account":"bob","model":"portfolio"}
        {"type":"mark","market":"BTC-PERP","price":"9080","ts":1700000060000,"id":"m-1"}
        {"type":"mark","market":"BTC-PERP","price":"30000","ts":1700000061000}
        """.split(separator: "\n").enumerated() {
            _ = CommandStream.apply(line: line.1, lineNumber: line.0 + 1, to: &engine)
        }
        var state = engine.state
        state.pendingRetries[0] = AlertCode.riskOverflow.rawValue
        return state
    }

    /// Every stored property of `value` (by reflection) must be a key of its encoding, except those
    /// `derived` from the encoded ones (rebuilt when the state is read).
    static func expectEveryStoredFieldEncoded<T: StateDescribable>(_ value: T, derived: Set<String> = []) throws {
        let stored = Set(Mirror(reflecting: value).children.compactMap(\.label)).subtracting(derived)
        let encoded = Set(CanonicalHashVisitor.describedKeys(of: value))
        #expect(stored.subtracting(encoded).isEmpty, "\(T.self) stores \(stored.subtracting(encoded).sorted()) but does not encode them")
    }

    @Test("every stored field of the state and its parts is in the description the digest hashes")
    func digestCoversEveryStoredField() throws {
        let state = Self.populatedState()
        try Self.expectEveryStoredFieldEncoded(state)
        try Self.expectEveryStoredFieldEncoded(try #require(state.accounts.first { $0.autoTopup != nil }))
        try Self.expectEveryStoredFieldEncoded(try #require(state.accounts.first?.autoTopup ?? state.accounts.last?.autoTopup))
        try Self.expectEveryStoredFieldEncoded(try #require(state.accounts.first?.positions.first))
        // A perpetual's `option` is nil (omitted); the option market below has it.
        try Self.expectEveryStoredFieldEncoded(try #require(state.markets.first), derived: ["option"])
        try Self.expectEveryStoredFieldEncoded(try #require(state.markets.first?.volatility))
        try Self.expectEveryStoredFieldEncoded(try #require(state.markets.first?.oracleGuard))
        try Self.expectEveryStoredFieldEncoded(try #require(state.markets.first?.heldMark))
        let option = try #require(state.markets.first { $0.option != nil })
        try Self.expectEveryStoredFieldEncoded(option, derived: ["heldMark", "portfolioParams"])  // derived, never held; a perpetual's
        try Self.expectEveryStoredFieldEncoded(try #require(state.markets.first?.portfolioParams))
        try Self.expectEveryStoredFieldEncoded(try #require(option.option))
        #expect(option.option?.settlementPrice != nil && option.option?.volatility != nil && option.option?.valueCeiling != nil)
        // A schedule with its optional maintenance amount set, so that every stored field is present.
        let schedule = try TierSchedule(maintenanceRate: Fixed(parsing: "0.01"), maintenanceAmount: Fixed(parsing: "5"))
        try Self.expectEveryStoredFieldEncoded(schedule, derived: ["maintenanceDeductions", "initialDeductions", "maximumMaintenanceRate"])
        try Self.expectEveryStoredFieldEncoded(try #require(state.assets.first))
        try Self.expectEveryStoredFieldEncoded(try #require(state.marketPolicies.first ?? nil))
        try Self.expectEveryStoredFieldEncoded(try #require(state.marketPolicies.first??.dynamicMargin))
        try Self.expectEveryStoredFieldEncoded(try #require(state.appliedCommandEvents["m-1"]?.first))
    }

    @Test("changing any one part of the state changes the digest")
    func digestSeesEveryChange() throws {
        let state = Self.populatedState()
        let base = StateDigest(of: state)
        var changes: [(String, (inout EngineState) -> Void)] = [
            ("clock", { $0.clockMs += 1 }),
            ("a balance", { $0.accounts[0].balances[0] = Fixed(raw: $0.accounts[0].balances[0].raw + 1) }),
            ("a deadline", { $0.accounts[0].liquidation = .marginCall(deadlineMs: 1) }),
            ("the fund", { $0.insuranceFund[0] = WideAmount(raw: 1) }),
            ("a volatility sample", { $0.markets[0].volatility.halfLifeMs += 1 }),
            ("a policy", { $0.marketPolicies[0]?.cooldownMs += 1 }),
            ("a part-2 policy field", { $0.marketPolicies[0]?.toxicClose = true }),
            ("a reserve", { $0.accounts[1].reserves[0] = Fixed(raw: 1) }),
            ("an auto top-up budget", { $0.accounts[1].autoTopup?.usedAmount = Fixed(raw: 1) }),
            ("a market's expected slippage", { $0.markets[0].expectedSlippage = Fixed(raw: 1) }),
            ("an oracle guard", { $0.markets[0].oracleGuard.maxMarkAgeMs = 1 }),
            ("a mark's time", { $0.markets[0].markTimeMs = 1 }),
            ("a held mark", { $0.markets[0].heldMark?.receivedMs += 1 }),
            ("paused liquidations", { $0.markets[0].liquidationsPaused = true }),
            ("a margin model", { $0.accounts[0].marginModel = .portfolio }),
            ("portfolio parameters", { $0.markets[0].portfolioParams?.imFactor = .one }),
            ("a portfolio correlation", { $0.markets[0].portfolioParams?.correlation = .one }),
            ("an option's volatility", { $0.markets[1].option?.volatility = Fixed(raw: 1) }),
            ("an option's settlement", { $0.markets[1].option?.settlementPrice = nil }),
            ("an idempotency id", { $0.appliedCommandEvents["other"] = [] }),
            ("a retry", { $0.pendingRetries[0] = nil }),
        ]
        changes.append(("a trailing zero balance is not a change", { $0.accounts[0].balances.append(.zero) }))
        for (name, change) in changes {
            var changed = state
            change(&changed)
            if name.hasSuffix("is not a change") {
                #expect(StateDigest(of: changed) == base, "\(name)")
            } else {
                #expect(StateDigest(of: changed) != base, "\(name)")
            }
        }
    }

    @Test("dictionaries hash and serialize in key order, whatever their insertion order")
    func dictionariesAreCanonical() throws {
        var first = EngineState(), second = EngineState()
        for id in ["a", "b", "c", "d", "e", "f", "g", "h"] { first.appliedCommandEvents[id] = [] }
        for id in ["h", "g", "f", "e", "d", "c", "b", "a"] { second.appliedCommandEvents[id] = [] }
        #expect(StateDigest(of: first) == StateDigest(of: second))
        #expect(StateSnapshotWriter.snapshot(of: first) == StateSnapshotWriter.snapshot(of: second))
    }

    @Test("a snapshot carries its schema version, is exact decimal text and reads back to the same digest")
    func snapshotRoundTrip() throws {
        let state = Self.populatedState()
        let text = StateSnapshotWriter.snapshot(of: state)
        #expect(text.hasPrefix(#"{"schema_version":\#(EngineState.schemaVersion),"state":{"#))
        #expect(text.contains(#""9080""#))  // the mark, as an exact decimal string
        let restored = try SnapshotCodec.decode(Data(text.utf8), seq: 7)
        #expect(StateDigest(of: restored) == StateDigest(of: state))
        #expect(Engine(state: restored).digest == StateDigest(of: state))
        // Decoding reads back everything the description wrote: writing it again gives the same text.
        #expect(StateSnapshotWriter.snapshot(of: restored) == text)
    }

    @Test("the snapshot's account reader reads every lifecycle case, reserve and margin model exactly as Codable does")
    func accountReaderAgreesWithCodable() throws {
        var state = Self.populatedState()
        let cases: [LiquidationState] = [.healthy, .warning, .marginCall(deadlineMs: 1_700_000_600_000),
                                         .deleveraging(nextStepMs: 1_700_000_030_000, urgentStepMs: 1_700_000_010_000), .liquidated, .bankrupt]
        for (index, liquidation) in cases.enumerated() {
            var account = Account(id: "lifecycle-\(index)")
            account.setBalance(Fixed(raw: -123_456_789), ofAsset: 0)
            account.positions = [Position(market: 0, size: Fixed(raw: -5), openNotional: Fixed(raw: -50_000))]
            account.liquidation = liquidation
            state.accounts.append(account)
        }
        let text = StateSnapshotWriter.snapshot(of: state)
        guard case .object(let envelope) = try JSONParser.parse(text), case .object(let stateObject)? = envelope["state"],
              let accounts = stateObject["accounts"] else {
            Issue.record("the snapshot has no state.accounts"); return
        }
        let read = Array(try SnapshotCodec.decode(Data(text.utf8), seq: 1).accounts)
        let decoded = try JSONValueDecoder().decode([Account].self, from: accounts)
        #expect(read == decoded)
        #expect(read == state.accounts.map { account in
            var trimmed = account  // trailing zero balances are not state
            while trimmed.balances.last?.isZero == true { trimmed.balances.removeLast() }
            while trimmed.reserves.last?.isZero == true { trimmed.reserves.removeLast() }
            return trimmed
        })
        #expect(Set(read.map(\.liquidation)).isSuperset(of: cases))
        #expect(read.contains { $0.autoTopup != nil } && read.contains { $0.marginModel == .portfolio } && read.contains { !$0.reserves.isEmpty })
    }

    @Test("a damaged account in a snapshot is refused naming the account and the member", arguments: [
        (#""balances":["517.3"]"#, #""balances":[517.3]"#, "accounts[0].balances[0]: expected a string"),
        (#""balances":["517.3"]"#, #""balances":["517.3.1"]"#, "accounts[0].balances[0]"),
        (#""marginModel":"standard""#, #""marginModel":"fancy""#, "unknown margin model \"fancy\""),
        (#""marginModel":"standard""#, #""marginModel":"standard","marginModel":"portfolio""#, "accounts[0]: duplicate key \"marginModel\""),
        (#""marginModel":"standard","#, "", "accounts[0]: the member \"marginModel\" is missing"),
        (#""size":"0.5""#, #""size":"0.5","size":"0.6""#, "accounts[0].positions[0]: duplicate key \"size\""),
        (#""idempotencyMaxIDs":1000000"#, #""idempotencyMaxIDs":1000000,"idempotencyMaxIDs":5"#, "state: duplicate key \"idempotencyMaxIDs\""),
        (#""nextStepMs":1700000090000"#, #""nextStepMs":1700000090000,"nextStepMs":1"#, "accounts[0].liquidation.deleveraging: duplicate key \"nextStepMs\""),
        (#""liquidation":{""#, #""liquidation":{"soon":{}},"later":{""#, "unknown lifecycle case \"soon\""),
        (#""positions":[{"market":0,"#, #""positions":[{"market":"0","#, "accounts[0].positions[0].market: expected a number"),
    ])
    func damagedAccountIsRefused(original: String, damaged: String, expected: String) throws {
        let text = StateSnapshotWriter.snapshot(of: Self.populatedState())
        #expect(text.contains(original), "the fixture writes \(original)")
        let broken = text.replacingOccurrences(of: original, with: damaged)
        do {
            _ = try SnapshotCodec.decode(Data(broken.utf8), seq: 9)
            Issue.record("a snapshot with \(damaged) was read")
        } catch {
            guard case .undecodableSnapshot(seq: 9, let detail) = error else { Issue.record("unexpected \(error)"); return }
            #expect(detail.contains(expected), "\(detail)")
        }
    }

    @Test("a snapshot of another schema version is refused with a message naming both versions")
    func otherSchemaVersionIsRefused() throws {
        let text = StateSnapshotWriter.snapshot(of: Self.populatedState())
            .replacingOccurrences(of: #"{"schema_version":\#(EngineState.schemaVersion)"#, with: #"{"schema_version":99"#)
        #expect(throws: JournalError.unsupportedSnapshot(seq: 3, found: 99, expected: EngineState.schemaVersion)) {
            try SnapshotCodec.decode(Data(text.utf8), seq: 3)
        }
        let unversioned = Data(#"{"clockMs":0}"#.utf8)
        do { _ = try SnapshotCodec.decode(unversioned, seq: 4); Issue.record("an unversioned snapshot was accepted") } catch {
            #expect(error.description.contains("written before versions"))
        }
    }
}
