import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a data directory, held for the life of the process that serves it: two
/// servers writing one journal would fork it. `flock` on `DIR/lock`, which also records the
/// holder's process id so a refused start can name it. The kernel drops the lock when the holder
/// exits, however it exits (kill -9 included), so a stale lock file never blocks a restart.
public final class DataDirectoryLock: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock or throws `DataDirectoryLock.Busy` naming the process that holds it.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("lock")
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Busy(directory: directory, detail: "cannot open \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw Busy(directory: directory, detail: holder.isEmpty ? "another process holds its lock" : "process \(holder) holds its lock")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }

    public struct Busy: Error, CustomStringConvertible {
        public var directory: String
        public var detail: String
        public var description: String {
            "the data directory \(directory) is in use (\(detail)); stop that leeway serve or use another --data"
        }
    }
}
