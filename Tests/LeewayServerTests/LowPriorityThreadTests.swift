import Foundation
@testable import LeewayServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Background work at a lower priority")
struct LowPriorityThreadTests {
    struct Refused: Error, Equatable {}

    @Test("the work runs on a thread of its own at the lower priority, and its result comes back")
    func runsLowered() async throws {
        let callerNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let (nice, result) = try await LowPriorityThread.run {
            (getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), (1...10).reduce(0, +))
        }
        // (A runner already niced below that, without the right to raise it, keeps its own.)
        #expect(nice == LowPriorityThread.niceness || (callerNice > LowPriorityThread.niceness && nice == callerNice))
        #expect(result == 55)
        // The caller's own priority is unchanged (Linux: the nice value is per thread).
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == callerNice)
    }

    @Test("an error thrown by the work reaches the caller")
    func errorsReachTheCaller() async {
        await #expect(throws: Refused.self) {
            try await LowPriorityThread.run { () throws -> Int in throw Refused() }
        }
    }
}
