import Foundation

/// Buffered standard output: lines are collected and written in large blocks.
struct StandardOutput {
    private var buffer = ""
    private let flushBytes = 1 << 16

    init() { buffer.reserveCapacity(flushBytes + 4096) }

    mutating func line(_ text: String) {
        buffer.append(text)
        buffer.append("\n")
        if buffer.utf8.count >= flushBytes { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }
}
