import Foundation
import LeewayMarketData

/// The CLI's one way to read a `--prices` file: an unreadable or malformed file is a usage failure
/// (exit status 2, `CandleFileError`'s sentence), and a file whose open times were not in
/// milliseconds is converted with a note on standard error, so a unit is never guessed silently.
enum CandleInput {
    static func load(path: String) throws -> [Candle] {
        let contents: CandleFileContents
        do { contents = try CandleFile.read(path: path) } catch { throw usageFailure(error.description) }
        if let note = contents.conversionNote { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return contents.candles
    }
}
