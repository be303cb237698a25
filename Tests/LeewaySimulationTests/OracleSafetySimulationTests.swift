import LeewayCore
import LeewaySimulation
import Testing

/// Oracle safety in the simulator, on the real ETH crash of 2024-08-05 (the fall from 2,614 to
/// 2,141 between minutes 40 and 70): a spike, a frozen feed and a gap in the candles, each run
/// with and without the market's `max_mark_age_ms` / `max_mark_move` / `confirm_ms`.
@Suite("Simulator: oracle safety on spikes, frozen feeds and gaps from real candles")
struct OracleSafetySimulationTests {
    static let minute: Int64 = 60_000

    static func ethPath() throws -> PricePath { try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz", minutes: 180) }

    static func run(_ path: PricePath, policy: String, feed: OracleFeed = .faithful) -> BacktestResult {
        var scenario = SimulationFixtures.scenario(path: path, accounts: 400)
        scenario.oracleFeed = feed
        return BacktestRun.run(scenario, policy: SimulationFixtures.policy(policy), recordSeries: true)
    }

    static func fills(_ result: BacktestResult, from: Int64, until: Int64) -> [(timeMs: Int64, price: Double, notional: Double)] {
        (result.series?.liquidations ?? []).filter { $0.timeMs >= from && $0.timeMs < until }
    }

    @Test("a one-point −40 % spike before the crash liquidates many accounts unguarded and none with max_mark_move")
    func spikeIsHeld() throws {
        let path = try Self.ethPath()
        let spikeMs = path.timesMs[0] + 20 * Self.minute
        let feed = OracleFeed(spikes: [.init(atMs: spikeMs, factor: 0.6)])
        let unguarded = Self.run(path, policy: "hard", feed: feed)
        let guarded = Self.run(path, policy: "hard:max_mark_move=0.1,confirm_ms=120000", feed: feed)
        let guardedClean = Self.run(path, policy: "hard:max_mark_move=0.1,confirm_ms=120000")

        #expect(Self.fills(unguarded, from: spikeMs, until: spikeMs + 1).count > 50)
        #expect(Self.fills(guarded, from: spikeMs, until: spikeMs + Self.minute).isEmpty)
        #expect(guarded.metrics.marksHeld >= 1)
        #expect(guarded.metrics.spikesDiscarded >= 1)
        #expect(guarded.metrics.accountsLiquidated < unguarded.metrics.accountsLiquidated)
        // The held spike is as if that one mark never came: the crash itself liquidates the same accounts.
        #expect(guarded.metrics.accountsLiquidated == guardedClean.metrics.accountsLiquidated)
        #expect(guarded.metrics.ledgerConserved)
    }

    @Test("a feed frozen through the fall: guarded, no forced close on the stale mark; the pause ends at the fresh price")
    func frozenFeedPausesLiquidations() throws {
        let path = try Self.ethPath()
        let start = path.timesMs[0]
        let outage = OracleFeed.Outage(fromMs: start + 55 * Self.minute, untilMs: start + 70 * Self.minute)
        let feed = OracleFeed(outages: [outage])
        let policy = "soft:grace_ms=300000,step_fraction=0.25,cooldown_ms=30000"
        let unguarded = Self.run(path, policy: policy, feed: feed)
        let guarded = Self.run(path, policy: policy + ",max_mark_age_ms=60000", feed: feed)

        // Unguarded, the engine keeps deleveraging on the frozen (higher) mark: fills at stale prices.
        let staleFills = Self.fills(unguarded, from: outage.fromMs + 60_001, until: outage.untilMs)
        #expect(!staleFills.isEmpty)
        #expect(staleFills.allSatisfy { $0.price >= 2_550 })
        // Guarded: paused a minute into the outage, nothing forced until the feed returns.
        #expect(guarded.metrics.liquidationPauses == 1)
        #expect(Self.fills(guarded, from: outage.fromMs + 60_001, until: outage.untilMs).isEmpty)
        let resumed = Self.fills(guarded, from: outage.untilMs, until: outage.untilMs + Self.minute)
        #expect(!resumed.isEmpty)
        #expect(resumed.allSatisfy { $0.price < 2_400 })  // minute 70 opens at 2,337
        #expect(guarded.metrics.ledgerConserved)
    }

    @Test("a 15-minute gap in the candles: paused during the gap, the jump after it held once and confirmed by the next point")
    func gapIsPausedThenConfirmed() throws {
        let full = try Self.ethPath()
        let start = full.timesMs[0]
        // Minutes 55–69 missing: the last mark before is about 2,592, the first after 2,337 (−10 %).
        let path = full.removing(fromMs: start + 55 * Self.minute, untilMs: start + 70 * Self.minute)
        let firstAfterGap = try #require(path.timesMs.first { $0 >= start + 70 * Self.minute })
        let guarded = Self.run(path, policy: "hard:max_mark_age_ms=300000,max_mark_move=0.05,confirm_ms=60000")
        let unguarded = Self.run(path, policy: "hard")

        #expect(guarded.metrics.liquidationPauses == 1)
        #expect(guarded.metrics.marksHeld >= 1)
        #expect(guarded.metrics.spikesDiscarded == 0)  // the jump is real: the next point confirms it
        #expect(Self.fills(guarded, from: firstAfterGap, until: firstAfterGap + 1).isEmpty)
        #expect(!Self.fills(unguarded, from: firstAfterGap, until: firstAfterGap + 1).isEmpty)
        #expect(!Self.fills(guarded, from: firstAfterGap + 1, until: firstAfterGap + Self.minute).isEmpty)
        #expect(guarded.metrics.accountsLiquidated > 0)
        #expect(guarded.metrics.ledgerConserved)
    }

    @Test("the oracle keys of --policy reach the market and are validated like the market command")
    func policyKeysAreValidated() throws {
        let spec = try PolicySpec.parse("soft:max_mark_age_ms=60000,max_mark_move=0.1,confirm_ms=30000")
        #expect(spec.oracleGuard == OracleGuard(maxMarkAgeMs: 60_000, maxMarkMove: Fixed(raw: 10_000_000), confirmMs: 30_000))
        #expect(throws: SimulationError.self) { try PolicySpec.parse("soft:max_mark_move=0.1") }
        #expect(throws: SimulationError.self) { try PolicySpec.parse("soft:max_mark_age_ms=0") }
        #expect(throws: SimulationError.self) { try PolicySpec.parse("soft:max_mark_age_ms=soon") }
    }
}
