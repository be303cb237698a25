import LeewayCore
import LeewaySimulation
import Testing

@Suite("Policy presets and overrides")
struct PolicySpecTests {
    @Test("presets: hard closes at MM, soft has a fixed grace, soft-adaptive a volatility-scaled one")
    func presets() throws {
        #expect(try PolicySpec.parse("hard").policy.mode == .hard)
        #expect(try PolicySpec.parse("soft").policy.grace == .fixed(ms: 600_000))
        let adaptive = try PolicySpec.parse("soft-adaptive").policy
        #expect(adaptive.grace == .volatilityScaled(maxBreachProbability: Fixed(raw: 1_000_000), minMs: 60_000, maxMs: 3_600_000))
        #expect(try PolicySpec.parse("soft").liquidationFee == Fixed(raw: 500_000))
    }

    @Test("overrides use the spec's field names")
    func overrides() throws {
        let spec = try PolicySpec.parse("soft:grace_ms=300000,step_fraction=0.2,cooldown_ms=10000,hard_fraction=0.3,liquidation_fee=0.01")
        #expect(spec.name == "soft:grace_ms=300000,step_fraction=0.2,cooldown_ms=10000,hard_fraction=0.3,liquidation_fee=0.01")
        #expect(spec.policy.grace == .fixed(ms: 300_000))
        #expect(spec.policy.stepFraction == Fixed(raw: 20_000_000))
        #expect(spec.policy.cooldownMs == 10_000)
        #expect(spec.policy.hardFraction == Fixed(raw: 30_000_000))
        #expect(spec.liquidationFee == Fixed(raw: 1_000_000))
        let adaptive = try PolicySpec.parse("soft-adaptive:max_breach_probability=0.05,max_ms=600000")
        #expect(adaptive.policy.grace == .volatilityScaled(maxBreachProbability: Fixed(raw: 5_000_000), minMs: 60_000, maxMs: 600_000))
        let soft = try PolicySpec.parse("soft:min_ms=1000")
        guard case .volatilityScaled(_, let minimum, _) = soft.policy.grace else {
            Issue.record("a grace key turns the fixed grace into a scaled one")
            return
        }
        #expect(minimum == 1_000)
    }

    @Test("a grace override replaces the preset's grace, whichever form the preset had", arguments: [
        ("soft:grace=adaptive", LiquidationPolicy.Grace.volatilityScaled(maxBreachProbability: Fixed(raw: 1_000_000), minMs: 60_000, maxMs: 3_600_000)),
        ("soft:grace=adaptive,max_ms=600000", .volatilityScaled(maxBreachProbability: Fixed(raw: 1_000_000), minMs: 60_000, maxMs: 600_000)),
        ("soft:max_ms=600000,grace=adaptive", .volatilityScaled(maxBreachProbability: Fixed(raw: 1_000_000), minMs: 60_000, maxMs: 600_000)),
        ("guarded:grace=adaptive", .volatilityScaled(maxBreachProbability: Fixed(raw: 1_000_000), minMs: 60_000, maxMs: 3_600_000)),
        ("soft:grace=120000", .fixed(ms: 120_000)),
        ("soft-adaptive:grace=120000", .fixed(ms: 120_000)),
        ("soft-adaptive:grace_ms=120000", .fixed(ms: 120_000)),
        ("guarded:grace_ms=30000", .fixed(ms: 30_000)),
    ])
    func graceOverride(text: String, grace: LiquidationPolicy.Grace) throws {
        #expect(try PolicySpec.parse(text).policy.grace == grace)
    }

    @Test("bad policies are refused with a code", arguments: [
        ("soft:grace=sometimes", "invalid_policy"),
        ("soft:grace=adaptive,grace_ms=1000", "invalid_policy"),
        ("medium", "unknown_policy"),
        ("soft:grace_ms", "invalid_policy"),
        ("soft:colour=red", "unknown_field"),
        ("soft:step_fraction=abc", "invalid_decimal"),
        ("soft:step_fraction=1.5", "invalid_policy"),
        ("soft:grace_ms=1.5", "invalid_field"),
        ("hard:liquidation_fee=2", "invalid_policy"),
        ("soft:mode=sideways", "invalid_field"),
    ])
    func refusals(text: String, code: String) {
        do {
            _ = try PolicySpec.parse(text)
            Issue.record("\(text) should be refused")
        } catch {
            #expect(error.code == code, "\(text): \(error.message)")
        }
    }
}
