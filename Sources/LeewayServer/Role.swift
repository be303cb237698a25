public import LeewayCore

/// What an API key may do.
public enum Role: String, Sendable, CaseIterable, Equatable {
    /// Everything.
    case admin
    /// Prices and time: `mark`, `asset_price`, `time`; reads.
    case oracle
    /// Trading flow: `fill`, `deposit`, `withdraw`, `funding`, `protect`; reads.
    case venue
    /// Reads and streams its own accounts only.
    case trader
    /// Reads everything, writes nothing.
    case reader

    /// Whether this role may submit a command of this type.
    public func maySubmit(_ type: CommandType) -> Bool {
        switch self {
        case .admin: return true
        case .oracle: return [.mark, .assetPrice, .time].contains(type)
        case .venue: return [.fill, .deposit, .withdraw, .funding, .protect].contains(type)
        case .trader, .reader: return false
        }
    }
}
