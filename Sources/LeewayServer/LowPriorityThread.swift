import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs background work (a snapshot's encode, digest and write) on a thread of its own at a
/// lower scheduling priority, so that on a busy machine the cores go to the commands first.
///
/// Measured at 10k single commands/s on 100k accounts (BENCHMARKS.md, "Single commands at 10k/s"):
/// with snapshots at normal priority their encode competed with the HTTP path for the two cores
/// and the acknowledgement p99 was 62–133 ms (7–8 ms with snapshots off); at nice 10, 12–62 ms.
/// Nice `niceness` (on Linux a per-thread value) gives the thread about a tenth of a contended
/// core; it still gets every idle cycle, so on a quiet server a snapshot takes as long as before,
/// and under saturation it slows down rather than stops (the snapshot budget, measured in wall
/// time, then spaces snapshots further apart).
enum LowPriorityThread {
    /// The thread's nice value (0 normal … 19 lowest).
    static let niceness: Int32 = 10

    /// Runs `body` on a new thread at `niceness` and returns what it returns (or throws what it throws).
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            Thread {
                lowerPriority()
                continuation.resume(with: Result { try body() })
            }.start()
        }
    }

    /// Lowers the calling thread's priority (a hint: if the system refuses, the work runs as before).
    private static func lowerPriority() {
        #if os(Linux)
        // On Linux the nice value is per thread, and `who` 0 names the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
