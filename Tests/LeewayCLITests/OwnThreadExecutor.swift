import Dispatch

/// A task executor whose jobs run one at a time on a serial Dispatch queue: an overcommit queue,
/// which gets a thread even while the cooperative pool's are all busy.
final class OwnThreadExecutor: TaskExecutor {
    /// The executor of the test running, for its unstructured tasks (`Task(executorPreference:)`),
    /// which do not inherit the preference.
    @TaskLocal static var current: OwnThreadExecutor?

    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
