import LeewayCore

/// The command lines of `leeway load`, as `scripts/load.py` makes them: 70 % deposits of 1–50
/// USDC, 20 % fills of ±0.001 or ±0.002 BTC-PERP at the mark, 10 % marks moving ±5 (kept within
/// 9,500–10,500), over accounts a0 … a(N−1), each with a `ts` one millisecond after the last.
/// Deterministic for a seed (the same lines on any machine; not the same as Python's random).
struct LoadCommandMix {
    private static let epochMs: Int64 = 1_700_000_000_000
    private let accounts: Int
    private var clockMs: Int64
    private var random: SplitMix64
    /// The mark in tenths (10,000.0 → 100,000), so its text is exact.
    private var markTenths = 100_000

    init(accounts: Int, tsStart: Int64, seed: UInt64) {
        self.accounts = accounts
        clockMs = tsStart
        random = SplitMix64(seed: seed)
    }

    private var markText: String { "\(markTenths / 10).\(markTenths % 10)" }

    mutating func next() -> String {
        clockMs += 1
        let tail = ",\"ts\":\(Self.epochMs + clockMs)}"
        let pick = Int.random(in: 0..<100, using: &random)
        let account = "a\(Int.random(in: 0..<accounts, using: &random))"
        if pick < 70 {
            return "{\"type\":\"deposit\",\"account\":\"\(account)\",\"asset\":\"USDC\",\"amount\":\"\(Int.random(in: 1...50, using: &random))\"" + tail
        }
        if pick < 90 {
            let size = ["0.001", "-0.001", "0.002", "-0.002"][Int.random(in: 0..<4, using: &random)]
            return "{\"type\":\"fill\",\"account\":\"\(account)\",\"market\":\"BTC-PERP\",\"size\":\"\(size)\",\"price\":\"\(markText)\"" + tail
        }
        markTenths = Swift.min(105_000, Swift.max(95_000, markTenths + Int.random(in: -50...50, using: &random)))
        return "{\"type\":\"mark\",\"market\":\"BTC-PERP\",\"price\":\"\(markText)\"" + tail
    }
}
