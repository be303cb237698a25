/// The description of everything the engine stores (`StateDescribable`). Field names are the
/// properties' names, so each type's `Codable` decoding reads a snapshot back; optional fields
/// are omitted when nil; enums with data are objects `{"case": {fields}}`, as synthesized
/// `Codable` writes them.
extension EngineState: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("clockMs", clockMs)
            v.field("nextSeq", nextSeq)
            v.field("assets", assets)
            v.field("markets", markets)
            v.field("globalPolicy", globalPolicy)
            v.field("marketPolicies", marketPolicies)
            v.field("volatilityHalfLifeMs", volatilityHalfLifeMs)
            v.field("accounts", accounts)
            v.field("insuranceFund", insuranceFund)
            v.field("feeIncome", feeIncome)
            v.field("outsideWorld", outsideWorld)
            v.field("clearing", clearing)
            v.field("pendingRetries", pendingRetries)
            v.field("appliedCommandEvents", appliedCommandEvents)
            v.key("appliedCommandOrder")
            v.beginArray()
            for applied in appliedCommandOrder { applied.describe(into: &v) }
            v.endArray()
            v.field("idempotencyWindowMs", idempotencyWindowMs)
            v.field("idempotencyMaxIDs", idempotencyMaxIDs)
        }
    }
}

extension Asset: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("id", id)
            v.field("price", price)
            v.field("weight", weight)
        }
    }
}

extension Market: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("id", id)
            v.field("settleAsset", settleAsset)
            v.field("tiers", tiers)
            v.field("liquidationFee", liquidationFee)
            v.field("expectedSlippage", expectedSlippage)
            v.field("markPrice", markPrice)
            v.field("volatility", volatility)
            v.field("largestPositionSize", largestPositionSize)
            v.field("oracleGuard", oracleGuard)
            v.field("markTimeMs", markTimeMs)
            v.field("heldMark", heldMark)
            v.field("liquidationsPaused", liquidationsPaused)
            v.field("option", option)
            v.field("portfolioParams", portfolioParams)
        }
    }
}

extension PortfolioParams: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("scanRange", scanRange)
            v.field("volShift", volShift)
            v.field("extremeMultiple", extremeMultiple)
            v.field("extremeFraction", extremeFraction)
            v.field("imFactor", imFactor)
            v.field("shortOptionCharge", shortOptionCharge)
            v.field("correlation", correlation)
        }
    }
}

extension OptionTerms: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("underlying", underlying)
            v.field("kind", kind.rawValue)
            v.field("strike", strike)
            v.field("expiryMs", expiryMs)
            v.field("contractSize", contractSize)
            v.field("volatility", volatility)
            v.field("valueCeiling", valueCeiling)
            v.field("settlementPrice", settlementPrice)
        }
    }
}

extension OracleGuard: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("maxMarkAgeMs", maxMarkAgeMs)
            v.field("maxMarkMove", maxMarkMove)
            v.field("confirmMs", confirmMs)
        }
    }
}

extension HeldMark: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("price", price)
            v.field("receivedMs", receivedMs)
        }
    }
}

extension MarginTier: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("floor", floor)
            v.field("imr", imr)
            v.field("mmr", mmr)
        }
    }
}

extension VolatilityEstimator: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("halfLifeMs", halfLifeMs)
            v.field("lastPrice", lastPrice)
            v.field("lastSampleMs", lastSampleMs)
            v.field("varianceRatePerMs", varianceRatePerMs)
            v.field("sampleCount", sampleCount)
        }
    }
}

extension LiquidationPolicy: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("mode", mode.rawValue)
            v.field("warningBuffer", warningBuffer)
            v.field("grace", grace)
            v.field("hardFraction", hardFraction)
            v.field("stepFraction", stepFraction)
            v.field("cooldownMs", cooldownMs)
            v.field("cureBuffer", cureBuffer)
            v.field("callLevel", callLevel)
            v.field("liquidationStepFraction", liquidationStepFraction)
            v.field("liquidationCooldownMs", liquidationCooldownMs)
            v.field("preLiquidationFee", preLiquidationFee)
            v.field("toxicClose", toxicClose)
            v.field("dynamicMargin", dynamicMargin)
        }
    }
}

extension LiquidationPolicy.DynamicMargin: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("referenceVolatility", referenceVolatility)
            v.field("maxMultiplier", maxMultiplier)
        }
    }
}

extension AutoTopup: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("asset", asset)
            v.field("maxAmount", maxAmount)
            v.field("usedAmount", usedAmount)
        }
    }
}

extension LiquidationPolicy.Grace: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            switch self {
            case .fixed(let ms):
                v.key("fixed"); v.object { $0.field("ms", ms) }
            case let .volatilityScaled(probability, minMs, maxMs):
                v.key("volatilityScaled")
                v.object { w in
                    w.field("maxBreachProbability", probability)
                    w.field("minMs", minMs)
                    w.field("maxMs", maxMs)
                }
            }
        }
    }
}

extension Position: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("market", market)
            v.field("size", size)
            v.field("openNotional", openNotional)
        }
    }
}

extension LiquidationState: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            switch self {
            case .healthy: v.key("healthy"); v.object { _ in }
            case .warning: v.key("warning"); v.object { _ in }
            case .marginCall(let deadline): v.key("marginCall"); v.object { $0.field("deadlineMs", deadline) }
            case let .deleveraging(next, urgent):
                v.key("deleveraging"); v.object { $0.field("nextStepMs", next); $0.field("urgentStepMs", urgent) }
            case .liquidated: v.key("liquidated"); v.object { _ in }
            case .bankrupt: v.key("bankrupt"); v.object { _ in }
            }
        }
    }
}

extension Event: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("seq", seq)
            v.field("timestampMs", timestampMs)
            v.field("kind", kind)
        }
    }
}

extension CommandReference: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            switch self {
            case .line(let line): v.key("line"); v.object { $0.field("_0", line) }
            case .id(let id): v.key("id"); v.object { $0.field("_0", id) }
            }
        }
    }
}

extension EventKind: StateDescribable {
    /// `{"caseName": {label: value, …}}`, the labels of the case's associated values.
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            switch self {
            case let .rejected(command, code, message):
                v.key("rejected")
                v.object { $0.field("command", command); $0.field("code", code.rawValue); $0.field("message", message) }
            case let .warning(account, equity, maintenance):
                v.key("warning")
                v.object { $0.field("account", account); $0.field("equity", equity); $0.field("maintenance", maintenance) }
            case let .warningCleared(account, equity, maintenance):
                v.key("warningCleared")
                v.object { $0.field("account", account); $0.field("equity", equity); $0.field("maintenance", maintenance) }
            case let .marginCall(account, equity, maintenance, deadlineMs, graceMs, callLevel):
                v.key("marginCall")
                v.object {
                    $0.field("account", account); $0.field("equity", equity); $0.field("maintenance", maintenance)
                    $0.field("deadlineMs", deadlineMs); $0.field("graceMs", graceMs); $0.field("callLevel", callLevel)
                }
            case let .autoTopup(account, asset, amount):
                v.key("autoTopup")
                v.object { $0.field("account", account); $0.field("asset", asset); $0.field("amount", amount) }
            case let .cured(account, equity, maintenance):
                v.key("cured")
                v.object { $0.field("account", account); $0.field("equity", equity); $0.field("maintenance", maintenance) }
            case let .deleveragingStarted(account):
                v.key("deleveragingStarted")
                v.object { $0.field("account", account) }
            case let .liquidationFill(account, market, size, price, fee, reason):
                v.key("liquidationFill")
                v.object {
                    $0.field("account", account); $0.field("market", market); $0.field("size", size)
                    $0.field("price", price); $0.field("fee", fee); $0.field("reason", reason.rawValue)
                }
            case let .liquidated(account):
                v.key("liquidated")
                v.object { $0.field("account", account) }
            case let .bankrupt(account, asset, deficit, insurancePaid, adlRecovered):
                v.key("bankrupt")
                v.object {
                    $0.field("account", account); $0.field("asset", asset); $0.field("deficit", deficit)
                    $0.field("insurancePaid", insurancePaid); $0.field("adlRecovered", adlRecovered)
                }
            case let .adlFill(account, market, size, price, amount):
                v.key("adlFill")
                v.object {
                    $0.field("account", account); $0.field("market", market); $0.field("size", size)
                    $0.field("price", price); $0.field("amount", amount)
                }
            case let .optionSettled(account, option, size, settlementPrice, pnl):
                v.key("optionSettled")
                v.object {
                    $0.field("account", account); $0.field("option", option); $0.field("size", size)
                    $0.field("settlementPrice", settlementPrice); $0.field("pnl", pnl)
                }
            case let .alert(account, market, code, message):
                v.key("alert")
                v.object { $0.field("account", account); $0.field("market", market); $0.field("code", code.rawValue); $0.field("message", message) }
            }
        }
    }
}

extension AppliedCommandID: StateDescribable {
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("id", id)
            v.field("appliedMs", appliedMs)
        }
    }
}
