import Foundation

/// The files a simulation command reads (`--prices`, `--policies`, `--space`), by the path its
/// options give. A local or coordinating run reads them from disk and keeps what it read, so a
/// distributed job can carry the very bytes (`DistributedJob.files`); a worker reads them from the
/// job, never from its own disk, so it needs no other input and cannot see a different file.
final class InputFiles {
    private(set) var contents: [String: Data]
    /// False for a job's files: a path the job does not carry is unreadable.
    let readsDisk: Bool

    private init(contents: [String: Data], readsDisk: Bool) {
        self.contents = contents
        self.readsDisk = readsDisk
    }

    /// Files read from disk (and kept).
    static func disk() -> InputFiles { InputFiles(contents: [:], readsDisk: true) }

    /// The files a job carries; a path it does not carry is unreadable.
    static func carried(_ contents: [String: Data]) -> InputFiles { InputFiles(contents: contents, readsDisk: false) }

    /// The bytes of `path`, nil when it cannot be read.
    func bytes(_ path: String) -> Data? {
        if let known = contents[path] { return known }
        guard readsDisk, let data = FileManager.default.contents(atPath: path) else { return nil }
        contents[path] = data
        return data
    }
}
