import Testing

/// Runs each test of a suite on a thread of its own instead of Swift's cooperative pool.
///
/// The pool has one thread per core (two on CI), and the whole test binary shares it: while two
/// CPU-bound tests hold both threads (a simulation, a bench, a synchronous wait for a child
/// process), every other task waits, a readiness poll too. A clean-clone CI run failed that way:
/// `leeway serve` was listening within a second, and the test that started it did not get a
/// thread to ask it for 30 s. Tests that run child processes against deadlines (readiness, "a
/// standby leads within 5 s") and tests that block waiting for a child take this trait, so that
/// they neither starve nor starve the others.
///
/// At most `ProcessPermits.shared`'s count of them run at once (as many as the cores): off the pool
/// they would all start together, and their child processes (simulations, tunes, servers) then
/// took the cores from each other, so that a standby under test took 11 s to lead.
struct OwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        await ProcessPermits.shared.acquire()
        let executor = OwnThreadExecutor(label: "leeway-test: \(test.name)")
        do {
            try await OwnThreadExecutor.$current.withValue(executor) {
                try await withTaskExecutorPreference(executor) { try await function() }
            }
        } catch {
            await ProcessPermits.shared.release()
            throw error
        }
        await ProcessPermits.shared.release()
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Each test runs on its own thread, off the cooperative pool (`OwnThreadTrait`).
    static var ownThread: Self { Self() }
}
