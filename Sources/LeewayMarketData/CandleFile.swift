import Foundation
import LeewayWire

/// Loads 1-minute (or any interval) candle files into memory.
///
/// Supported formats, chosen by file name:
/// * `.json` / `.json.gz`: Curve llamma-simulator / Binance REST format, a JSON array of arrays
///   `[open_time, "open", "high", "low", "close", "volume", ...]` (numbers may be strings or numbers).
/// * `.csv` / `.csv.gz`: Binance data.binance.vision kline dumps. Spot files have no header line;
///   USD-M futures files start with `open_time,open,high,low,close,volume,...`.
///
/// Open times may be in seconds, milliseconds, microseconds (Binance spot dumps from 2025 on) or
/// nanoseconds: the first row's magnitude names the unit (`CandleTimeUnit`), every row must use
/// the same one, and times are converted to milliseconds. `CandleFileContents.conversionNote`
/// says so when the file was not in milliseconds; callers print it.
///
/// Rows must be strictly increasing in open time.
public enum CandleFile {
    /// Reads and parses the candle file at `path` (open times in milliseconds).
    public static func load(path: String) throws(CandleFileError) -> [Candle] {
        try read(path: path).candles
    }

    /// Reads and parses the candle file at `path`, with the unit its open times were given in.
    public static func read(path: String) throws(CandleFileError) -> CandleFileContents {
        guard isCandleFileName(path) else { throw .unsupportedFormat(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try read(bytes: [UInt8](data), path: path)
    }

    /// Parses `bytes`, the contents of a candle file named `path` (the name chooses the format, as
    /// for `read(path:)`): how a file read elsewhere, e.g. by the coordinator of a distributed
    /// run, is parsed exactly as the file itself would be.
    public static func read(bytes data: [UInt8], path: String) throws(CandleFileError) -> CandleFileContents {
        let lower = path.lowercased()
        guard isCandleFileName(path) else { throw .unsupportedFormat(path: path) }
        let isJSON = lower.hasSuffix(".json") || lower.hasSuffix(".json.gz")
        var bytes = data
        if Gzip.isGzip(bytes) {
            do { bytes = try Gzip.decompress(bytes) } catch { throw .corruptGzip(path: path, detail: error.detail) }
        } else if lower.hasSuffix(".gz") {
            throw .corruptGzip(path: path, detail: "missing gzip header")
        }
        return isJSON ? try parseJSON(bytes, path: path) : try parseCSV(bytes, path: path)
    }

    /// True for the names whose format is known: .json, .json.gz, .csv, .csv.gz.
    static func isCandleFileName(_ path: String) -> Bool {
        let lower = path.lowercased()
        return [".json", ".json.gz", ".csv", ".csv.gz"].contains { lower.hasSuffix($0) }
    }

    /// Parses the JSON kline format (see the type's documentation).
    public static func parseJSON(_ bytes: [UInt8], path: String = "<memory>") throws(CandleFileError) -> CandleFileContents {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes: bytes) } catch {
            throw .malformedJSON(path: path, detail: error.description)
        }
        guard case .array(let rows) = value else {
            throw .malformedJSON(path: path, detail: "the top level is \(value.kindDescription), expected an array")
        }
        var candles: [Candle] = []
        candles.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard case .array(let fields) = row else {
                throw .badRow(path: path, row: index + 1, detail: "expected an array, found \(row.kindDescription)")
            }
            guard fields.count >= 6 else {
                throw .badRow(path: path, row: index + 1, detail: "expected at least 6 fields, found \(fields.count)")
            }
            var texts: [String] = []
            for (column, field) in fields.prefix(6).enumerated() {
                switch field {
                case .number(let text), .string(let text): texts.append(text)
                default:
                    throw .badRow(path: path, row: index + 1, detail: "field \(column + 1) is \(field.kindDescription), expected a number")
                }
            }
            candles.append(try makeCandle(texts, row: index + 1, path: path))
        }
        return try checked(candles, rows: candles.indices.map { $0 + 1 }, path: path)
    }

    /// Parses a Binance CSV kline dump (with or without header line).
    public static func parseCSV(_ bytes: [UInt8], path: String = "<memory>") throws(CandleFileError) -> CandleFileContents {
        let text = String(decoding: bytes, as: UTF8.self)
        var candles: [Candle] = []
        var rows: [Int] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if lineNumber == 1, let first = fields.first, Int64(first) == nil, first.lowercased().contains("time") {
                continue  // futures header line
            }
            guard fields.count >= 6 else {
                throw .badRow(path: path, row: lineNumber, detail: "expected at least 6 comma-separated fields, found \(fields.count)")
            }
            candles.append(try makeCandle(Array(fields.prefix(6)), row: lineNumber, path: path))
            rows.append(lineNumber)
        }
        return try checked(candles, rows: rows, path: path)
    }

    private static func makeCandle(_ texts: [String], row: Int, path: String) throws(CandleFileError) -> Candle {
        guard let time = Int64(texts[0]) ?? Double(texts[0]).flatMap({ Int64(exactly: $0) }), time >= 0 else {
            throw .badRow(path: path, row: row, detail: "open time \"\(texts[0])\" is not a non-negative integer (seconds, milliseconds, microseconds or nanoseconds since 1970)")
        }
        let names = ["open", "high", "low", "close", "volume"]
        var values: [Double] = []
        for column in 1...5 {
            guard let value = Double(texts[column]), value.isFinite, value >= 0 else {
                throw .badRow(path: path, row: row, detail: "\(names[column - 1]) \"\(texts[column])\" is not a finite non-negative number")
            }
            values.append(value)
        }
        guard values[1] >= values[2] else {
            throw .badRow(path: path, row: row, detail: "high \(texts[2]) is below low \(texts[3])")
        }
        // The open time stays in the file's unit here; `checked` converts it to milliseconds.
        return Candle(openTimeMs: time, open: values[0], high: values[1], low: values[2], close: values[3], volume: values[4])
    }

    /// Names the file's time unit from its first row, converts every row to milliseconds (a row
    /// in another unit is refused: a file mixing units is two files joined by mistake) and checks
    /// the order. `rows[i]` is the file's row number of `candles[i]`.
    private static func checked(_ raw: [Candle], rows: [Int], path: String) throws(CandleFileError) -> CandleFileContents {
        guard let first = raw.first, let unit = CandleTimeUnit.detect(openTime: first.openTimeMs) else { throw .empty(path: path) }
        var candles = raw
        for index in candles.indices {
            let time = candles[index].openTimeMs
            guard CandleTimeUnit.detect(openTime: time) == unit else {
                let found = CandleTimeUnit.detect(openTime: time)?.rawValue ?? "an unknown unit"
                throw .mixedTimeUnits(path: path, row: rows[index], openTime: time, found: found, expected: unit.rawValue, firstRow: rows[0])
            }
            candles[index].openTimeMs = unit.milliseconds(time)
        }
        for index in candles.indices.dropFirst() where candles[index].openTimeMs <= candles[index - 1].openTimeMs {
            throw .notTimeOrdered(path: path, row: rows[index])
        }
        return CandleFileContents(path: path, candles: candles, timeUnit: unit)
    }
}
