import LeewayWire

/// One line of `leeway bands replay --exact`: the same JSON operations as `BandsOperation`, with every
/// decimal read exactly into wei (`WeiDecimal`) and every `ts` in whole seconds (the contract's
/// `block.timestamp`), so nothing passes through binary64.
public enum ExactBandsOperation: Sendable, Equatable {
    /// With `loan_discount` and `liquidation_discount`, the Controller of the replay's version is deployed beside the AMM.
    case createAMM(a: Int, basePrice: UInt256, fee: UInt256, adminFee: UInt256, oraclePrice: UInt256, time: UInt256,
                   loanDiscount: UInt256?, liquidationDiscount: UInt256?)
    case deposit(user: String, amount: UInt256, n1: Int, n2: Int, time: UInt256?)
    case oracle(price: UInt256, time: UInt256?)
    case exchange(i: Int, j: Int, amount: UInt256, time: UInt256?)
    case withdraw(user: String, fraction: UInt256, time: UInt256?)
    case amountForPrice(price: UInt256, time: UInt256?)
    case rate(rate: UInt256, time: UInt256?)
    case createLoan(user: String, collateral: UInt256, debt: UInt256, bands: Int, time: UInt256?)
    case repay(user: String, amount: UInt256, time: UInt256?)
    case liquidate(user: String, fraction: UInt256, time: UInt256?)

    /// Decodes one JSON object line.
    public static func decode(_ line: String) throws(BandsError) -> ExactBandsOperation {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw BandsError("bands.malformed_json", "the line is not valid JSON: \(error.description).")
        }
        guard case .object(let object) = value else { throw BandsError("bands.malformed_operation", "each line must be a JSON object with an \"op\" field.") }
        return try decode(object: object)
    }

    /// Decodes one operation object.
    public static func decode(object: JSONObject) throws(BandsError) -> ExactBandsOperation {
        let fields = BandsOperation.Fields(object: object)
        let op = try fields.string("op")
        switch op {
        case "amm":
            guard let time = try fields.seconds("ts") else { throw fields.missing("ts") }
            return .createAMM(a: try fields.int("A"), basePrice: try fields.wei("base_price"), fee: try fields.wei("fee"),
                              adminFee: try fields.optionalWei("admin_fee") ?? .zero, oraclePrice: try fields.wei("oracle_price"), time: time,
                              loanDiscount: try fields.optionalWei("loan_discount"), liquidationDiscount: try fields.optionalWei("liquidation_discount"))
        case "deposit":
            return .deposit(user: try fields.string("user"), amount: try fields.wei("amount"), n1: try fields.int("n1"), n2: try fields.int("n2"), time: try fields.seconds("ts"))
        case "oracle":
            return .oracle(price: try fields.wei("price"), time: try fields.seconds("ts"))
        case "exchange":
            return .exchange(i: try fields.int("i"), j: try fields.int("j"), amount: try fields.wei("amount"), time: try fields.seconds("ts"))
        case "withdraw":
            return .withdraw(user: try fields.string("user"), fraction: try fields.wei("frac"), time: try fields.seconds("ts"))
        case "amount_for_price":
            return .amountForPrice(price: try fields.wei("price"), time: try fields.seconds("ts"))
        case "rate":
            return .rate(rate: try fields.wei("rate"), time: try fields.seconds("ts"))
        case "create_loan":
            return .createLoan(user: try fields.string("user"), collateral: try fields.wei("collateral"), debt: try fields.wei("debt"),
                               bands: try fields.int("n"), time: try fields.seconds("ts"))
        case "repay":
            return .repay(user: try fields.string("user"), amount: try fields.wei("amount"), time: try fields.seconds("ts"))
        case "liquidate":
            return .liquidate(user: try fields.string("user"), fraction: try fields.optionalWei("frac") ?? .wad, time: try fields.seconds("ts"))
        default:
            throw BandsError("bands.unknown_operation", "unknown op \"\(op)\"; exact mode knows amm, deposit, oracle, exchange, withdraw, amount_for_price, rate, create_loan, repay and liquidate.")
        }
    }
}

extension BandsOperation.Fields {
    /// A decimal field (string or number literal) read exactly as wei.
    func optionalWei(_ key: String) throws(BandsError) -> UInt256? {
        guard let value = object[key] else { return nil }
        switch value {
        case .string(let text), .number(let text): return try WeiDecimal.parse(text, field: key)
        default: throw BandsError("bands.invalid_field", "\"\(key)\" must be a decimal (string or number); got \(value.kindDescription).")
        }
    }

    func wei(_ key: String) throws(BandsError) -> UInt256 {
        guard let value = try optionalWei(key) else { throw missing(key) }
        return value
    }

    /// `ts` (ms) as whole seconds: the contract's clock has no milliseconds.
    func seconds(_ key: String) throws(BandsError) -> UInt256? {
        guard let ms = try optionalInt64(key) else { return nil }
        guard ms >= 0, ms % 1000 == 0 else {
            throw BandsError("bands.invalid_time", "\"\(key)\" is \(ms) ms: in exact mode it must be a non-negative whole number of seconds (a multiple of 1000 ms), as block.timestamp.")
        }
        return UInt256(UInt64(ms / 1000))
    }
}
