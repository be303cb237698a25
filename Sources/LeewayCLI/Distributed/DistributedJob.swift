import Foundation

/// What a coordinator stores as a job's configuration (`leeway_work.jobs.configuration`, JSON):
/// everything a `leeway worker` needs to rebuild the run exactly, and nothing else — the
/// command's own arguments (as typed, without `--postgres`) and the bytes of every file they name
/// (`InputFiles`; base64 in the JSON). The worker parses the same arguments into the same command
/// and builds the configuration through the same code from the same bytes, so it runs the paths or
/// tune runs the coordinator would have run, and it needs no file of its own (its own copy of a
/// candle file could differ). Workers must run the same build of leeway as the coordinator
/// (`format` changes with this layout, not with the build).
struct DistributedJob: Codable, Equatable {
    static let currentFormat = 1

    var format: Int
    /// `stress` or `tune`: the subcommand the arguments are for.
    var kind: String
    var arguments: [String]
    var files: [String: Data]

    init(kind: String, arguments: [String], files: [String: Data]) {
        format = Self.currentFormat
        self.kind = kind
        self.arguments = arguments
        self.files = files
    }

    /// The arguments this process was given after the subcommand `kind`, without `--postgres URL`
    /// (the database is the worker's own option, and its password stays out of the job).
    static func commandLineArguments(of kind: String) -> [String] {
        let all = Array(CommandLine.arguments.dropFirst())
        var rest = Array(all.drop { $0 != kind }.dropFirst())
        var kept: [String] = []
        while let argument = rest.first {
            rest.removeFirst()
            if argument == "--postgres" { if !rest.isEmpty { rest.removeFirst() }; continue }
            if argument.hasPrefix("--postgres=") { continue }
            kept.append(argument)
        }
        return kept
    }

    /// The JSON text stored in the queue.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A struct of strings, an integer and data always encodes.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads a stored job; throws a usage failure naming what is wrong.
    static func decode(_ text: String, job: Int64) throws -> DistributedJob {
        guard let decoded = try? JSONDecoder().decode(DistributedJob.self, from: Data(text.utf8)) else {
            throw usageFailure("job \(job) of the work queue has no configuration this build of leeway reads")
        }
        guard decoded.format == currentFormat else {
            throw usageFailure("job \(job) was written in job format \(decoded.format), this build reads \(currentFormat): run the leeway build of its coordinator")
        }
        return decoded
    }
}
