import Dispatch
import LeewayCore
import Synchronization

/// A state digest computed on another thread, so that start-up and `verify` check a snapshot
/// while they go on replaying (at a million accounts one digest takes most of a second).
///
/// It holds its own copy of the state (the replay's later writes copy what they change); `value`
/// waits for the digest.
final class BackgroundDigest: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<StateDigest?>(nil)

    init(of state: EngineState) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let digest = StateDigest(of: state)
            self.result.withLock { $0 = digest }
            self.done.signal()
        }
    }

    /// The digest, once computed (waits for it the first time).
    var value: StateDigest {
        done.wait()
        done.signal()  // a later read does not wait again
        let digest: StateDigest? = result.withLock { $0 }
        guard let digest else { preconditionFailure("the digest is set before the semaphore is signalled") }
        return digest
    }
}
