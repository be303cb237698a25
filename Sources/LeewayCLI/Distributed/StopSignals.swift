import Dispatch
import Foundation

/// SIGTERM and SIGINT turned into a handler that runs once on a queue of its own (the process's
/// threads may all be busy in simulations or blocked on the database), after which the process
/// exits with 128 + the signal's number, as a shell reports a process killed by it. Used by
/// `leeway worker` (give back the units it holds) and the coordinator of `stress|tune --postgres`
/// (remove its job, so no worker goes on computing units nobody will merge).
final class StopSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "leeway.stop-signals")
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var handled = false

    /// Installs the handler; it gets the signal's name.
    init(_ handler: @escaping @Sendable (String) -> Void) {
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                guard lock.withLock({ defer { handled = true }; return !handled }) else { return }
                handler(name)
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Back to the default actions (the work is done: a signal now just ends the process).
    func remove() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
