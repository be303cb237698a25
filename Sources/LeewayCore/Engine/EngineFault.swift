/// Something the engine could not carry out while acting on its own (a forced close, a
/// settlement, a lifecycle change), as opposed to a refused command. It never passes silently:
/// the engine turns it into an `alert` event with this code and message and retries the account
/// at the next command (see `Engine.raiseAlert`). Codes are listed in `AlertCode`.
struct EngineFault: Error, Sendable, Hashable {
    var code: AlertCode
    var message: String
}
