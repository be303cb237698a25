import ArgumentParser
import Foundation
import LeewayBands

/// `leeway bands replay FILE.jsonl`: applies AMM operations and prints one JSON state line after each.
struct BandsReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Apply LLAMMA operations (one JSON object per line) and print the state after each.",
        discussion: """
        Operations (decimals as strings, ts in ms, optional except on amm):
          {"op":"amm","A":100,"base_price":"3000","fee":"0.006","oracle_price":"3000","ts":1700000000000}
             (optional "loan_discount", "liquidation_discount" for loans; default 0.09 and 0.06)
          {"op":"deposit","user":"u","amount":"10","n1":5,"n2":14}
          {"op":"oracle","price":"2900","ts":1700000600000}
          {"op":"exchange","i":0,"j":1,"amount":"5157.1","ts":...}   (i=0: borrowed in, collateral out)
          {"op":"withdraw","user":"u","frac":"0.5","ts":...}
          {"op":"amount_for_price","price":"2800"}
          {"op":"rate","rate":"1e-9","ts":...}   (interest per second)
          {"op":"create_loan","user":"b","collateral":"1","debt":"2000","n":10}
          {"op":"liquidate","user":"b","frac":"0.5"}
        Each state line: timestamp, price_oracle, dynamic_fee, active_band, min_band, max_band, get_p,
        bands (non-empty bands and neighbours), users (sum_x, sum_y, per_band_x, per_band_y, x_down,
        y_up), loans (debt, health, health_full) and the operation's result (exchange_result, returned,
        amount_for_price and pump, liquidation). A refused line prints an error naming the line and
        stops with exit code 2; nothing of that line is applied.
        """
    )

    @Argument(help: "Operations file (JSON lines); - for standard input.")
    var file: String

    func run() throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw usageFailure("cannot read \(file).") }
            text = String(decoding: data, as: UTF8.self)
        }
        var replay = BandsReplay()
        var output = StandardOutput()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                let operation = try BandsOperation.decode(line)
                let outcome = try replay.apply(operation)
                output.line(replay.stateLine(outcome: outcome))
            } catch {
                output.flush()
                throw usageFailure("line \(index + 1): \(error)")
            }
        }
        output.flush()
    }
}
