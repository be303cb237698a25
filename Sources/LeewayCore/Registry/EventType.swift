/// Every event type the engine emits, by its wire name (the registry `docs/COMMANDS.md` and the
/// OpenAPI document are checked against).
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case rejected
    case warning
    case warningCleared = "warning_cleared"
    case marginCall = "margin_call"
    case cured
    case deleveragingStarted = "deleveraging_started"
    case liquidationFill = "liquidation_fill"
    case liquidated
    case bankrupt
    case adlFill = "adl_fill"
    case autoTopup = "auto_topup"
    case alert
    case optionSettled = "option_settled"
}
