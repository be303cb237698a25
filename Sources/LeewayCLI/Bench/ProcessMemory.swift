import Foundation

/// This process's memory as Linux reports it in /proc/self/status (bytes; nil elsewhere).
enum ProcessMemory {
    /// Resident set size now (VmRSS).
    static var residentBytes: Int? { field("VmRSS:") }
    /// Peak resident set size so far (VmHWM).
    static var peakResidentBytes: Int? { field("VmHWM:") }

    private static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let kibibytes = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return kibibytes.map { $0 * 1024 }
        }
        return nil
    }
}
