import LeewayCore
import LeewayWire
import Testing

@Suite("Risk overview and liquidation map")
struct RiskOverviewTests {
    /// A venue of `count` accounts with random leverage (9× to 50×), long or short, after the mark
    /// falls 1.5 %: the most leveraged longs are called, none is below the hard line.
    static func venue(count: Int, seed: UInt64) -> Harness {
        var harness = Harness.standard()
        var generator = SplitMix64(seed: seed)
        var lines = [#"{"type":"mark","market":"BTC-PERP","price":"10000"}"#]
        for index in 0..<count {
            let collateral = 201 + Int(generator.nextUnit() * 1_000)
            let size = generator.nextUnit() < 0.5 ? "1" : "-1"
            lines.append(#"{"type":"deposit","account":"a\#(index)","asset":"USDC","amount":"\#(collateral)"}"#)
            lines.append(#"{"type":"fill","account":"a\#(index)","market":"BTC-PERP","size":"\#(size)","price":"10000"}"#)
        }
        lines.append(#"{"type":"deposit","account":"cash-only","asset":"USDC","amount":"5"}"#)
        lines.append(#"{"type":"mark","market":"BTC-PERP","price":"9850"}"#)
        harness.run(lines.joined(separator: "\n"))
        return harness
    }

    /// The order the overview promises: equity ≤ 0 first, then margin ratio, ties by creation.
    static func fullSort(_ engine: Engine) -> [String] {
        let reports = engine.accountIDs.enumerated().compactMap { index, id -> (Int, MarginReport)? in
            guard let report = engine.marginReport(account: id), !report.positions.isEmpty else { return nil }
            return (index, report)
        }
        return reports.sorted { lhs, rhs in
            let left = lhs.1.marginRatio?.raw ?? .max, right = rhs.1.marginRatio?.raw ?? .max
            return left != right ? left > right : lhs.0 < rhs.0
        }.map(\.1.account)
    }

    @Test("the top N by margin ratio is the head of a full sort, for any N", arguments: [1, 7, 50, 400])
    func topMatchesFullSort(limit: Int) {
        let harness = Self.venue(count: 300, seed: 11)
        let overview = harness.engine.riskOverview(limit: limit)
        #expect(overview.riskiest.map(\.account) == Array(Self.fullSort(harness.engine).prefix(limit)))
        #expect(overview.accounts == 301)
        #expect(overview.accountsWithPositions == 300)
        #expect(overview.phaseCounts.reduce(0, +) == 301)
        #expect(overview.phaseCounts == harness.engine.phaseCounts())
        #expect(overview.accountsAtRisk == overview.count(.warning) + overview.count(.marginCall) + overview.count(.deleveraging))
        #expect(overview.count(.marginCall) > 0)
    }

    @Test("the overview over given accounts counts and ranks only those")
    func visibleAccountsOnly() {
        let harness = Self.venue(count: 50, seed: 3)
        let overview = harness.engine.riskOverview(limit: 10, accounts: ["a1", "a2", "nobody"])
        #expect(overview.accounts == 2)
        #expect(Set(overview.riskiest.map(\.account)) == ["a1", "a2"])
    }

    @Test("the liquidation map puts each position's notional in the bin of its report's liquidation price")
    func mapMatchesReports() throws {
        let harness = Self.venue(count: 200, seed: 5)
        let low = try Fixed(parsing: "8000"), high = try Fixed(parsing: "12000")
        let map = try #require(harness.engine.liquidationMap(market: "BTC-PERP", bins: 40, low: low, high: high))
        #expect(map.binWidth == (try Fixed(parsing: "100")))
        var longs = Array(repeating: Int128(0), count: 40), shorts = longs
        var outside = 0
        for id in harness.engine.accountIDs {
            guard let position = harness.engine.marginReport(account: id)?.positions.first,
                  let price = position.liquidationPrice else { continue }
            let notional = Int128(try position.size.magnitude.multiplied(by: price, rounding: .down).raw)
            guard price >= low, price < high else { outside += 1; continue }
            let bin = Int((Int128(price.raw) - Int128(low.raw)) / Int128(map.binWidth.raw))
            if position.size.isPositive { longs[bin] += notional } else { shorts[bin] += notional }
        }
        #expect(map.longNotional.map(\.raw) == longs)
        #expect(map.shortNotional.map(\.raw) == shorts)
        #expect(map.outsidePositions == outside)
        let holders = harness.engine.accountIDs.filter { harness.engine.marginReport(account: $0)?.positions.isEmpty == false }.count
        #expect(map.positions.reduce(0, +) + outside + map.unliquidatablePositions == holders)
        #expect(holders == 200)
        #expect(harness.engine.liquidationMap(market: "NOPE", bins: 10, low: low, high: high) == nil)
    }
}
