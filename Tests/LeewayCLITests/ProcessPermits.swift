import Foundation

/// A counting semaphore for tasks: `acquire` suspends (it never blocks a thread) until a permit is
/// free.
actor ProcessPermits {
    static let shared = ProcessPermits(count: Swift.max(2, ProcessInfo.processInfo.activeProcessorCount))

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { available = count }

    func acquire() async {
        guard available == 0 else {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
