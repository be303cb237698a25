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
    func snapshotEffect(on engine: inout Engine, population: BenchPopulation, report: BenchReport) {
        let count = Self.snapshotEffectCommands * 2 * Self.snapshotEffectRounds
        let stream = BenchWorkload.mixed(population: population, count: count, fundingEvery: count + 1,
                                         startMs: engine.clockMs, seed: seed &+ 7)
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
        report.section("(h) a snapshot's effect on apply (\(Self.snapshotEffectRounds) rounds of \(Self.snapshotEffectCommands) mixed commands)")
        report.row("no capture held: slowest command", report.format(plain.slowest),
                   "block of \(Self.snapshotEffectCommands): \(report.format(plain.slowestBlock)) at most")
        report.row("after a capture: slowest command", report.format(captured.slowest),
                   "block: \(report.format(captured.slowestBlock)) at most; target: stall < 5 ms")
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
