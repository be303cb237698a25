/// Why a candle file could not be loaded. Every case has a stable snake_case `code` and a
/// sentence a person can act on (`description`).
public enum CandleFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String)
    /// The file name does not end in `.json`, `.json.gz`, `.csv` or `.csv.gz`.
    case unsupportedFormat(path: String)
    /// The gzip stream is corrupt or truncated.
    case corruptGzip(path: String, detail: String)
    /// The JSON text is not valid JSON, or not an array of arrays.
    case malformedJSON(path: String, detail: String)
    /// Row `row` (1-based) has a missing or invalid field.
    case badRow(path: String, row: Int, detail: String)
    /// The file holds no candles.
    case empty(path: String)
    /// Row `row` (1-based) does not open strictly after the previous row.
    case notTimeOrdered(path: String, row: Int)
    /// Row `row`'s open time is in another unit (`found`) than the first row's (`expected`).
    case mixedTimeUnits(path: String, row: Int, openTime: Int64, found: String, expected: String, firstRow: Int)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .unreadable: return "file_unreadable"
        case .unsupportedFormat: return "unsupported_format"
        case .corruptGzip: return "corrupt_gzip"
        case .malformedJSON: return "malformed_json"
        case .badRow: return "bad_row"
        case .empty: return "empty_file"
        case .notTimeOrdered: return "not_time_ordered"
        case .mixedTimeUnits: return "mixed_time_units"
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read candle file \(path): check that it exists and is readable"
        case .unsupportedFormat(let path):
            return "unsupported candle file \(path): expected a name ending in .json, .json.gz, .csv or .csv.gz"
        case .corruptGzip(let path, let detail):
            return "candle file \(path) is not a valid gzip stream (\(detail)): re-download or re-compress it"
        case .malformedJSON(let path, let detail):
            return "candle file \(path) is not a JSON array of kline arrays: \(detail)"
        case .badRow(let path, let row, let detail):
            return "candle file \(path), row \(row): \(detail)"
        case .empty(let path):
            return "candle file \(path) holds no candles"
        case .notTimeOrdered(let path, let row):
            return "candle file \(path), row \(row): open time is not after the previous row's; sort the file by time"
        case .mixedTimeUnits(let path, let row, let openTime, let found, let expected, let firstRow):
            return "candle file \(path), row \(row): open time \(openTime) is in \(found) but row \(firstRow) is in \(expected); "
                + "write every open time in one unit (seconds, milliseconds, microseconds or nanoseconds since 1970)"
        }
    }
}
