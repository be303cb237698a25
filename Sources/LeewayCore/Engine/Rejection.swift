/// Why a command was refused: a stable snake_case code and one sentence a person can act on.
/// A rejected command changes nothing.
public struct Rejection: Error, Sendable, Hashable {
    public let code: RejectionCode
    public let message: String

    public init(code: RejectionCode, message: String) {
        self.code = code
        self.message = message
    }

    static func unknownAccount(_ id: String) -> Rejection {
        Rejection(code: .unknownAccount, message: "account \"\(id)\" does not exist; deposit into it first")
    }
    static func unknownMarket(_ id: String) -> Rejection {
        Rejection(code: .unknownMarket, message: "market \"\(id)\" is not defined; send a market command first")
    }
    static func unknownAsset(_ id: String) -> Rejection {
        Rejection(code: .unknownAsset, message: "asset \"\(id)\" is not defined; send an asset command first")
    }
    static func noMarkPrice(_ id: String) -> Rejection {
        Rejection(code: .noMarkPrice, message: "market \"\(id)\" has no mark price yet; send a mark command first")
    }
    static func notPositive(_ field: String) -> Rejection {
        Rejection(code: .notPositive, message: "\(field) must be greater than zero")
    }
    static func optionExpired(_ id: String) -> Rejection {
        Rejection(code: .optionExpired, message: "option \"\(id)\" has expired (it settles, or has settled, in cash); it can no longer be traded or repriced")
    }
    static func overflow(_ context: String) -> Rejection {
        Rejection(code: .arithmeticOverflow, message: "\(context) would exceed the engine's range of ±92233720368.54775807")
    }
}
