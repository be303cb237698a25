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

    @Test("CSV with a futures header and microsecond times is read in milliseconds")
    func csvHeaderAndMicroseconds() throws {
        let text = "open_time,open,high,low,close,volume\n1738368000000000,10,11,9,10.5,100\n"
        let candles = try CandleFile.parseCSV(Array(text.utf8))
        #expect(candles == [Candle(openTimeMs: 1_738_368_000_000, open: 10, high: 11, low: 9, close: 10.5, volume: 100)])
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
