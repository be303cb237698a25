public import LeewayCore

/// Reads a snapshot `StateSnapshotWriter` wrote back into an `EngineState`.
///
/// The snapshot is read with `JSONParser`'s pull interface, not built as one `JSONValue` tree: a
/// million-account snapshot is almost all accounts, and the tree (an array and a member list per
/// account, position and lifecycle value) took most of a restart, as did reading each account
/// through `Codable` before that (8 µs an account). The accounts are read member by member in the
/// shape `Account.describe(into:)` writes (`id`, `balances`, `positions`, `reserves`, `autoTopup`,
/// `marginModel`, `liquidation`), accepting what `Account`'s `Codable` conformance accepts (a test
/// reads the same snapshot both ways); everything else in the state (assets, markets, policies,
/// ledger totals, the idempotency window: small) is taken as a tree and read through
/// `EngineState`'s `Codable` conformance by `JSONValueDecoder`.
public enum StateSnapshotReader {
    /// Why a snapshot cannot be read.
    public enum ReadError: Error, Sendable, Equatable {
        /// Its `schema_version` is not this build's (nil: it has none, written before versions).
        case unsupportedVersion(found: Int?)
        /// It is not a readable snapshot; `detail` names the place, like `accounts[12].positions[0].size`.
        case unreadable(detail: String)
    }

    /// The state in `bytes`, `{"schema_version":N,"state":{…}}`.
    public static func state(from bytes: [UInt8]) throws(ReadError) -> EngineState {
        var parser = JSONParser(pulling: bytes)
        var version: Int?
        var rest: [(key: String, value: JSONValue)] = []
        var accounts: ChunkedArray<Account>?
        var sawState = false
        do {
            var top = try parser.beginObject()
            while let key = try parser.nextKey(&top) {
                switch key {
                case "schema_version":
                    try once(version, key, "the snapshot")
                    version = Int(try parser.readNumberLiteral())
                    guard version == EngineState.schemaVersion else { throw ReadError.unsupportedVersion(found: version) }
                case "state" where version != nil:
                    guard !sawState else { throw ReadError.unreadable(detail: "the snapshot: duplicate key \"state\"") }
                    sawState = true
                    var state = try parser.beginObject()
                    while let name = try parser.nextKey(&state) {
                        guard !rest.contains(where: { $0.key == name }) else {
                            throw ReadError.unreadable(detail: "state: duplicate key \"\(name)\"")
                        }
                        if name == "accounts" {
                            accounts = try readAccounts(&parser)
                            rest.append((name, .array([])))  // `Codable` still sees the member
                        } else {
                            rest.append((name, try parser.readValue(depth: 2)))
                        }
                    }
                default:
                    _ = try parser.readValue(depth: 1)
                }
            }
            try parser.finish()
        } catch let error as ReadError {
            throw error
        } catch {
            throw .unreadable(detail: "not JSON: \(error)")
        }
        guard version == EngineState.schemaVersion else { throw .unsupportedVersion(found: version) }
        guard let accounts else { throw .unreadable(detail: "the snapshot has no \"state\" object with \"accounts\"") }
        var state: EngineState
        do { state = try JSONValueDecoder().decode(EngineState.self, from: .object(JSONObject(rest))) } catch {
            throw .unreadable(detail: "\(error)")
        }
        state.accounts = accounts
        return state
    }

    // MARK: - Accounts

    /// Refuses a member read twice (the tree parser refuses duplicate keys; the pull reader leaves it to us).
    private static func once<T>(_ value: T?, _ key: String, _ path: @autoclosure () -> String) throws(ReadError) {
        guard value == nil else { throw .unreadable(detail: "\(path()): duplicate key \"\(key)\"") }
    }

    /// Reads with `parser`, turning a syntax error into an unreadable snapshot naming `path`.
    private static func at<T>(_ path: @autoclosure () -> String, _ read: () throws(JSONSyntaxError) -> T) throws(ReadError) -> T {
        do { return try read() } catch { throw .unreadable(detail: "\(path()): \(error)") }
    }

    private static func readAccounts(_ parser: inout JSONParser) throws(ReadError) -> ChunkedArray<Account> {
        var accounts = ChunkedArray<Account>()
        var cursor = try at("accounts") { () throws(JSONSyntaxError) in try parser.beginArray() }
        while try at("accounts[\(accounts.count)]", { () throws(JSONSyntaxError) in try parser.nextElement(&cursor) }) {
            accounts.append(try readAccount(&parser, path: "accounts[\(accounts.count)]"))
        }
        return accounts
    }

    private static func readAccount(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> Account {
        var id: String?, balances: [Fixed]?, positions: [Position]?, reserves: [Fixed]?
        var autoTopup: AutoTopup??, marginModel: MarginModel?, liquidation: LiquidationState?
        var cursor = try at(path()) { () throws(JSONSyntaxError) in try parser.beginObject() }
        while let key = try at(path(), { () throws(JSONSyntaxError) in try parser.nextKey(&cursor) }) {
            switch key {
            case "id":
                try once(id, key, path())
                id = try at("\(path()).id") { () throws(JSONSyntaxError) in try parser.readString() }
            case "balances":
                try once(balances, key, path())
                balances = try readAmounts(&parser, path: "\(path()).balances")
            case "positions":
                try once(positions, key, path())
                positions = try readPositions(&parser, path: "\(path()).positions")
            case "reserves":
                try once(reserves, key, path())
                reserves = try readAmounts(&parser, path: "\(path()).reserves")
            case "autoTopup":
                try once(autoTopup, key, path())
                if try at("\(path()).autoTopup", { () throws(JSONSyntaxError) in try parser.readNull() }) {
                    autoTopup = .some(nil)
                } else {
                    autoTopup = .some(try readAutoTopup(&parser, path: "\(path()).autoTopup"))
                }
            case "marginModel":
                try once(marginModel, key, path())
                let name = try at("\(path()).marginModel") { () throws(JSONSyntaxError) in try parser.readString() }
                guard let model = MarginModel(rawValue: name) else { throw .unreadable(detail: "\(path()).marginModel: unknown margin model \"\(name)\"") }
                marginModel = model
            case "liquidation":
                try once(liquidation, key, path())
                liquidation = try readLiquidation(&parser, path: "\(path()).liquidation")
            default:  // as `Codable` does: a member this build does not know is skipped
                _ = try at("\(path()).\(key)") { () throws(JSONSyntaxError) in try parser.readValue(depth: 3) }
            }
        }
        func required<T>(_ value: T?, _ name: String) throws(ReadError) -> T {
            guard let value else { throw .unreadable(detail: "\(path()): the member \"\(name)\" is missing") }
            return value
        }
        return Account(restoringID: try required(id, "id"), balances: try required(balances, "balances"),
                       positions: try required(positions, "positions"), reserves: try required(reserves, "reserves"),
                       autoTopup: autoTopup ?? nil, marginModel: try required(marginModel, "marginModel"),
                       liquidation: try required(liquidation, "liquidation"))
    }

    private static func readPositions(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> [Position] {
        var positions: [Position] = []
        var cursor = try at(path()) { () throws(JSONSyntaxError) in try parser.beginArray() }
        while try at(path(), { () throws(JSONSyntaxError) in try parser.nextElement(&cursor) }) {
            let position = positions.count
            func here() -> String { "\(path())[\(position)]" }
            var market: Int?, size: Fixed?, openNotional: Fixed?
            var members = try at(here()) { () throws(JSONSyntaxError) in try parser.beginObject() }
            while let key = try at(here(), { () throws(JSONSyntaxError) in try parser.nextKey(&members) }) {
                switch key {
                case "market": try once(market, key, here()); market = try readInteger(&parser, path: "\(here()).market")
                case "size": try once(size, key, here()); size = try readAmount(&parser, path: "\(here()).size")
                case "openNotional": try once(openNotional, key, here()); openNotional = try readAmount(&parser, path: "\(here()).openNotional")
                default: _ = try at("\(here()).\(key)") { () throws(JSONSyntaxError) in try parser.readValue(depth: 5) }
                }
            }
            guard let market, let size, let openNotional else {
                throw .unreadable(detail: "\(here()): a position needs \"market\", \"size\" and \"openNotional\"")
            }
            positions.append(Position(market: market, size: size, openNotional: openNotional))
        }
        return positions
    }

    private static func readAutoTopup(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> AutoTopup {
        var asset: Int?, maxAmount: Fixed?, usedAmount: Fixed?
        var members = try at(path()) { () throws(JSONSyntaxError) in try parser.beginObject() }
        while let key = try at(path(), { () throws(JSONSyntaxError) in try parser.nextKey(&members) }) {
            switch key {
            case "asset": try once(asset, key, path()); asset = try readInteger(&parser, path: "\(path()).asset")
            case "maxAmount": try once(maxAmount, key, path()); maxAmount = try readAmount(&parser, path: "\(path()).maxAmount")
            case "usedAmount": try once(usedAmount, key, path()); usedAmount = try readAmount(&parser, path: "\(path()).usedAmount")
            default: _ = try at("\(path()).\(key)") { () throws(JSONSyntaxError) in try parser.readValue(depth: 4) }
            }
        }
        guard let asset, let maxAmount, let usedAmount else {
            throw .unreadable(detail: "\(path()): an auto top-up needs \"asset\", \"maxAmount\" and \"usedAmount\"")
        }
        return AutoTopup(asset: asset, maxAmount: maxAmount, usedAmount: usedAmount)
    }

    /// `{"case": {label: value, …}}`, as `LiquidationState.describe(into:)` writes it.
    private static func readLiquidation(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> LiquidationState {
        var outer = try at(path()) { () throws(JSONSyntaxError) in try parser.beginObject() }
        guard let name = try at(path(), { () throws(JSONSyntaxError) in try parser.nextKey(&outer) }) else {
            throw .unreadable(detail: "\(path()): expected the lifecycle case, found an empty object")
        }
        var times: [String: Int64] = [:]
        var inner = try at("\(path()).\(name)") { () throws(JSONSyntaxError) in try parser.beginObject() }
        while let label = try at("\(path()).\(name)", { () throws(JSONSyntaxError) in try parser.nextKey(&inner) }) {
            try once(times[label], label, "\(path()).\(name)")
            times[label] = Int64(try readInteger(&parser, path: "\(path()).\(name).\(label)"))
        }
        guard try at(path(), { () throws(JSONSyntaxError) in try parser.nextKey(&outer) }) == nil else {
            throw .unreadable(detail: "\(path()): expected exactly one lifecycle case")
        }
        func time(_ label: String) throws(ReadError) -> Int64 {
            guard let value = times[label] else { throw .unreadable(detail: "\(path()).\(name): the member \"\(label)\" is missing") }
            return value
        }
        switch name {
        case "healthy": return .healthy
        case "warning": return .warning
        case "marginCall": return .marginCall(deadlineMs: try time("deadlineMs"))
        case "deleveraging": return .deleveraging(nextStepMs: try time("nextStepMs"), urgentStepMs: try time("urgentStepMs"))
        case "liquidated": return .liquidated
        case "bankrupt": return .bankrupt
        default: throw .unreadable(detail: "\(path()): unknown lifecycle case \"\(name)\"")
        }
    }

    /// An integer that fits `Int` (market and asset indexes, times in ms).
    private static func readInteger(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> Int {
        let literal = try at(path()) { () throws(JSONSyntaxError) in try parser.readNumberLiteral() }
        guard let number = Int(literal) else { throw .unreadable(detail: "\(path()): expected an integer, found \(literal)") }
        return number
    }

    /// An amount: an exact decimal string (`Fixed`'s text form).
    private static func readAmount(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> Fixed {
        let text = try at(path()) { () throws(JSONSyntaxError) in try parser.readString() }
        do { return try Fixed(parsing: text) } catch { throw .unreadable(detail: "\(path()): \(error.message)") }
    }

    private static func readAmounts(_ parser: inout JSONParser, path: @autoclosure () -> String) throws(ReadError) -> [Fixed] {
        var amounts: [Fixed] = []
        var cursor = try at(path()) { () throws(JSONSyntaxError) in try parser.beginArray() }
        while try at(path(), { () throws(JSONSyntaxError) in try parser.nextElement(&cursor) }) {
            amounts.append(try readAmount(&parser, path: "\(path())[\(amounts.count)]"))
        }
        return amounts
    }
}
