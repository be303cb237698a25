import Foundation

/// Counts simulation runs across worker tasks: finished ones for a progress bar (`advance`), or
/// handed-out ones as a shared work queue (`take`).
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var taken = 0
    private let total: Int
    private let progress: (@Sendable (Int, Int) -> Void)?

    init(total: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.progress = progress
    }

    /// The next unit index below `total`, or nil when all are handed out.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < total else { return nil }
        taken += 1
        return taken - 1
    }

    func advance() {
        lock.lock()
        done += 1
        let now = done
        lock.unlock()
        progress?(now, total)
    }
}
