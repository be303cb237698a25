import LeewayWire

/// One line of a `leeway bands replay` file, decoded and checked for shape (values are checked by
/// the AMM when applied). Decimals may be JSON strings (preferred, exact text) or numbers; `ts` is ms.
public enum BandsOperation: Sendable, Equatable {
    case createAMM(a: Int, basePrice: Double, fee: Double, oraclePrice: Double, timeMs: Int64, loanDiscount: Double?, liquidationDiscount: Double?)
    case deposit(user: String, amount: Double, n1: Int, n2: Int, timeMs: Int64?)
    case oracle(price: Double, timeMs: Int64?)
    case exchange(i: Int, j: Int, amount: Double, timeMs: Int64?)
    case withdraw(user: String, fraction: Double, timeMs: Int64?)
    case amountForPrice(price: Double, timeMs: Int64?)
    case rate(rate: Double, timeMs: Int64?)
    case createLoan(user: String, collateral: Double, debt: Double, bands: Int, timeMs: Int64?)
    case liquidate(user: String, fraction: Double, timeMs: Int64?)

    /// Decodes one JSON object line.
    public static func decode(_ line: String) throws(BandsError) -> BandsOperation {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw BandsError("bands.malformed_json", "the line is not valid JSON: \(error.description).")
        }
        guard case .object(let object) = value else { throw BandsError("bands.malformed_operation", "each line must be a JSON object with an \"op\" field.") }
        return try decode(object: object)
    }

    /// Decodes one operation object.
    public static func decode(object: JSONObject) throws(BandsError) -> BandsOperation {
        let fields = Fields(object: object)
        let op = try fields.string("op")
        switch op {
        case "amm":
            return .createAMM(a: try fields.int("A"), basePrice: try fields.decimal("base_price"), fee: try fields.decimal("fee"),
                              oraclePrice: try fields.decimal("oracle_price"), timeMs: try fields.int64("ts"),
                              loanDiscount: try fields.optionalDecimal("loan_discount"), liquidationDiscount: try fields.optionalDecimal("liquidation_discount"))
        case "deposit":
            return .deposit(user: try fields.string("user"), amount: try fields.decimal("amount"), n1: try fields.int("n1"), n2: try fields.int("n2"), timeMs: try fields.optionalInt64("ts"))
        case "oracle":
            return .oracle(price: try fields.decimal("price"), timeMs: try fields.optionalInt64("ts"))
        case "exchange":
            return .exchange(i: try fields.int("i"), j: try fields.int("j"), amount: try fields.decimal("amount"), timeMs: try fields.optionalInt64("ts"))
        case "withdraw":
            return .withdraw(user: try fields.string("user"), fraction: try fields.decimal("frac"), timeMs: try fields.optionalInt64("ts"))
        case "amount_for_price":
            return .amountForPrice(price: try fields.decimal("price"), timeMs: try fields.optionalInt64("ts"))
        case "rate":
            return .rate(rate: try fields.decimal("rate"), timeMs: try fields.optionalInt64("ts"))
        case "create_loan":
            return .createLoan(user: try fields.string("user"), collateral: try fields.decimal("collateral"), debt: try fields.decimal("debt"),
                               bands: try fields.int("n"), timeMs: try fields.optionalInt64("ts"))
        case "liquidate":
            return .liquidate(user: try fields.string("user"), fraction: try fields.optionalDecimal("frac") ?? 1, timeMs: try fields.optionalInt64("ts"))
        default:
            throw BandsError("bands.unknown_operation", "unknown op \"\(op)\"; use amm, deposit, oracle, exchange, withdraw, amount_for_price, rate, create_loan or liquidate.")
        }
    }

    /// Typed access to an operation's fields with clear errors.
    struct Fields {
        let object: JSONObject

        func string(_ key: String) throws(BandsError) -> String {
            guard let value = object[key] else { throw missing(key) }
            guard case .string(let text) = value else { throw BandsError("bands.invalid_field", "\"\(key)\" must be a string; got \(value.kindDescription).") }
            return text
        }

        func optionalDecimal(_ key: String) throws(BandsError) -> Double? {
            guard let value = object[key] else { return nil }
            let text: String
            switch value {
            case .string(let s): text = s
            case .number(let s): text = s
            default: throw BandsError("bands.invalid_field", "\"\(key)\" must be a decimal (string or number); got \(value.kindDescription).")
            }
            guard let number = Double(text), number.isFinite else { throw BandsError("bands.invalid_field", "\"\(key)\" is not a finite decimal: \"\(text)\".") }
            return number
        }

        func decimal(_ key: String) throws(BandsError) -> Double {
            guard let value = try optionalDecimal(key) else { throw missing(key) }
            return value
        }

        func optionalInt64(_ key: String) throws(BandsError) -> Int64? {
            guard let value = object[key] else { return nil }
            guard case .number(let text) = value, let number = Int64(text) else {
                throw BandsError("bands.invalid_field", "\"\(key)\" must be an integer; got \(value.kindDescription == "a number" ? "a non-integer number" : value.kindDescription).")
            }
            return number
        }

        func int64(_ key: String) throws(BandsError) -> Int64 {
            guard let value = try optionalInt64(key) else { throw missing(key) }
            return value
        }

        func int(_ key: String) throws(BandsError) -> Int {
            let value = try int64(key)
            guard let small = Int(exactly: value), abs(small) < 1 << 40 else { throw BandsError("bands.invalid_field", "\"\(key)\" is out of range: \(value).") }
            return small
        }

        func missing(_ key: String) -> BandsError { BandsError("bands.missing_field", "the operation needs a \"\(key)\" field.") }
    }
}
