import Foundation

/// What a worker's threads share: whether to stop, and why it failed (the first failure).
final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var firstFailure: String?

    var isStopped: Bool { lock.withLock { stopped } }
    var failure: String? { lock.withLock { firstFailure } }

    func stop() { lock.withLock { stopped = true } }

    /// Records the failure (if it is the first) and stops every loop.
    func fail(_ reason: String) {
        lock.withLock {
            if firstFailure == nil { firstFailure = reason }
            stopped = true
        }
    }

    /// Counts finished threads down; `finishOne` is true for the last.
    final class Countdown: @unchecked Sendable {
        private let lock = NSLock()
        private var left: Int
        init(_ count: Int) { left = count }
        func finishOne() -> Bool { lock.withLock { left -= 1; return left == 0 } }
    }
}
