import LeewayCore

/// `leeway bench --portfolio-accounts N`: portfolio margin of N accounts, each with
/// `legs` option legs (random calls and puts on one underlying, long or short) and a perpetual,
/// every account on the portfolio model. Measures a full re-margin (every account's scenario grid:
/// 23 scenarios × every leg), as option legs per second on one core, and the cost of a mark of the
/// underlying: quiet ticks (held by the books' trigger bands) and a 5 % move.
struct PortfolioBench {
    var accounts: Int
    var legs: Int
    var seed: UInt64
    var repeats: Int

    /// The 20 options the legs are drawn from: calls and puts at strikes 7,000 … 13,000, 30 days.
    static let strikes = [7_000, 8_000, 8_500, 9_000, 9_500, 10_000, 10_500, 11_000, 12_000, 13_000]

    func run(report: BenchReport) {
        report.section("(e) portfolio margin: \(accounts) accounts × \(legs) option legs + a perpetual, 23 scenarios each")
        var engine = Engine()
        var line = 0
        func apply(_ command: Command, ts: Int64? = nil) -> [Event] {
            line += 1
            return engine.apply(CommandEnvelope(command: command, timestampMs: ts, line: line))
        }
        let start: Int64 = 1_700_000_000_000
        let tiers = [MarginTier(floor: .zero, imr: Fixed(raw: 2_000_000), mmr: Fixed(raw: 1_000_000))]
        var setup: [Command] = [
            .asset(id: "USDC", price: .one, weight: .one),
            .market(id: "BTC-PERP", settleAsset: "USDC", tiers: tiers, liquidationFee: Fixed(raw: 500_000)),
            .mark(market: "BTC-PERP", price: Fixed(raw: 10_000 * Fixed.scale)),
        ]
        var optionIDs: [String] = []
        for strike in Self.strikes {
            for kind in Black76.Kind.allCases {
                let id = "BTC-\(kind == .call ? "C" : "P")-\(strike)"
                optionIDs.append(id)
                setup.append(.option(id: id, underlying: "BTC-PERP", kind: kind, strike: Fixed(raw: Int64(strike) * Fixed.scale),
                                     expiryMs: start + 30 * 86_400_000, contractSize: .one))
                setup.append(.optionVol(option: id, volatility: Fixed(raw: 60_000_000)))
            }
        }
        var rejected = 0
        for (offset, command) in setup.enumerated() {
            rejected += apply(command, ts: offset == 0 ? start : nil).count { $0.kind.typeName == "rejected" }
        }
        var random = SplitMix64(seed: seed)
        let buildStart = ContinuousClock.now
        for account in 0..<accounts {
            let id = "p\(account)"
            rejected += apply(.deposit(account: id, asset: "USDC", amount: Fixed(raw: 1_000_000 * Fixed.scale))).count { $0.kind.typeName == "rejected" }
            var chosen = Set<Int>()
            while chosen.count < Swift.min(legs, optionIDs.count) { chosen.insert(Int(random.next() % UInt64(optionIDs.count))) }
            for option in chosen.sorted() {
                let size = Fixed(raw: (random.next() % 2 == 0 ? 1 : -1) * Int64(1 + random.next() % 5) * Fixed.scale)
                rejected += apply(.fill(account: id, market: optionIDs[option], size: size, price: Fixed(raw: 500 * Fixed.scale), fee: .zero))
                    .count { $0.kind.typeName == "rejected" }
            }
            let perp = Fixed(raw: (random.next() % 2 == 0 ? 1 : -1) * Int64(1 + random.next() % 3) * Fixed.scale)
            rejected += apply(.fill(account: id, market: "BTC-PERP", size: perp, price: Fixed(raw: 10_000 * Fixed.scale), fee: .zero))
                .count { $0.kind.typeName == "rejected" }
            rejected += apply(.marginModel(account: id, model: .portfolio)).count { $0.kind.typeName == "rejected" }
        }
        report.line("build: \(accounts) accounts through apply in \(report.format(ContinuousClock.now - buildStart)), \(rejected) rejected")

        let (times, summary) = BenchCommand.timedRemargins(&engine, repeats: repeats)
        let median = times[times.count / 2]
        let optionLegs = Double(accounts * Swift.min(legs, optionIDs.count))
        report.row("full portfolio re-margin", report.format(median),
                   "\(report.rate(optionLegs, per: median)) option legs/s on one core over the grid (target ≥ 1M), "
                   + "\(summary.accountsBelowMaintenance) below MM")
        // Quiet ticks of the underlying, ±0.01 % a second apart: the books' bands must hold them.
        let quietTicks = 1_000
        let quietEvaluations = engine.evaluationCount
        var quietEvents = 0
        let quietStart = ContinuousClock.now
        for tick in 1...quietTicks {
            let price = Fixed(raw: (tick % 2 == 0 ? 10_001 : 9_999) * Fixed.scale)
            quietEvents += apply(.mark(market: "BTC-PERP", price: price), ts: start + 1_000 + Int64(tick) * 1_000).count
        }
        let quiet = (ContinuousClock.now - quietStart) / quietTicks
        report.row("quiet mark of the underlying", report.format(quiet),
                   "±0.01 %, 1 s apart: \(engine.evaluationCount - quietEvaluations) evaluations in \(quietTicks) ticks, "
                   + "\(quietEvents) events (trigger bands of option books; before them every holder: \(accounts) per tick)")
        let moveEvaluations = engine.evaluationCount
        let moveStart = ContinuousClock.now
        let events = apply(.mark(market: "BTC-PERP", price: Fixed(raw: 9_500 * Fixed.scale)), ts: start + 1_000 + Int64(quietTicks + 1) * 1_000)
        let move = ContinuousClock.now - moveStart
        report.row("a 5 % move of the underlying", report.format(move),
                   "\(engine.evaluationCount - moveEvaluations) of \(accounts) books evaluated, \(events.count) events")
    }
}
