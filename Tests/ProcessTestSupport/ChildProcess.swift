import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process for the tests, started with `posix_spawn` and waited for with `waitpid`.
///
/// Not Foundation's `Process`: on the toolchain we build with (swift-corelibs-foundation of Swift
/// 6.3), `Process.run()` scans `/proc/self/fd` to close every inherited descriptor, copying each
/// `dirent` whole, which reads past glibc's readdir buffer and crashes the process (SIGSEGV in
/// `memcpy`) when the last entry ends at a page boundary. The test binary holds over a thousand
/// descriptors at its peak (dozens of in-process servers' SQLite journals), and a local run of the
/// suite crashed there. This spawn closes the inherited descriptors with glibc's
/// `posix_spawn_file_actions_addclosefrom_np` instead, in the child, with no scan; its own pipes
/// are close-on-exec, so that no other child inherits them and holds them open.
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe whose other end this object holds (`input`, `output` or `errors`).
        case pipe
        /// A file, created or truncated.
        case file(URL)
        /// Standard error only: wherever standard output goes.
        case sameAsOutput
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let processIdentifier: pid_t
    public let executable: URL
    public let arguments: [String]
    /// The writing end of the child's standard input, when it is `.pipe`.
    public let input: FileHandle?
    /// The reading ends of its standard output and error, when they are `.pipe`.
    public let output: FileHandle?
    public let errors: FileHandle?

    private let lock = NSLock()
    private var exitStatus: Int32?

    public init(_ executable: URL, _ arguments: [String], currentDirectory: URL? = nil,
                standardInput: Stream = .null, standardOutput: Stream = .null, standardError: Stream = .null) throws {
        self.executable = executable
        self.arguments = arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Descriptors of this side to close once the child has its copies.
        var parentCloses: [Int32] = []
        defer { for descriptor in parentCloses { close(descriptor) } }
        var ends: [FileHandle?] = [nil, nil, nil]
        for (target, stream) in [standardInput, standardOutput, standardError].enumerated() {
            let childEnd: Int32
            switch stream {
            case .sameAsOutput:
                guard target == 2 else { throw Failure(description: ".sameAsOutput is for standard error only") }
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                continue
            case .null:
                childEnd = open("/dev/null", (target == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC)
            case .file(let url):
                childEnd = open(url.path, (target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC) | O_CLOEXEC, 0o644)
            case .pipe:
                var pair: [Int32] = [-1, -1]
                // Close-on-exec at once (`pipe2` is not imported; every spawn here closes what it
                // inherits anyway, so the moment between the two calls does not leak it).
                guard pipe(&pair) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
                for descriptor in pair { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
                let (childSide, parentSide) = target == 0 ? (pair[0], pair[1]) : (pair[1], pair[0])
                ends[target] = FileHandle(fileDescriptor: parentSide, closeOnDealloc: true)
                childEnd = childSide
            }
            guard childEnd >= 0 else { throw Failure(description: "cannot open the child's stream \(target) (\(stream)): errno \(errno)") }
            parentCloses.append(childEnd)
            // dup2 onto 0, 1 or 2 clears close-on-exec on the copy only.
            posix_spawn_file_actions_adddup2(&actions, childEnd, Int32(target))
        }
        if let currentDirectory {
            guard let addChangeDirectory = Self.addChangeDirectory else { throw Failure(description: "posix_spawn_file_actions_addchdir_np is missing from this libc") }
            _ = addChangeDirectory(&actions, currentDirectory.path)
        }
        guard let addCloseFrom = Self.addCloseFrom else { throw Failure(description: "posix_spawn_file_actions_addclosefrom_np is missing from this libc (glibc 2.34 or later has it)") }
        _ = addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (as Foundation's Process does), no blocked signals (the spawning
        // thread's mask would be inherited: Dispatch threads block some), default dispositions.
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(description: "cannot start \(executable.path): \(String(cString: strerror(result)))") }
        processIdentifier = pid
        input = ends[0]
        output = ends[1]
        errors = ends[2]
    }

    /// Reads standard output and standard error (those that are `.pipe`) to their ends, both at
    /// once so that neither can fill up and block the child, and then waits for its exit.
    public func collectOutput() -> (output: Data, errors: Data) {
        let errorsRead = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        if let errors {
            errorsRead.enter()
            DispatchQueue(label: "leeway-test-child-stderr").async {
                errorData = errors.readDataToEndOfFile()
                errorsRead.leave()
            }
        }
        let outputData = output?.readDataToEndOfFile() ?? Data()
        errorsRead.wait()
        waitUntilExit()
        return (outputData, errorData)
    }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return reap() == nil
    }

    /// The exit status, or 128 + the signal that ended it (as a shell reports it); waits for the
    /// exit.
    public var terminationStatus: Int32 {
        waitUntilExit()
        lock.lock(); defer { lock.unlock() }
        return exitStatus ?? -1
    }

    /// Blocks until the child has exited: `waitid(WNOWAIT)` waits without reaping, so the lock is
    /// not held meanwhile (`isRunning` and `signal` answer at once from other threads).
    public func waitUntilExit() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        lock.lock(); defer { lock.unlock() }
        _ = reap()
    }

    public func signal(_ signal: Int32) {
        lock.lock(); defer { lock.unlock() }
        if exitStatus == nil { kill(processIdentifier, signal) }
    }

    public func terminate() { signal(SIGTERM) }
    public func interrupt() { signal(SIGINT) }

    /// The exit status once the child has exited (`waitpid` without blocking, on this child only,
    /// so other code's children are never reaped here); the caller holds the lock.
    private func reap() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processIdentifier, &status, WNOHANG) } while result == -1 && errno == EINTR
        guard result == processIdentifier else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (they are macros).
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return exitStatus
    }

    private typealias FileActionsInt = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias FileActionsPath = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's GNU extensions, which Swift's Glibc module does not declare, looked up by name.
    private static let addCloseFrom: FileActionsInt? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let addChangeDirectory: FileActionsPath? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<Function>(_ name: String) -> Function? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
}
