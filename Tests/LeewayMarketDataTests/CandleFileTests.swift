import Foundation
import LeewayMarketData
import Testing

/// The shared crash-episode price files, read from `../shared/data/prices` beside the project.
private let pricesDirectory: String = {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/prices").path
}()

@Suite("Candle files")
struct CandleFileTests {
    @Test("real shared files load with the documented row counts and first open", arguments: [
        ("ethusdt-1m-2024-08-05.json.gz", 1_440, 2688.91),
        ("btcusdt-1m-2024-08-05.json.gz", 1_440, 58161.0),
        ("raw/ETHUSDT-1m-2024-08-05.csv.gz", 1_440, 2688.91),
        ("lunausdt-1m-2022-05-01_13.json.gz", 17_320, 78.1),
    ])
    func loadsRealFiles(name: String, rows: Int, firstOpen: Double) throws {
        let candles = try CandleFile.load(path: pricesDirectory + "/" + name)
        #expect(candles.count == rows)
        #expect(candles.first?.open == firstOpen)
        #expect(zip(candles, candles.dropFirst()).allSatisfy { $0.openTimeMs < $1.openTimeMs })
    }

    @Test("JSON and CSV forms of the same day give identical candles")
    func jsonAndCSVAgree() throws {
        let json = try CandleFile.load(path: pricesDirectory + "/ethusdt-1m-2024-08-05.json.gz")
        let csv = try CandleFile.load(path: pricesDirectory + "/raw/ETHUSDT-1m-2024-08-05.csv.gz")
        #expect(json == csv)
    }

    @Test("broken inputs are refused with a stable code", arguments: [
        ("[[1,\"1\",\"2\",\"0.5\",\"1\"]]", "bad_row"),
        ("{\"a\":1}", "malformed_json"),
        ("[[1,\"1\",\"2\",\"0.5\",\"1\",\"3\"],[1,\"1\",\"2\",\"0.5\",\"1\",\"3\"]]", "not_time_ordered"),
        ("[[1,\"1\",\"0.5\",\"2\",\"1\",\"3\"]]", "bad_row"),
        ("[[1,\"nan\",\"2\",\"0.5\",\"1\",\"3\"]]", "bad_row"),
        ("[]", "empty_file"),
        ("[[1,", "malformed_json"),
    ])
    func refusesBrokenJSON(text: String, code: String) {
        #expect(throws: CandleFileError.self) { try CandleFile.parseJSON(Array(text.utf8)) }
        do {
            _ = try CandleFile.parseJSON(Array(text.utf8))
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("open times in seconds, ms, µs or ns are read as the same milliseconds, and a file not in ms gets a note", arguments: [
        ("1722816000", "1722816060", CandleTimeUnit.seconds),
        ("1722816000000", "1722816060000", .milliseconds),
        ("1722816000000000", "1722816060000000", .microseconds),
        ("1722816000000000000", "1722816060000000000", .nanoseconds),
    ])
    func detectsTimeUnit(firstOpen: String, second: String, unit: CandleTimeUnit) throws {
        let text = "open_time,open,high,low,close,volume\n\(firstOpen),10,11,9,10.5,100\n\(second),10.5,12,10,11,50\n"
        let contents = try CandleFile.parseCSV(Array(text.utf8), path: "prices.csv")
        #expect(contents.timeUnit == unit)
        #expect(contents.candles.map(\.openTimeMs) == [1_722_816_000_000, 1_722_816_060_000])
        let json = try CandleFile.parseJSON(Array("[[\(firstOpen),\"10\",\"11\",\"9\",\"10.5\",\"100\"]]".utf8), path: "prices.json")
        #expect(json.candles.first?.openTimeMs == 1_722_816_000_000)
        if unit == .milliseconds {
            #expect(contents.conversionNote == nil)
        } else {
            #expect(contents.conversionNote == "note: prices.csv: open times are in \(unit.rawValue); converted to milliseconds "
                + "(first candle 2024-08-05T00:00:00Z, last 2024-08-05T00:01:00Z): check that these dates are right")
        }
    }

    @Test("a file that mixes time units is refused, naming the row and both units")
    func refusesMixedTimeUnits() {
        let text = "1722816000000,10,11,9,10.5,100\n1722816060,10.5,12,10,11,50\n"
        do {
            _ = try CandleFile.parseCSV(Array(text.utf8), path: "mixed.csv")
            Issue.record("a file mixing ms and s should be refused")
        } catch {
            #expect(error.code == "mixed_time_units")
            #expect(error.description.contains("row 2: open time 1722816060 is in seconds but row 1 is in milliseconds"))
        }
    }

    @Test("a negative open time is refused as a bad row")
    func refusesNegativeTime() {
        #expect(throws: CandleFileError.badRow(path: "<memory>", row: 1,
                                              detail: "open time \"-5\" is not a non-negative integer (seconds, milliseconds, microseconds or nanoseconds since 1970)")) {
            try CandleFile.parseCSV(Array("-5,10,11,9,10.5,100\n".utf8))
        }
    }

    @Test("missing, misnamed and truncated gzip files are refused")
    func refusesBadFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leeway-candles-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let truncated = directory.appendingPathComponent("t.json.gz")
        let source = try Data(contentsOf: URL(fileURLWithPath: pricesDirectory + "/ethusdt-1m-2024-08-05.json.gz"))
        try source.prefix(source.count / 2).write(to: truncated)
        let cases: [(String, String)] = [
            (directory.appendingPathComponent("missing.json").path, "file_unreadable"),
            (directory.appendingPathComponent("prices.txt").path, "unsupported_format"),
            (truncated.path, "corrupt_gzip"),
        ]
        for (path, code) in cases {
            do {
                _ = try CandleFile.load(path: path)
                Issue.record("expected \(code) for \(path)")
            } catch {
                #expect(error.code == code)
            }
        }
    }
}
