public import LeewayCore

/// Writes a `LiquidationPolicy` as the `policy` command that sets it (the spec's field names,
/// decimal strings, every field given explicitly), so that `CommandDecoder` reads back exactly the
/// same policy. `leeway tune` writes its recommendation with it, ready to send to `leeway serve`.
public enum PolicyEncoder {
    public static func command(_ policy: LiquidationPolicy, market: String? = nil) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("type", "policy")
        if let market { writer.field("market", market) }
        writer.field("mode", policy.mode.rawValue)
        switch policy.grace {
        case .fixed(let ms):
            writer.field("grace_ms", ms)
        case let .volatilityScaled(probability, minMs, maxMs):
            writer.key("grace")
            writer.beginObject()
            writer.field("max_breach_probability", probability.description)
            writer.field("min_ms", minMs)
            writer.field("max_ms", maxMs)
            writer.endObject()
        }
        writer.field("warning_buffer", policy.warningBuffer.description)
        writer.field("cure_buffer", policy.cureBuffer.description)
        writer.field("hard_fraction", policy.hardFraction.description)
        writer.field("step_fraction", policy.stepFraction.description)
        writer.field("cooldown_ms", policy.cooldownMs)
        writer.field("call_level", policy.callLevel.description)
        if let fraction = policy.liquidationStepFraction {
            writer.field("liquidation_step_fraction", fraction.description)
            writer.field("liquidation_cooldown_ms", policy.liquidationCooldownMs)
        }
        if let fee = policy.preLiquidationFee { writer.field("pre_liquidation_fee", fee.description) }
        writer.field("toxic_close", policy.toxicClose)
        if let dynamic = policy.dynamicMargin {
            writer.key("dynamic_margin")
            writer.beginObject()
            writer.field("reference_volatility", dynamic.referenceVolatility.description)
            writer.field("max_multiplier", dynamic.maxMultiplier.description)
            writer.endObject()
        }
        writer.endObject()
        return writer.text
    }
}
