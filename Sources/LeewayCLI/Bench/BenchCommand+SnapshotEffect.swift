import LeewayCore

extension BenchCommand {
    /// Commands timed in each half of a round of (h).
    static let snapshotEffectCommands = 2_000
    /// Rounds of (h): each times a block without a capture, then a block right after one.
    static let snapshotEffectRounds = 5

    /// (h) What a snapshot costs the engine: the server captures `engine.state` (a copy-on-write
    /// value) and encodes it on another thread while the engine goes on applying, so whatever the
    /// first writes after the capture must copy is a stall of the owner. Each round applies
    /// `snapshotEffectCommands` mixed commands one by one with nothing held (the baseline), then
    /// captures the state, keeps the capture alive as an encoder would, and applies as many
    /// again; the slowest command and the block's total are compared.
    ///
    /// A venue sends an idempotency id with every command, so the rounds run twice: without ids,
    /// then with the id table first filled to one id per account (at most the window's count) and
    /// every timed command carrying an id, since the table is part of the captured state too.
    func snapshotEffect(on engine: inout Engine, population: BenchPopulation, report: BenchReport) {
        let plain = snapshotEffectRounds(on: &engine, population: population, ids: nil)
        let filledIDs = Swift.min(population.accountCount, engine.state.idempotencyMaxIDs)
        var buffer: [Event] = []
        for index in 0..<filledIDs {
            let deposit = CommandEnvelope(command: .deposit(account: "acct-\(index)", asset: "USDC", amount: Fixed(raw: Fixed.scale)),
                                          timestampMs: engine.clockMs + 1, id: "fill-\(index)")
            engine.apply(deposit, into: &buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        let withIDs = snapshotEffectRounds(on: &engine, population: population, ids: "h")
        report.section("(h) a snapshot's effect on apply (\(Self.snapshotEffectRounds) rounds of \(Self.snapshotEffectCommands) mixed commands)")
        report.line("   with ids: every command has one and the window holds \(engine.state.appliedCommandOrder.count) ids")
        for (label, times) in [("no ids", plain), ("with ids", withIDs)] {
            report.row("\(label): slowest, nothing held", report.format(times.plain.slowest),
                       "block of \(Self.snapshotEffectCommands): \(report.format(times.plain.slowestBlock)) at most")
            report.row("\(label): slowest after a capture", report.format(times.captured.slowest),
                       "block: \(report.format(times.captured.slowestBlock)) at most; target: stall < 5 ms")
        }
    }

    /// The rounds of (h): blocks timed with nothing held and right after a capture. With `ids`,
    /// each command carries the id `ids-N`.
    func snapshotEffectRounds(on engine: inout Engine, population: BenchPopulation,
                              ids: String?) -> (plain: BlockTimes, captured: BlockTimes) {
        let count = Self.snapshotEffectCommands * 2 * Self.snapshotEffectRounds
        var stream = BenchWorkload.mixed(population: population, count: count, fundingEvery: count + 1,
                                         startMs: engine.clockMs, seed: seed &+ (ids == nil ? 7 : 8))
        if let ids { for index in stream.indices { stream[index].id = "\(ids)-\(index)" } }
        var buffer: [Event] = []
        var plain = BlockTimes(), captured = BlockTimes()
        var next = 0
        for _ in 0..<Self.snapshotEffectRounds {
            plain.add(Self.timeEach(stream[next..<(next + Self.snapshotEffectCommands)], on: &engine, buffer: &buffer))
            next += Self.snapshotEffectCommands
            let held = engine.state
            withExtendedLifetime(held) {
                captured.add(Self.timeEach(stream[next..<(next + Self.snapshotEffectCommands)], on: &engine, buffer: &buffer))
            }
            next += Self.snapshotEffectCommands
        }
        return (plain, captured)
    }

    /// The slowest single command and the slowest block of a set of timed blocks.
    struct BlockTimes {
        var slowest = Duration.zero
        var slowestBlock = Duration.zero

        mutating func add(_ block: (slowest: Duration, total: Duration)) {
            slowest = Swift.max(slowest, block.slowest)
            slowestBlock = Swift.max(slowestBlock, block.total)
        }
    }

    /// Applies `commands` one at a time: (slowest command, total).
    static func timeEach(_ commands: ArraySlice<CommandEnvelope>, on engine: inout Engine,
                         buffer: inout [Event]) -> (slowest: Duration, total: Duration) {
        var slowest = Duration.zero, total = Duration.zero
        for command in commands {
            let start = ContinuousClock.now
            engine.apply(command, into: &buffer)
            let took = ContinuousClock.now - start
            slowest = Swift.max(slowest, took)
            total += took
            buffer.removeAll(keepingCapacity: true)
        }
        return (slowest, total)
    }
}
