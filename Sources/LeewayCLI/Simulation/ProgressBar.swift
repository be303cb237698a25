import Foundation

/// A one-line progress bar on standard error, shown only when standard output is a terminal (so
/// piped and redirected output stays clean). Thread-safe: workers report completed units.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private var done = 0
    private var lastDrawn = -1
    private let lock = NSLock()

    init(total: Int, label: String) {
        self.total = Swift.max(total, 1)
        self.label = label
        enabled = isatty(STDOUT_FILENO) == 1 && total > 1
    }

    func advance(by units: Int = 1) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += units
        let percent = done * 100 / total
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)%".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
