import Foundation
import LeewayMarketData

/// The CLI's one way to read a `--prices` file: an unreadable or malformed file is a usage failure
/// (exit status 2, `CandleFileError`'s sentence), and a file whose open times were not in
/// milliseconds is converted with a note on standard error, so a unit is never guessed silently.
/// The bytes come from `files` (the disk by default; a distributed job's own copy on a worker).
enum CandleInput {
    static func load(path: String, files: InputFiles = .disk()) throws -> [Candle] {
        let contents: CandleFileContents
        do throws(CandleFileError) {
            if let data = files.bytes(path) {
                contents = try CandleFile.read(bytes: [UInt8](data), path: path)
            } else if files.readsDisk {
                contents = try CandleFile.read(path: path)  // the reason: a name of no known format, or unreadable
            } else {
                throw .unreadable(path: path)
            }
        } catch {
            throw usageFailure(error.description)
        }
        if let note = contents.conversionNote { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return contents.candles
    }
}
