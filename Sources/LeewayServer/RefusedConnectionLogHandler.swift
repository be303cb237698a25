import Logging

/// Passes log records on unchanged, except that once `refused` is set (the connection was
/// answered and closed by `FirstRequestGuard`) errors and warnings become debug records: the
/// upgrade that never happened is not a server error.
struct RefusedConnectionLogHandler: LogHandler {
    var wrapped: any LogHandler
    let refused: FirstRequestGuard.Flag

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if refused.isSet, event.level > .info {
            guard Logger.Level.debug >= wrapped.logLevel else { return }
            event.level = .debug
        }
        wrapped.log(event: event)
    }
}
