import ArgumentParser
import Foundation
import LeewayBands

/// `leeway bands exact-bench`: times one exact exchange that crosses 10 bands, the same call that
/// `scripts/bands-fixtures/record.py --bench` times in titanoboa (BENCHMARKS.md has both side by side).
struct BandsExactBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exact-bench",
        abstract: "Time an exact (256-bit, wei) exchange across 10 bands, as record.py --bench does in titanoboa."
    )

    @Option(help: "Exchanges to time.") var rounds = 20_000
    @Option(help: "classic or head.") var version = "classic"
    @Option(help: "titanoboa's median seconds for the same call (from record.py --bench), to print the ratio.") var boaSeconds: Double?

    func run() throws {
        guard let contract = ContractVersion(rawValue: version) else { throw usageFailure("--version must be classic or head.") }
        guard rounds >= 1 else { throw usageFailure("--rounds must be at least 1.") }
        let wad = UInt256.wad
        let t0 = UInt256(1_700_000_000 as UInt64)
        var amm: ExactAMM
        do {
            amm = try ExactAMM(version: contract, a: 100, basePrice: wad.wrappingMultiplied(by: 3000), fee: UInt256(6_000_000_000_000_000 as UInt64),
                               oraclePrice: wad.wrappingMultiplied(by: 3000), now: t0)
            try amm.deposit(user: "u1", amount: wad.wrappingMultiplied(by: 10), n1: 1, n2: 10)
            try amm.advance(to: t0.wrappingAdding(600))
            try amm.setOracle(price: wad.wrappingMultiplied(by: 2700))
            try amm.advance(to: t0.wrappingAdding(1200))
        } catch { throw usageFailure("\(error)") }
        let amount = wad.wrappingMultiplied(by: 40_000)
        var durations: [Double] = []
        durations.reserveCapacity(rounds)
        var last: (inAmount: UInt256, outAmount: UInt256) = (.zero, .zero)
        var band = 0
        for _ in 0..<rounds {
            var copy = amm
            let start = DispatchTime.now().uptimeNanoseconds
            do { last = try copy.exchange(i: 0, j: 1, amount: amount) } catch { throw usageFailure("\(error)") }
            durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            band = copy.activeBand
        }
        durations.sort()
        let median = durations[durations.count / 2]
        print("exact exchange across 10 bands (\(contract.rawValue)): median \(String(format: "%.2f", median * 1e6)) µs, min \(String(format: "%.2f", durations[0] * 1e6)) µs over \(rounds) rounds")
        print("in \(last.inAmount) wei, out \(last.outAmount) wei, active band after \(band)")
        if let boaSeconds { print(String(format: "titanoboa %.2f ms → %.0f× faster", boaSeconds * 1e3, boaSeconds / median)) }
    }
}
