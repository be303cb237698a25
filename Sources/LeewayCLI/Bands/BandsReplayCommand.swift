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

        --exact runs the contract's own arithmetic instead of binary64: 256-bit unsigned integers in wei,
        operation for operation as AMM.vy (--version classic: crvUSD's vyper 0.3.10 AMM; head: LlamaLend
        V2, vyper 0.4.3 with snekmate's wad_exp/wad_ln). Decimals are read exactly (more than 18 decimals,
        a sign or 2^256 wei and beyond are refused), ts must be whole seconds, "admin_fee" is accepted on
        the amm line (classic), and every amount in a state line appears twice: as a decimal and as a wei
        integer string (<name>_wei). The contract's refusals ("Deposit below current band", "Amount too
        low", "Band not empty", "No deposits", "Wrong index", overflow) are errors that change nothing.
        Loans in exact mode emulate the Controller of the version (classic: crvUSD's Controller.vy; head:
        LlamaLend V2's controller.vy with ControllerView.vy): the amm line must name "loan_discount" and
        "liquidation_discount" (no defaults), and
          {"op":"repay","user":"b","amount":"500"}   (more than the debt repays it all)
        joins create_loan and liquidate (sent by a third party: the loan's liquidation discount is the
        health limit). State lines add loans (debt, health and health_full as signed 1e18 decimals,
        liquidation_discount, n1, n2), total_debt, n_loans and rate (head: also controller_admin_fees,
        minted, redeemed); create_loan shows max_borrowable before it, liquidate tokens_to_liquidate and
        the position returned. The Controller's refusals ("Debt too high", "Need more ticks", "Loan
        already created", "Not enough rekt", "Loan doesn't exist"; head also "The action ends with
        unhealthy state", "no coins to repay", "frac>100%", "Too deep") change nothing.
        """
    )

    @Argument(help: "Operations file (JSON lines); - for standard input.")
    var file: String

    @Flag(help: "Emulate the contract exactly: 256-bit integers in wei instead of binary64.")
    var exact = false

    @Option(help: "With --exact: which AMM.vy to emulate, classic or head.")
    var version: String = "classic"

    func run() throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw usageFailure("cannot read \(file).") }
            text = String(decoding: data, as: UTF8.self)
        }
        guard let contract = ContractVersion(rawValue: version) else { throw usageFailure("--version must be classic or head; got \(version).") }
        if !exact && version != "classic" { throw usageFailure("--version applies to --exact only.") }
        var floatReplay = BandsReplay()
        var exactReplay = ExactBandsReplay(version: contract)
        var output = StandardOutput()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                if exact {
                    let outcome = try exactReplay.apply(ExactBandsOperation.decode(line))
                    output.line(try exactReplay.stateLine(outcome: outcome))
                } else {
                    let outcome = try floatReplay.apply(BandsOperation.decode(line))
                    output.line(floatReplay.stateLine(outcome: outcome))
                }
            } catch {
                output.flush()
                throw usageFailure("line \(index + 1): \(error)")
            }
        }
        output.flush()
    }
}
