import Foundation
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Child processes of the tests (posix_spawn)", .ownThread)
struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test("standard output and error arrive apart, or together with sameAsOutput; standard input is fed; the exit status is the child's")
    func streamsAndStatus() throws {
        let apart = try ChildProcess(Self.shell, ["-c", "read line; echo out $line; echo err >&2; exit 3"],
                                     standardInput: .pipe, standardOutput: .pipe, standardError: .pipe)
        apart.input?.write(Data("given\n".utf8))
        try apart.input?.close()
        let (output, errors) = apart.collectOutput()
        #expect(String(decoding: output, as: UTF8.self) == "out given\n")
        #expect(String(decoding: errors, as: UTF8.self) == "err\n")
        #expect(apart.terminationStatus == 3)

        let together = try ChildProcess(Self.shell, ["-c", "echo out; echo err >&2"], standardOutput: .pipe, standardError: .sameAsOutput)
        #expect(String(decoding: together.collectOutput().output, as: UTF8.self) == "out\nerr\n")
        #expect(together.terminationStatus == 0)
        #expect(throws: ChildProcess.Failure.self) { try ChildProcess(Self.shell, ["-c", "true"], standardOutput: .sameAsOutput) }
    }

    @Test("a file stream is created (or truncated) and the child runs in currentDirectory")
    func fileAndDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("out.txt")
        try Data("an older, longer content\n".utf8).write(to: file)
        let child = try ChildProcess(Self.shell, ["-c", "pwd"], currentDirectory: directory, standardOutput: .file(file))
        #expect(child.terminationStatus == 0)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(URL(fileURLWithPath: written.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path
                == directory.resolvingSymlinksInPath().path, "the child ran in \(written)")
    }

    @Test("the child inherits no descriptor of the test process beyond its standard streams, even one without close-on-exec")
    func noInheritedDescriptors() throws {
        let descriptor = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: Foundation's Process had to find and close it
        #expect(descriptor > 2)
        defer { close(descriptor) }
        let child = try ChildProcess(Self.shell, ["-c", "if [ -e /proc/$$/fd/\(descriptor) ]; then echo inherited; else echo closed; fi"],
                                     standardOutput: .pipe)
        #expect(String(decoding: child.collectOutput().output, as: UTF8.self) == "closed\n")
    }

    @Test("a running child is reported running until a signal ends it; its status is then 128 + the signal, as a shell reports it")
    func signals() throws {
        let child = try ChildProcess(Self.shell, ["-c", "sleep 30"])
        #expect(child.isRunning)
        child.terminate()
        #expect(child.terminationStatus == 128 + SIGTERM)
        #expect(!child.isRunning)
        child.signal(SIGKILL)  // after the exit: nothing is sent (the pid may be another process's by now)
        #expect(child.terminationStatus == 128 + SIGTERM)
    }

    @Test("a missing executable is an error naming it")
    func missingExecutable() {
        #expect { try ChildProcess(URL(fileURLWithPath: "/nonexistent/leeway"), []) } throws: { error in
            String(describing: error).contains("/nonexistent/leeway")
        }
    }
}
