public import LeewayCore

/// Decodes the JSON command contract (`../shared/spec/commands.md`) into typed commands.
/// Everything that can be judged without engine state is judged here: syntax, types, decimals,
/// unknown types and fields. Nothing is ever rounded or guessed.
public enum CommandDecoder {
    /// The largest accepted line, in bytes.
    public static let maximumLineBytes = 1 << 20

    /// What one input line held.
    public enum Line: Sendable {
        /// A blank or `#` comment line.
        case skip
        case command(CommandEnvelope)
        /// Not a valid command; `id` is the command's id if it could be read.
        case invalid(WireError, id: String?)
    }

    /// Decodes one JSON Lines line (`lineNumber` is 1-based and names the command in rejections).
    public static func decodeLine(_ text: Substring, lineNumber: Int) -> Line {
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        if trimmed.isEmpty || trimmed.first == "#" || trimmed.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return .skip }
        guard text.utf8.count <= maximumLineBytes else {
            return .invalid(WireError(code: .lineTooLong, message: "line is longer than \(maximumLineBytes) bytes"), id: nil)
        }
        let value: JSONValue
        do { value = try JSONParser.parse(String(text)) } catch {
            return .invalid(WireError(code: .malformedJSON, message: "not valid JSON: \(error.description)"), id: nil)
        }
        return decode(value, lineNumber: lineNumber)
    }

    /// Decodes one parsed JSON value.
    public static func decode(_ value: JSONValue, lineNumber: Int) -> Line {
        guard case .object(let object) = value else {
            return .invalid(WireError(code: .notAnObject, message: "a command must be a JSON object, got \(value.kindDescription)"), id: nil)
        }
        var id: String?
        if case .string(let text)? = object["id"], NameRule.problem(with: text) == nil { id = text }  // a bad id is not echoed
        do {
            return .command(try decodeObject(object, lineNumber: lineNumber))
        } catch {
            return .invalid(error, id: id)
        }
    }

    static func decodeObject(_ object: JSONObject, lineNumber: Int) throws(WireError) -> CommandEnvelope {
        guard case .string(let type)? = object["type"] else {
            throw WireError(code: .missingType, message: "a command needs a \"type\" string, e.g. \"deposit\"")
        }
        var fields = FieldReader(object, context: "\"\(type)\"")
        _ = fields.value("type")
        let id = try fields.optionalString("id")
        if let id, let problem = NameRule.problem(with: id) {
            throw WireError(code: .invalidField, message: "the command id \(problem)")
        }
        let timestamp = try fields.optionalInteger("ts")
        if let timestamp, timestamp < 0 {
            throw WireError(code: .invalidField, message: "\"ts\" must be milliseconds since the Unix epoch, not negative")
        }
        guard let commandType = CommandType(rawValue: type) else {
            throw WireError(code: .unknownType, message: "unknown command type \"\(type)\"; see docs/COMMANDS.md for the list")
        }
        let command: Command
        switch commandType {
        case .asset:
            command = .asset(id: try fields.string("asset"), price: try fields.decimal("price"), weight: try fields.decimal("weight"))
        case .market:
            command = .market(id: try fields.string("market"), settleAsset: try fields.string("settle"),
                              tiers: try decodeTiers(fields.value("tiers")), liquidationFee: try fields.decimal("liquidation_fee"),
                              expectedSlippage: try fields.optionalDecimal("expected_slippage") ?? .zero,
                              oracleGuard: OracleGuard(maxMarkAgeMs: try fields.optionalInteger("max_mark_age_ms"),
                                                       maxMarkMove: try fields.optionalDecimal("max_mark_move"),
                                                       confirmMs: try fields.optionalInteger("confirm_ms")))
        case .policy:
            command = try decodePolicy(&fields)
        case .insuranceDeposit:
            command = .insuranceDeposit(amount: try fields.decimal("amount"), asset: try fields.optionalString("asset"))
        case .deposit:
            command = .deposit(account: try fields.string("account"), asset: try fields.string("asset"), amount: try fields.decimal("amount"),
                               toReserve: try decodeBalanceKind(&fields, name: "to"))
        case .withdraw:
            command = .withdraw(account: try fields.string("account"), asset: try fields.string("asset"), amount: try fields.decimal("amount"),
                                fromReserve: try decodeBalanceKind(&fields, name: "from"))
        case .protect:
            command = .protect(account: try fields.string("account"), autoTopup: try decodeAutoTopup(fields.value("auto_topup")))
        case .fill:
            command = .fill(account: try fields.string("account"), market: try fields.string("market"), size: try fields.decimal("size"),
                            price: try fields.decimal("price"), fee: try fields.optionalDecimal("fee") ?? .zero)
        case .mark:
            command = .mark(market: try fields.string("market"), price: try fields.decimal("price"))
        case .assetPrice:
            command = .assetPrice(asset: try fields.string("asset"), price: try fields.decimal("price"))
        case .funding:
            command = .funding(market: try fields.string("market"), rate: try fields.decimal("rate"))
        case .idempotency:
            let window = try fields.integer("window_ms")
            let maxIDs = try fields.integer("max_ids")
            guard let count = Int(exactly: maxIDs) else { throw WireError(code: .invalidField, message: "max_ids is out of range") }
            command = .idempotency(windowMs: window, maxIDs: count)
        case .time:
            guard timestamp != nil else { throw fields.missing("ts") }
            command = .time
        case .option:
            let id = try fields.string("option"), underlying = try fields.string("market")
            let kindName = try fields.string("kind")
            guard let kind = Black76.Kind(rawValue: kindName) else {
                throw WireError(code: .invalidField, message: "option kind must be \"call\" or \"put\", got \"\(kindName)\"")
            }
            command = .option(id: id, underlying: underlying, kind: kind, strike: try fields.decimal("strike"),
                              expiryMs: try fields.integer("expiry"), contractSize: try fields.optionalDecimal("contract_size") ?? .one)
        case .optionVol:
            command = .optionVol(option: try fields.string("option"), volatility: try fields.decimal("vol"))
        case .marginModel:
            let account = try fields.string("account"), name = try fields.string("model")
            guard let model = MarginModel(rawValue: name) else {
                throw WireError(code: .invalidField, message: "margin model must be \"standard\" or \"portfolio\", got \"\(name)\"")
            }
            command = .marginModel(account: account, model: model)
        case .portfolioParams:
            let market = try fields.string("market")
            var params = PortfolioParams.standard
            if let value = try fields.optionalDecimal("scan_range") { params.scanRange = value }
            if let value = try fields.optionalDecimal("vol_shift") { params.volShift = value }
            if let value = try fields.optionalDecimal("extreme_multiple") { params.extremeMultiple = value }
            if let value = try fields.optionalDecimal("extreme_fraction") { params.extremeFraction = value }
            if let value = try fields.optionalDecimal("im_factor") { params.imFactor = value }
            if let value = try fields.optionalDecimal("short_option_charge") { params.shortOptionCharge = value }
            params.correlation = try fields.optionalDecimal("correlation")
            command = .portfolioParams(market: market, params: params)
        }
        try fields.finish()
        return CommandEnvelope(command: command, timestampMs: timestamp, id: id, line: lineNumber)
    }

    static func decodeTiers(_ value: JSONValue?) throws(WireError) -> [MarginTier] {
        guard let value else { throw WireError(code: .missingField, message: "\"market\" needs the field \"tiers\"") }
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw WireError(code: .invalidField, message: "\"tiers\" must be a non-empty list of {\"floor\",\"imr\",\"mmr\"}")
        }
        var tiers: [MarginTier] = []
        for (position, element) in elements.enumerated() {
            guard case .object(let object) = element else {
                throw WireError(code: .invalidField, message: "tier \(position + 1) must be an object {\"floor\",\"imr\",\"mmr\"}")
            }
            var tier = FieldReader(object, context: "tier \(position + 1)")
            tiers.append(MarginTier(floor: try tier.decimal("floor"), imr: try tier.decimal("imr"), mmr: try tier.decimal("mmr")))
            try tier.finish()
        }
        return tiers
    }

    /// `"to"` / `"from"` of a deposit or withdrawal: `"collateral"` (the default) or `"reserve"`;
    /// true for the reserve.
    static func decodeBalanceKind(_ fields: inout FieldReader, name: String) throws(WireError) -> Bool {
        guard let kind = try fields.optionalString(name) else { return false }
        switch kind {
        case "collateral": return false
        case "reserve": return true
        default: throw WireError(code: .invalidField, message: "\"\(name)\" must be \"collateral\" or \"reserve\", got \"\(kind)\"")
        }
    }

    /// The `auto_topup` object of `protect` (`{"asset", "max_amount"}`), or nil (JSON null or
    /// absent) to remove the instruction.
    static func decodeAutoTopup(_ value: JSONValue?) throws(WireError) -> AutoTopupRequest? {
        guard let value, value != .null else { return nil }
        guard case .object(let object) = value else {
            throw WireError(code: .invalidField, message: "\"auto_topup\" must be an object {\"asset\", \"max_amount\"} or null")
        }
        var reader = FieldReader(object, context: "\"auto_topup\"")
        let request = AutoTopupRequest(asset: try reader.string("asset"), maxAmount: try reader.decimal("max_amount"))
        try reader.finish()
        return request
    }

    static func decodePolicy(_ fields: inout FieldReader) throws(WireError) -> Command {
        var policy = LiquidationPolicy()
        if let mode = try fields.optionalString("mode") {
            guard let parsed = LiquidationPolicy.Mode(rawValue: mode) else {
                throw WireError(code: .invalidField, message: "policy mode must be \"soft\" or \"hard\", got \"\(mode)\"")
            }
            policy.mode = parsed
        }
        if let value = try fields.optionalDecimal("warning_buffer") { policy.warningBuffer = value }
        if let value = try fields.optionalDecimal("hard_fraction") { policy.hardFraction = value }
        if let value = try fields.optionalDecimal("step_fraction") { policy.stepFraction = value }
        if let value = try fields.optionalDecimal("cure_buffer") { policy.cureBuffer = value }
        if let value = try fields.optionalInteger("cooldown_ms") { policy.cooldownMs = value }
        if let value = try fields.optionalDecimal("call_level") { policy.callLevel = value }
        policy.liquidationStepFraction = try fields.optionalDecimal("liquidation_step_fraction")
        if let value = try fields.optionalInteger("liquidation_cooldown_ms") {
            guard policy.liquidationStepFraction != nil else {
                throw WireError(code: .invalidPolicy, message: "liquidation_cooldown_ms paces the steps below MM: give liquidation_step_fraction too")
            }
            policy.liquidationCooldownMs = value
        }
        policy.preLiquidationFee = try fields.optionalDecimal("pre_liquidation_fee")
        if let value = fields.value("toxic_close"), value != .null {
            guard case .bool(let flag) = value else {
                throw WireError(code: .invalidField, message: "\"toxic_close\" must be true or false")
            }
            policy.toxicClose = flag
        }
        if let dynamic = fields.value("dynamic_margin"), dynamic != .null {
            guard case .object(let object) = dynamic else {
                throw WireError(code: .invalidField, message: "\"dynamic_margin\" must be an object {\"reference_volatility\", \"max_multiplier\"}")
            }
            var reader = FieldReader(object, context: "\"dynamic_margin\"")
            policy.dynamicMargin = .init(referenceVolatility: try reader.decimal("reference_volatility"),
                                         maxMultiplier: try reader.decimal("max_multiplier"))
            try reader.finish()
        }
        let graceMs = try fields.optionalInteger("grace_ms")
        if let graceMs { policy.grace = .fixed(ms: graceMs) }
        if let grace = fields.value("grace"), grace != .null {
            guard graceMs == nil else {
                throw WireError(code: .invalidPolicy, message: "give either \"grace_ms\" or \"grace\", not both")
            }
            guard case .object(let object) = grace else {
                throw WireError(code: .invalidField, message: "\"grace\" must be an object {\"max_breach_probability\",\"min_ms\",\"max_ms\"}")
            }
            var reader = FieldReader(object, context: "\"grace\"")
            policy.grace = .volatilityScaled(maxBreachProbability: try reader.decimal("max_breach_probability"),
                                             minMs: try reader.integer("min_ms"), maxMs: try reader.integer("max_ms"))
            try reader.finish()
        }
        let market = try fields.optionalString("market")
        let halfLife = try fields.optionalInteger("volatility_half_life_ms")
        return .policy(policy, market: market, volatilityHalfLifeMs: halfLife)
    }
}
