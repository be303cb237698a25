public import LeewayCore

/// Encodes events as the contract's JSON lines: `seq`, `ts`, `type`, then the event's fields,
/// amounts as decimal strings.
public enum EventEncoder {
    public static func encode(_ event: Event) -> String {
        var writer = JSONWriter()
        encode(event, into: &writer)
        return writer.text
    }

    public static func encode(_ event: Event, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("seq", event.seq)
        writer.field("ts", event.timestampMs)
        writer.field("type", event.kind.typeName)
        switch event.kind {
        case let .rejected(command, code, message):
            writer.key("command")
            switch command {
            case .line(let line): writer.int(line)
            case .id(let id): writer.string(id)
            }
            writer.field("code", code.rawValue)
            writer.field("message", message)
        case let .warning(account, equity, maintenance), let .warningCleared(account, equity, maintenance),
             let .cured(account, equity, maintenance):
            writer.field("account", account)
            writer.field("equity", equity.description)
            writer.field("maintenance", maintenance.description)
        case let .marginCall(account, equity, maintenance, deadlineMs, graceMs, callLevel):
            writer.field("account", account)
            writer.field("equity", equity.description)
            writer.field("maintenance", maintenance.description)
            writer.field("deadline", deadlineMs)
            writer.field("grace_ms", graceMs)
            if let callLevel { writer.field("call_level", callLevel.description) }
        case let .autoTopup(account, asset, amount):
            writer.field("account", account)
            writer.field("asset", asset)
            writer.field("amount", amount.description)
        case let .deleveragingStarted(account), let .liquidated(account):
            writer.field("account", account)
        case let .liquidationFill(account, market, size, price, fee, reason):
            writer.field("account", account)
            writer.field("market", market)
            writer.field("size", size.description)
            writer.field("price", price.description)
            writer.field("fee", fee.description)
            writer.field("reason", reason.rawValue)
        case let .bankrupt(account, asset, deficit, insurancePaid, adlRecovered):
            writer.field("account", account)
            writer.field("asset", asset)
            writer.field("deficit", deficit.description)
            writer.field("insurance_paid", insurancePaid.description)
            writer.field("adl_recovered", adlRecovered.description)
        case let .adlFill(account, market, size, price, amount):
            writer.field("account", account)
            writer.field("market", market)
            writer.field("size", size.description)
            writer.field("price", price.description)
            writer.field("amount", amount.description)
        case let .optionSettled(account, option, size, settlementPrice, pnl):
            writer.field("account", account)
            writer.field("option", option)
            writer.field("size", size.description)
            writer.field("settlement_price", settlementPrice.description)
            writer.field("pnl", pnl.description)
        case let .alert(account, market, code, message):
            writer.key("account"); if let account { writer.string(account) } else { writer.null() }
            if let market { writer.field("market", market) }
            writer.field("code", code.rawValue)
            writer.field("message", message)
        }
        writer.endObject()
    }
}
