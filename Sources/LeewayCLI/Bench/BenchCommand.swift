import ArgumentParser
import Foundation
import Synchronization
import LeewayCore
import LeewayJournal
import LeewayWire

/// `leeway bench`: builds a large synthetic venue and measures the engine's mark-update paths
/// against a full re-evaluation of every account, side by side in one run.
///
/// (a) a mark update that crosses no threshold: trigger bands vs full re-margin vs the engine's
///     every-holder scan; (b) a 10 % crash tick in every market: time per transitioned account,
///     trigger bands vs every-holder scan, with events and digests checked equal; (c) full
///     re-margin throughput (accounts/s, exact arithmetic, one core); and memory per account.
/// With `--portfolio-accounts N`, only (e): portfolio margin of N option books (`PortfolioBench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure mark-update cost, crash-tick cost and re-margin throughput on a synthetic venue."
    )

    @Option(help: "Accounts to build.")
    var accounts = 1_000_000

    @Option(help: "Positions per account, each in a different market (at most --markets).")
    var positionsPerAccount = 1

    @Option(help: "Commands in the mixed stream of (d): fills, deposits, marks and funding.")
    var mixedCommands = 1_000_000

    @Option(help: "One funding payment every this many commands of the mixed stream.")
    var fundingEvery = 100_000

    @Option(help: "Markets to spread the accounts over.")
    var markets = 10

    @Option(help: "Seed of the synthetic population.")
    var seed: UInt64 = 1

    @Option(help: "Quiet mark updates to time in (a).")
    var quietMarks = 200_000

    @Option(help: "Repeats of each full-scan baseline (the median is reported).")
    var repeats = 5

    @Option(help: "Run only (e), portfolio margin, with this many accounts (0: run (a)-(d) instead).")
    var portfolioAccounts = 0

    @Option(help: "Option legs per account in (e), from 20 listed options.")
    var portfolioLegs = 10

    @Option(help: "Opening insurance fund in USDC; a small fund sends the crash's bankruptcies to ADL.")
    var insuranceFund = "1000000000"

    func validate() throws {
        guard accounts >= 1 else { throw ValidationError("--accounts must be at least 1") }
        guard (1...1_000).contains(markets) else { throw ValidationError("--markets must be between 1 and 1000") }
        guard quietMarks >= 2 else { throw ValidationError("--quiet-marks must be at least 2") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard (1...markets).contains(positionsPerAccount) else {
            throw ValidationError("--positions-per-account must be between 1 and --markets (\(markets))")
        }
        guard mixedCommands >= 0 else { throw ValidationError("--mixed-commands must not be negative") }
        guard fundingEvery >= 1 else { throw ValidationError("--funding-every must be at least 1") }
    }

    func run() throws {
        if portfolioAccounts > 0 {
            guard (1...20).contains(portfolioLegs) else { throw usageFailure("--portfolio-legs must be between 1 and 20") }
            let report = BenchReport()
            report.heading("leeway bench: portfolio margin, seed \(seed)")
            PortfolioBench(accounts: portfolioAccounts, legs: portfolioLegs, seed: seed, repeats: repeats).run(report: report)
            return
        }
        guard let fund = try? Fixed(parsing: insuranceFund), !fund.isNegative else {
            throw usageFailure("--insurance-fund must be a non-negative decimal, got \"\(insuranceFund)\"")
        }
        let population = BenchPopulation(accountCount: accounts, marketCount: markets, seed: seed,
                                         positionsPerAccount: positionsPerAccount, insuranceFund: fund)
        let report = BenchReport()
        report.heading("leeway bench: \(accounts) accounts × \(positionsPerAccount) position(s), \(markets) markets, leverage 2-25x, seed \(seed), insurance fund \(fund) USDC")

        // Build the venue through the real `apply`.
        let baselineRSS = ProcessMemory.residentBytes ?? 0
        var (engine, buildCommands, rejected, buildTime) = Self.build(population)
        let builtRSS = ProcessMemory.residentBytes ?? 0
        report.line("build: \(buildCommands) deposit+fill commands in \(report.format(buildTime)) "
                    + "(\(report.rate(Double(buildCommands), per: buildTime)) commands/s through apply), \(rejected) rejected")
        let bytesPerAccount = Double(builtRSS - baselineRSS) / Double(accounts)

        // (a) Quiet mark updates on market 0: ±10⁻⁵ around the mark.
        let mark = population.initialMark(market: 0)
        let wiggle = Fixed(raw: Swift.max(mark.raw / 100_000, 1))
        var clockMs = engine.clockMs
        var quietEvents = 0
        let quietStart = ContinuousClock.now
        for tick in 0..<quietMarks {
            clockMs += 100
            let price = Fixed(raw: tick & 1 == 0 ? mark.raw + wiggle.raw : mark.raw - wiggle.raw)
            quietEvents += engine.apply(CommandEnvelope(command: .mark(market: population.marketID(0), price: price), timestampMs: clockMs)).count
        }
        let quietPerMark = (ContinuousClock.now - quietStart) / quietMarks

        let (remarginTimes, summary) = Self.timedRemargins(&engine, repeats: repeats)
        let remarginMedian = remarginTimes[remarginTimes.count / 2]
        let threads = Swift.max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let (parallelTimes, parallelSummary) = Self.timedRemargins(&engine, repeats: repeats) { Self.parallelRemargin($0, threads: threads) }
        let parallelMedian = parallelTimes[parallelTimes.count / 2]
        let (referenceTimes, referenceSummary) = Self.timedRemargins(&engine, repeats: repeats) { $0.remarginAllByAccount() }
        let referenceMedian = referenceTimes[referenceTimes.count / 2]

        var scanning = engine
        scanning.markEvaluation = .everyHolder
        var holderTimes: [Duration] = []
        for tick in 0..<repeats {
            clockMs += 100
            let price = Fixed(raw: tick & 1 == 0 ? mark.raw + wiggle.raw : mark.raw - wiggle.raw)
            let start = ContinuousClock.now
            quietEvents += scanning.apply(CommandEnvelope(command: .mark(market: population.marketID(0), price: price), timestampMs: clockMs)).count
            holderTimes.append(ContinuousClock.now - start)
        }
        scanning = Engine()  // release the copy before the crash measurements
        let holderMedian = holderTimes.sorted()[holderTimes.count / 2]

        report.section("(a) mark update crossing no threshold (market 0, ±0.001 %)")
        report.row("trigger bands", report.format(quietPerMark), "target < 5 µs")
        report.row("full re-margin of every account", report.format(remarginMedian),
                   "ratio \(report.ratio(remarginMedian, quietPerMark)) (target ≥ 1000×)")
        report.row("engine every-holder scan (market 0)", report.format(holderMedian),
                   "ratio \(report.ratio(holderMedian, quietPerMark))")
        report.line("   events from quiet marks: \(quietEvents) (expected 0)")

        // (b) A 10 % crash in every market at once, on two copies of the same venue.
        clockMs += 1_000
        let crashTicks = (0..<markets).map { market in
            CommandEnvelope(command: .mark(market: population.marketID(market),
                                           price: Fixed(raw: population.initialMark(market: market).raw / 10 * 9)),
                            timestampMs: clockMs)
        }
        // The crash runs on the venue itself (a copy would make its first write copy every array).
        let evaluationsBefore = engine.evaluationCount
        let (bandEvents, bandTime) = Self.applyTimed(crashTicks, to: &engine)
        let crashEvaluations = engine.evaluationCount - evaluationsBefore
        let bandDigest = engine.digest
        let bandRemargin = engine.remarginAll()
        engine = Engine()  // release it before building the second venue

        var crashedByScan = Self.rebuild(population: population, clockMs: clockMs - 1_000, quietMarks: quietMarks, wiggle: wiggle)
        crashedByScan.markEvaluation = .everyHolder
        let (scanEvents, scanTime) = Self.applyTimed(crashTicks, to: &crashedByScan)
        let identical = scanEvents == bandEvents && crashedByScan.digest == bandDigest
        crashedByScan = Engine()

        var transitioned = Set<String>()
        var eventCounts: [String: Int] = [:]
        for event in bandEvents {
            eventCounts[event.kind.typeName, default: 0] += 1
            if let account = event.kind.account { transitioned.insert(account) }
        }
        report.section("(b) 10 % crash tick in all \(markets) markets")
        report.line("   accounts transitioned: \(transitioned.count); events: "
                    + eventCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let perAccountBands = bandTime / Swift.max(transitioned.count, 1)
        let perAccountScan = scanTime / Swift.max(transitioned.count, 1)
        report.row("trigger bands", "\(report.format(bandTime)) total, \(report.format(perAccountBands))/account",
                   "\(report.rate(Double(transitioned.count), per: bandTime)) transitions/s (target ≥ 1M/s)")
        report.line("   accounts re-evaluated by the tick (their band was left): \(crashEvaluations), "
                    + "\(report.format(bandTime / Swift.max(crashEvaluations, 1))) each")
        report.row("engine every-holder scan", "\(report.format(scanTime)) total, \(report.format(perAccountScan))/account",
                   "ratio \(report.ratio(scanTime, bandTime))")
        report.line("   same events and digest on both paths: \(identical ? "yes" : "NO")")
        report.line("   accounts still needing action after the tick (full re-margin check): \(bandRemargin.accountsNeedingAction) (expected 0)")

        report.section("(c) full re-margin throughput (exact)")
        let evaluated = Double(summary.accountsEvaluated)
        report.row("columns, one core, median of \(repeats)", report.format(remarginMedian),
                   "\(report.rate(evaluated, per: remarginMedian)) accounts/s (target ≥ 60M/s)")
        report.row("columns, one core, fastest", report.format(remarginTimes[0]), "\(report.rate(evaluated, per: remarginTimes[0])) accounts/s")
        report.row("columns, \(threads) threads, median", report.format(parallelMedian),
                   "\(report.rate(evaluated, per: parallelMedian)) accounts/s (target ≥ 100M/s on both cores)")
        report.row("per-account reference, one core", report.format(referenceMedian),
                   "\(report.rate(evaluated, per: referenceMedian)) accounts/s (the method before the columns)")
        report.line("   same summary on all three: \(summary == parallelSummary && summary == referenceSummary ? "yes" : "NO") "
                    + "(\(summary.accountsBelowMaintenance) below MM, \(summary.accountsNeedingAction) needing action; "
                    + "\(summary.accountsByReference) not cleared by the column bounds, re-margined one by one)")

        if let numpy = Self.numpyReference(accounts: accounts) {
            report.row("float64 NumPy scan (1 position each)", numpy.figure, numpy.comment)
        } else {
            report.line("   (python3 with numpy not found: the NumPy yardstick was skipped)")
        }

        try runWorkloads(population: population, report: report)

        report.section("memory")
        report.line("   resident growth while building: \(Int(bytesPerAccount)) B/account (target < 1024)")
        report.line("   peak resident: \((ProcessMemory.peakResidentBytes ?? 0) >> 20) MiB")
    }

    /// (d) the mixed stream, (e) funding over every holder of a market, (f) the many-positions replay.
    func runWorkloads(population: BenchPopulation, report: BenchReport) throws {
        var (engine, _, _, _) = Self.build(population)
        let stream = BenchWorkload.mixed(population: population, count: mixedCommands, fundingEvery: fundingEvery,
                                         startMs: engine.clockMs, seed: seed)
        var eventCounts = [Int](repeating: 0, count: EventType.allCases.count)
        let mixedStart = ContinuousClock.now
        for command in stream {
            for event in engine.apply(command) { eventCounts[EventType.allCases.firstIndex(of: event.kind.type) ?? 0] += 1 }
        }
        let mixedTime = ContinuousClock.now - mixedStart
        report.section("(d) mixed command stream through apply (45 % fills, 20 % deposits, 35 % marks, funding every \(fundingEvery))")
        report.row("\(stream.count) commands", report.format(mixedTime),
                   "\(report.rate(Double(stream.count), per: mixedTime)) commands/s (target ≥ 1M/s)")
        report.line("   events: " + zip(EventType.allCases, eventCounts).filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", "))

        let digestStart = ContinuousClock.now
        _ = engine.digest
        let digestTime = ContinuousClock.now - digestStart
        let snapshotStart = ContinuousClock.now
        let snapshot = SnapshotCodec.encode(engine.state)
        let snapshotTime = ContinuousClock.now - snapshotStart
        let readStart = ContinuousClock.now
        let restoredState = try SnapshotCodec.decode(snapshot, seq: 1)
        let readTime = ContinuousClock.now - readStart
        let rebuildStart = ContinuousClock.now
        let restored = Engine(state: restoredState)
        let rebuildTime = ContinuousClock.now - rebuildStart
        report.section("(g) the whole state, from its one description")
        report.row("state digest (SHA-256)", report.format(digestTime), "\(engine.state.accounts.count) accounts")
        report.row("snapshot JSON", report.format(snapshotTime), "\(snapshot.count >> 20) MiB")
        report.row("snapshot read back", report.format(readTime), "StateSnapshotReader: pull parse, accounts by hand, Codable for the rest")
        if case .object(let envelope) = try JSONParser.parse(bytes: [UInt8](snapshot)), case .object(let state)? = envelope["state"],
           let accounts = state["accounts"] {
            let codableStart = ContinuousClock.now
            let viaCodable = try JSONValueDecoder().decode([Account].self, from: accounts)
            report.row("baseline: accounts by Codable", report.format(ContinuousClock.now - codableStart),
                       "how snapshots were read before StateSnapshotReader, tree parse not included; same accounts: \(viaCodable == Array(restoredState.accounts) ? "yes" : "NO")")
        }
        report.row("indexes rebuilt from it", report.format(rebuildTime),
                   "Engine(state:); digest \(restored.digest == engine.digest ? "equal" : "DIFFERENT")")

        snapshotEffect(on: &engine, population: population, report: report)

        let holders = engine.state.accounts.count { account in account.positions.contains { $0.market == 0 } }
        let fundingStart = ContinuousClock.now
        let fundingEvents = engine.apply(CommandEnvelope(command: .funding(market: population.marketID(0), rate: Fixed(raw: 1_000)),
                                                         timestampMs: engine.clockMs + 1))
        let fundingTime = ContinuousClock.now - fundingStart
        let perMillion = fundingTime * (1_000_000.0 / Double(Swift.max(holders, 1)))
        report.section("(e) funding over every holder of market 0")
        report.row("\(holders) holders of market 0", report.format(fundingTime),
                   "\(report.format(perMillion)) per 1M holders, extrapolated, \(fundingEvents.count) events")
        // Every market in turn: as many holder payments as open positions (1M at 1M × 1), each
        // round scanning the whole position column, so nothing is extrapolated.
        let payments = engine.state.accounts.reduce(0) { $0 + $1.positions.count }
        var roundEvents = 0
        let roundsStart = ContinuousClock.now
        for market in 0..<markets {
            roundEvents += engine.apply(CommandEnvelope(command: .funding(market: population.marketID(market), rate: Fixed(raw: -1_000)),
                                                        timestampMs: engine.clockMs + 1)).count
        }
        let roundsTime = ContinuousClock.now - roundsStart
        report.row("one round in each of \(markets) markets", report.format(roundsTime),
                   "\(payments) holder payments; \(report.format(roundsTime * (1_000_000.0 / Double(Swift.max(payments, 1))))) per 1M (target < 100 ms), \(roundEvents) events")
        engine = Engine()

        let manyPositions = BenchWorkload.manyPositions(seed: seed)
        var small = Engine()
        let cliffStart = ContinuousClock.now
        for command in manyPositions { _ = small.apply(command) }
        let cliffTime = ContinuousClock.now - cliffStart
        report.section("(f) 1,000 accounts × 10 positions + 5,000 random fills (the former trigger-index cliff)")
        report.row("\(manyPositions.count) commands", report.format(cliffTime), "target < 50 ms (9.8 s before the fix)")
    }

    /// Builds the venue through the real `apply`: (engine, commands applied, rejected, time).
    static func build(_ population: BenchPopulation) -> (Engine, Int, Int, Duration) {
        var engine = Engine()
        var rejected = 0, count = 0
        for command in (try? population.setupCommands()) ?? [] { rejected += engine.apply(command).count { $0.kind.typeName == "rejected" } }
        var generator = SplitMix64(seed: population.seed)
        let start = ContinuousClock.now
        for index in 0..<population.accountCount {
            for command in population.accountCommands(index: index, generator: &generator) {
                count += 1
                rejected += engine.apply(command).count { $0.kind.typeName == "rejected" }
            }
        }
        return (engine, count, rejected, ContinuousClock.now - start)
    }

    /// Runs `Benchmarks/numpy_full_scan.py` (if python3 and numpy are there) and returns its line.
    static func numpyReference(accounts: Int) -> (figure: String, comment: String)? {
        let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Benchmarks/numpy_full_scan.py")
        guard FileManager.default.fileExists(atPath: script.path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(accounts)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return nil }
        // "numpy full scan of N accounts: median X ms (YM accounts/s, float64), Z below MM"
        guard let median = text.range(of: "median "), let open = text.range(of: " ("), let close = text.range(of: ", float64") else { return nil }
        return (String(text[median.upperBound..<open.lowerBound]), String(text[open.upperBound..<close.lowerBound]) + " (float64, not exact)")
    }

    /// Applies `commands` and returns their events and the time taken.
    /// `remarginAll()` timed `repeats` times (at least once): the durations, shortest first (the
    /// median is the middle one), and the last run's summary.
    static func timedRemargins(_ engine: inout Engine, repeats: Int,
                               _ remargin: (Engine) -> RemarginSummary = { $0.remarginAll() }) -> (times: [Duration], summary: RemarginSummary) {
        var times: [Duration] = []
        var summary = RemarginSummary()
        for _ in 0..<Swift.max(repeats, 1) {
            let start = ContinuousClock.now
            summary = remargin(engine)
            times.append(ContinuousClock.now - start)
        }
        return (times.sorted(), summary)
    }

    /// `remarginAll()` split into `threads` equal ranges of accounts run at once, summed.
    static func parallelRemargin(_ engine: Engine, threads: Int) -> RemarginSummary {
        let count = engine.state.accounts.count
        let parts = Mutex([RemarginSummary](repeating: RemarginSummary(), count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let summary = engine.remarginAll(accounts: (count * part / threads)..<(count * (part + 1) / threads))
            parts.withLock { $0[part] = summary }
        }
        return parts.withLock { $0.reduce(into: RemarginSummary()) { $0.add($1) } }
    }

    static func applyTimed(_ commands: [CommandEnvelope], to engine: inout Engine) -> ([Event], Duration) {
        // Each command's events go into one reused buffer (`apply(_:into:)`, as a consumer that
        // streams events on would run it); copying them out for the checks is not timed.
        var all: [Event] = []
        var buffer: [Event] = []
        var elapsed = Duration.zero
        for command in commands {
            let start = ContinuousClock.now
            engine.apply(command, into: &buffer)
            elapsed += ContinuousClock.now - start
            all.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        return (all, elapsed)
    }

    /// Builds the venue again and replays the quiet marks, so the every-holder crash starts from
    /// exactly the state the trigger-band crash started from.
    static func rebuild(population: BenchPopulation, clockMs: Int64, quietMarks: Int, wiggle: Fixed) -> Engine {
        var (engine, _, _, _) = build(population)
        let mark = population.initialMark(market: 0)
        var tickMs = engine.clockMs
        for tick in 0..<quietMarks {
            tickMs += 100
            let price = Fixed(raw: tick & 1 == 0 ? mark.raw + wiggle.raw : mark.raw - wiggle.raw)
            _ = engine.apply(CommandEnvelope(command: .mark(market: population.marketID(0), price: price), timestampMs: tickMs))
        }
        _ = engine.apply(CommandEnvelope(command: .time, timestampMs: clockMs))
        return engine
    }
}
