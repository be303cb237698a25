import Foundation
import ProcessTestSupport

/// Runs the built `leeway` binary (the test target depends on it, so `swift test` builds it) and
/// captures its exit status and output.
struct LeewayProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    /// The package root (tests read `examples/` from it).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `leeway` executable beside the test bundle (`.build/<config>/leeway`).
    static let binary: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("leeway")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/leeway")
    }()

    static func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let child = try ChildProcess(binary, arguments, currentDirectory: packageRoot,
                                     standardInput: .pipe, standardOutput: .pipe, standardError: .pipe)
        if let input { child.input?.write(Data(input.utf8)) }
        try child.input?.close()
        let (output, errors) = child.collectOutput()
        return Result(status: child.terminationStatus,
                      standardOutput: String(decoding: output, as: UTF8.self),
                      standardError: String(decoding: errors, as: UTF8.self))
    }
}
