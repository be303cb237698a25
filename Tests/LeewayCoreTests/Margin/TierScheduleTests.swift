import LeewayCore
import Testing

@Suite("Tiered margin schedules")
struct TierScheduleTests {
    /// Binance's BTCUSDT brackets (reference §3): the cum recurrence gives 50, 1,300, 16,300 …
    static let binance = try? TierSchedule(tiers: [
        MarginTier(floor: d("0"), imr: d("0.008"), mmr: d("0.004")),
        MarginTier(floor: d("50000"), imr: d("0.01"), mmr: d("0.005")),
        MarginTier(floor: d("250000"), imr: d("0.02"), mmr: d("0.01")),
        MarginTier(floor: d("1000000"), imr: d("0.05"), mmr: d("0.025")),
        MarginTier(floor: d("10000000"), imr: d("0.1"), mmr: d("0.05")),
    ])

    @Test("maintenance margin follows the cum recurrence (Binance and Hyperliquid vectors)", arguments: [
        // Binance: 264,000 notional is in the 1 % bracket with cum 1,300 → 2,640 − 1,300.
        ("binance", "264000", "1340"),
        ("binance", "50000", "200"),  // 50,000 × 0.5 % − 50
        ("binance", "1000000", "8700"),  // 1,000,000 × 2.5 % − 16,300
        // Hyperliquid BTC: 40× to 150M (mmr 1.25 %), 20× above (2.5 %): MM(200M) = 3,125,000.
        ("hyperliquid-btc", "200000000", "3125000"),
        ("hyperliquid-btc", "150000000", "1875000"),
        // Hyperliquid testnet DOGE, 5 % / 10 % / 16.666667 %: MM(150k) ≈ 17,333.33.
        ("hyperliquid-doge", "150000", "17333.3335"),
    ])
    func maintenanceMargin(schedule: String, notional: String, expected: String) throws {
        let tiers = try #require(Self.schedules[schedule])
        #expect(try tiers.maintenanceMargin(notional: d(notional)) == d(expected))
    }

    static let schedules: [String: TierSchedule] = [
        "binance": binance,
        "hyperliquid-btc": try? TierSchedule(tiers: [
            MarginTier(floor: d("0"), imr: d("0.025"), mmr: d("0.0125")),
            MarginTier(floor: d("150000000"), imr: d("0.05"), mmr: d("0.025")),
        ]),
        "hyperliquid-doge": try? TierSchedule(tiers: [
            MarginTier(floor: d("0"), imr: d("0.1"), mmr: d("0.05")),
            MarginTier(floor: d("20000"), imr: d("0.2"), mmr: d("0.1")),
            MarginTier(floor: d("100000"), imr: d("0.33333334"), mmr: d("0.16666667")),
        ]),
    ].compactMapValues { $0 }

    @Test("maintenance margin is continuous at every tier floor")
    func continuity() throws {
        let tiers = try #require(Self.binance)
        for tier in tiers.tiers.dropFirst() {
            let below = try tiers.maintenanceMargin(notional: Fixed(raw: tier.floor.raw - 1))
            let at = try tiers.maintenanceMargin(notional: tier.floor)
            #expect(at.raw - below.raw <= 1, "MM jumps at floor \(tier.floor)")
        }
    }

    @Test("invalid schedules are refused with a reason", arguments: [
        ([] as [(String, String, String)], "empty"),
        ([("100", "0.02", "0.01")], "first floor"),
        ([("0", "0.02", "0.01"), ("0", "0.03", "0.02")], "floors"),
        ([("0", "0.01", "0.02")], "rates"),
        ([("0", "0.02", "0.01"), ("10", "0.01", "0.005")], "decreasing"),
        ([("0", "1.5", "0.01")], "rates"),
    ])
    func refusals(rows: [(String, String, String)], reason: String) {
        let tiers = rows.map { MarginTier(floor: d($0.0), imr: d($0.1), mmr: d($0.2)) }
        #expect(throws: TierScheduleError.self) { try TierSchedule(tiers: tiers) }
    }
}
