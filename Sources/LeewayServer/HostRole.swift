/// What an `EngineHost` does with the journal: lead it (apply commands, journal them, answer), or
/// follow the one another server leads (apply what it committed, serve reads, refuse commands).
public enum HostRole: Sendable, Equatable {
    case leading
    /// `leader` names the server that leads (from its lease), when known.
    case following(leader: String?)

    /// "leader" or "follower", as `/healthz` and `/v1/status` say it.
    public var name: String {
        switch self {
        case .leading: return "leader"
        case .following: return "follower"
        }
    }
}
