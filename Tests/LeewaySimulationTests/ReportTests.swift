import Foundation
import LeewayCore
@testable import LeewaySimulation
import Testing

@Suite("Reports people read: numbers, windows, legends, verdicts")
struct ReportTests {
    @Test("numbers have thousands separators and one format per kind", arguments: [
        (ReportNumber.grouped(0), "0"),
        (ReportNumber.grouped(999), "999"),
        (ReportNumber.grouped(10_000), "10,000"),
        (ReportNumber.grouped(-1_234_567), "-1,234,567"),
        (ReportNumber.money(Fixed(raw: 123_456_789_100_000)), "1,234,567.89"),
        (ReportNumber.money(Fixed(raw: -50_000_000)), "-0.50"),
        (ReportNumber.money(1_234_567.891), "1,234,567.89"),
        (ReportNumber.money(-0.001), "0.00"),
        (ReportNumber.money(Double.nan), "n/a"),
        (ReportNumber.count(12.25), "12.2"),
        (ReportNumber.count(12_000), "12,000"),
        (ReportNumber.compact(1_234_567), "1.23M"),
        (ReportNumber.compact(1_200_000), "1.2M"),
        (ReportNumber.compact(45_600), "45.6k"),
        (ReportNumber.compact(999_700), "1M"),
        (ReportNumber.compact(950), "950"),
        (ReportNumber.compact(0.1234), "0.123"),
        (ReportNumber.compact(-2_500_000_000), "-2.5B"),
        (ReportNumber.compact(0), "0"),
        (ReportNumber.percentagePoints(0.01234), "1.23"),
    ])
    func numberFormats(text: String, expected: String) {
        #expect(text == expected)
    }

    @Test("each metric has its unit", arguments: [
        ("accounts_liquidated", MetricUnit.accounts), ("deficit_total", .usdc), ("insurance_fund_pnl", .usdc),
        ("liquidation_costs", .usdc), ("auto_topups", .count), ("cascade_extra_drawdown", .percentagePoints),
    ])
    func units(key: String, unit: MetricUnit) {
        #expect(MetricUnit.of(key) == unit)
    }

    static func metrics(liquidated: Int, deficit: Int64, costs: Double) -> RunMetrics {
        var metrics = RunMetrics()
        metrics.accountsLiquidated = liquidated
        metrics.deficitTotal = Fixed(raw: deficit * 100_000_000)
        metrics.liquidationFees = Fixed(raw: Int64(costs * 100_000_000))
        return metrics
    }

    @Test("one verdict line per policy against the baseline, better / worse / a trade-off / the same", arguments: [
        (Self.metrics(liquidated: 720, deficit: 0, costs: 45_600), "guarded vs hard: 28 % fewer accounts fully liquidated (720 vs 1,000), deficit 0 vs 1.2M USDC, liquidation costs 45.6k vs 120k USDC — better"),
        (Self.metrics(liquidated: 1_100, deficit: 1_300_000, costs: 130_000), "guarded vs hard: 10 % more accounts fully liquidated (1,100 vs 1,000), deficit 1.3M vs 1.2M USDC, liquidation costs 130k vs 120k USDC — worse"),
        (Self.metrics(liquidated: 500, deficit: 1_500_000, costs: 120_000), "guarded vs hard: 50 % fewer accounts fully liquidated (500 vs 1,000), deficit 1.5M vs 1.2M USDC, liquidation costs 120k vs 120k USDC — a trade-off (fewer liquidations, larger deficit)"),
        (Self.metrics(liquidated: 1_000, deficit: 1_200_000, costs: 120_000), "guarded vs hard: as many accounts fully liquidated (1,000 vs 1,000), deficit 1.2M vs 1.2M USDC, liquidation costs 120k vs 120k USDC — the same"),
    ])
    func verdicts(guarded: RunMetrics, line: String) {
        let hard = Self.metrics(liquidated: 1_000, deficit: 1_200_000, costs: 120_000)
        let verdicts = PolicyVerdict.verdicts(names: ["guarded", "hard"], metrics: [guarded, hard])
        #expect(verdicts.map(\.line) == [line])
    }

    @Test("the baseline is hard when it ran, else the first policy; one policy has no verdict")
    func baseline() {
        #expect(PolicyVerdict.baselineIndex(of: ["soft", "hard", "guarded"]) == 1)
        #expect(PolicyVerdict.baselineIndex(of: ["soft", "guarded"]) == 0)
        #expect(PolicyVerdict.verdicts(names: ["soft"], metrics: [RunMetrics()]).isEmpty)
    }

    /// A day of one-minute points falling from 100 to 60 between 10:00 and 11:00, with fills.
    static func result(name: String, liquidations: [(timeMs: Int64, price: Double, notional: Double)]) -> BacktestResult {
        var series = RunSeries()
        series.timesMs = (0..<1_440).map { Int64($0) * 60_000 }
        series.inputPrices = (0..<1_440).map { (minute: Int) -> Double in
            if minute < 600 { return 100 }
            if minute < 660 { return 100 - Double(minute - 600) * 40 / 60 }
            return 60
        }
        series.marks = series.inputPrices
        series.phaseTimesMs = series.timesMs
        series.phaseCounts = series.timesMs.map { _ in [10, 0, 0, 0, 0, 0] }
        series.liquidations = liquidations
        return BacktestResult(policyName: name, metrics: RunMetrics(), series: series, digest: "", commandsApplied: 0)
    }

    @Test("charts zoom to where 80 % of the liquidated notional fell, padded; a fall without fills zooms to the drawdown")
    func crashWindow() throws {
        // 800 of 900 USDC liquidated at 10:10 and 10:40, a little at 03:00 and 20:00.
        let fills: [(timeMs: Int64, price: Double, notional: Double)] = [
            (180 * 60_000, 100, 50), (610 * 60_000, 80, 400), (640 * 60_000, 70, 400), (1_200 * 60_000, 60, 50),
        ]
        let window = try #require(ChartWindow.crash(of: [Self.result(name: "hard", liquidations: fills)]))
        // 30 min span → padded by max(15 min, span / 4) = 15 min each side.
        #expect(window.startMs == 595 * 60_000)
        #expect(window.endMs == 655 * 60_000)
        #expect(window.reason == "where 80 % of the liquidated notional fell")
        let calm = try #require(ChartWindow.crash(of: [Self.result(name: "hard", liquidations: [])]))
        #expect(calm.startMs == 585 * 60_000)  // the peak at 10:00 (the last 100 before the fall) − 15 min
        #expect(calm.endMs == 675 * 60_000)    // the trough at 11:00 + 15 min
        #expect(calm.reason == "the largest drawdown of the input price")
        // Fills spread over the whole day: no zoom.
        let spread = (0..<24).map { (Int64($0) * 3_600_000, 80.0, 10.0) }
        #expect(ChartWindow.crash(of: [Self.result(name: "hard", liquidations: spread)]) == nil)
    }

    @Test("legends sit above the plot, wrapped so that no two entries overlap")
    func legends() throws {
        let names = ["hard", "soft:grace_ms=300000,step_fraction=0.2", "soft-adaptive:max_breach_probability=0.05", "guarded", "guarded:call_level=2"]
        let layout = SVGChart.legendLayout(names.enumerated().map { ($1, SVGChart.palette[$0]) })
        #expect(layout.rows >= 2)
        for row in 0..<layout.rows {
            let items = layout.items.filter { $0.row == row }.sorted { $0.x < $1.x }
            for (a, b) in zip(items, items.dropFirst()) { #expect(a.x + SVGChart.legendWidth(a.name) <= b.x) }
            #expect(items.allSatisfy { $0.x + SVGChart.legendWidth($0.name) <= SVGChart.width - SVGChart.right || $0.x == SVGChart.left })
        }
        let svg = SVGChart.lines(title: "t", series: names.enumerated().map { .init(name: $1, color: "#000", points: [(0, 1), (1, 2)]) })
        let plotTop = try #require(Self.attribute("y", of: "rect class=\"plot\"", in: svg))
        let legendYs = Self.values("y", of: "text class=\"legend\"", in: svg)
        #expect(legendYs.count == names.count)
        #expect(legendYs.allSatisfy { $0 < plotTop })
    }

    @Test("a backtest report has the verdict, money with units and separators, fund P&L and deficits in the comparison, and zoomed charts")
    func backtestReport() throws {
        let path = try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz")
        let scenario = SimulationFixtures.scenario(path: path, accounts: 300)
        let results = ["hard", "guarded"].map { BacktestRun.run(scenario, policy: SimulationFixtures.policy($0), recordSeries: true) }
        let html = HTMLReport.backtest(results, title: "Backtest", summary: "ETH")
        let verdict = PolicyVerdict.verdicts(names: ["hard", "guarded"], metrics: results.map(\.metrics))[0].line
        #expect(verdict.hasPrefix("guarded vs hard: "))
        #expect(html.contains("<h2>Verdict</h2>\n<ul class=\"verdicts\"><li>\(SVGChart.escape(verdict))</li></ul>"))
        #expect(html.contains("<td>deficit_total</td><td>USDC</td>"))
        #expect(html.contains("<td>accounts_opened</td><td>accounts</td><td>300</td><td>300</td>"))
        #expect(html.contains("<td>\(ReportNumber.money(results[0].metrics.liquidatedNotional))</td>"))
        #expect(ReportNumber.money(results[0].metrics.liquidatedNotional).contains(","))
        let comparison = HTMLReport.backtestCharts(results)[0].svg
        for category in ["insurance fund pnl", "deficit total", "bad debt", "liquidation costs"] { #expect(comparison.contains(">\(category)<")) }
        let window = try #require(ChartWindow.crash(of: results))
        #expect(Double(window.endMs - window.startMs) < 0.7 * Double(path.timesMs.last! - path.timesMs.first!))
        #expect(html.contains("Charts show \(HTMLReport.clock(Double(window.startMs)))–\(HTMLReport.clock(Double(window.endMs))) UTC, where 80 % of the liquidated notional fell"))
        let price = HTMLReport.backtestCharts(results)[1].svg
        #expect(price.contains("class=\"overview-window\""))
        #expect(price.contains(">price (USDC)<"))
    }

    /// The numeric values of `name` on every element whose text starts with `element`.
    static func values(_ name: String, of element: String, in svg: String) -> [Double] {
        svg.components(separatedBy: "<" + element).dropFirst().compactMap { tail in
            guard let range = tail.range(of: " \(name)=\"") else { return nil }
            return Double(tail[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func attribute(_ name: String, of element: String, in svg: String) -> Double? { values(name, of: element, in: svg).first }
}
