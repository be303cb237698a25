import Foundation
import HeapModule
import LeewayCore
import LeewayServer
import LeewaySimulation
import LeewayWire
import ServiceLifecycle

/// The venue and its traders in `leeway demo`: sends the plan's set-up commands, then replays the
/// price path at the plan's speed, each command through `EngineHost.submit` (the path every
/// `POST /v1/commands` takes: journaled before it is answered, stamped with the server's clock).
/// Simulated traders answer their margin calls as the backtest's do (`SimulatedAccount.answer`,
/// reading the margin report the API serves), after their reaction delay divided by the speed.
struct DemoDriver: Service, CustomStringConvertible {
    let host: EngineHost
    let plan: DemoPlan
    /// Resumes once the server listens (so the URL is printed before anything happens).
    let listening: AsyncStream<Void>
    let say: @Sendable (String) -> Void

    /// Short, for the service group's log lines (the plan itself is large).
    var description: String { "DemoDriver(\(plan.market), \(plan.accounts.count) accounts, \(plan.speed)×)" }

    struct PendingAnswer: Comparable {
        var dueMs: Int64
        var account: Int
        static func < (lhs: PendingAnswer, rhs: PendingAnswer) -> Bool { (lhs.dueMs, lhs.account) < (rhs.dueMs, rhs.account) }
    }

    /// What the driver has seen, for its progress lines.
    struct Tally {
        var calls = 0, answers = 0, liquidationFills = 0, bankruptcies = 0, rejected = 0
    }

    /// Drives the replay, then stays until the service group shuts down (a service that returns
    /// early would stop the server with it; the dashboard should stay up after the replay).
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in listening { break }
            do { try await drive() } catch is CancellationError {
                return
            } catch {
                say("the demo stopped sending: \(error)")
            }
        }
        try? await gracefulShutdown()
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }

    func drive() async throws {
        let started = ContinuousClock.now
        var tally = Tally()
        var pending = Heap<PendingAnswer>()
        var isPending = Array(repeating: false, count: plan.accounts.count)
        var index: [String: Int] = [:]
        for (position, account) in plan.accounts.enumerated() { index[account.id] = position }

        /// Folds the events of one submit into the tally and schedules the answers to new calls.
        func observe(_ outcomes: [EngineHost.CommandOutcome]) {
            let now = Self.nowMs()
            for event in outcomes.flatMap(\.events) {
                switch event.kind {
                case .marginCall(let account, _, _, _, _, _):
                    tally.calls += 1
                    guard let position = index[account], !isPending[position], plan.accounts[position].response != .ignore else { continue }
                    isPending[position] = true
                    let delay = Int64((Double(plan.accounts[position].reactionDelayMs) / plan.speed).rounded())
                    pending.insert(PendingAnswer(dueMs: now + delay, account: position))
                case .liquidationFill: tally.liquidationFills += 1
                case .bankrupt: tally.bankruptcies += 1
                case .rejected: tally.rejected += 1
                default: break
                }
            }
        }

        // Set-up: the venue's asset, market, policy and fund, the first mark, then the traders.
        let chunk = 1_000
        for start in stride(from: 0, to: plan.setup.count, by: chunk) {
            let outcomes = try await host.submit(Array(plan.setup[start..<Swift.min(start + chunk, plan.setup.count)]))
            if start == 0, let refused = outcomes.prefix(5).flatMap(\.events).first(where: { $0.kind.type == .rejected }) {
                throw DemoError(message: "the venue's set-up was refused: \(EventEncoder.encode(refused))")
            }
            observe(outcomes)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        say("seeded \(plan.accounts.count.formatted()) accounts in \(String(format: "%.1f", seconds)) s; replaying \(plan.candles.count) candles (\(Self.duration(plan.replayMs)))")

        // Replay: each path point at its compressed time; answers in between, at their own time.
        let startMs = Self.nowMs(), pathStartMs = plan.path.timesMs[0]
        var point = 1, currentMark = plan.price(at: 0), lastReport = -1
        while point < plan.path.count || !pending.isEmpty {
            try Task.checkCancellation()
            let pointDue = point < plan.path.count
                ? startMs + Int64((Double(plan.path.timesMs[point] - pathStartMs) / plan.speed).rounded()) : Int64.max
            let answerDue = pending.min?.dueMs ?? .max
            let due = Swift.min(pointDue, answerDue)
            let wait = due - Self.nowMs()
            if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
            if answerDue <= pointDue, let next = pending.popMin() {
                isPending[next.account] = false
                let account = plan.accounts[next.account]
                guard let report = await host.report(account: account.id), let answer = account.answer(to: report) else { continue }
                let command: JSONObject
                switch answer {
                case .deposit(let amount): command = plan.deposit(account: account.id, amount: amount)
                case .reduce(let reductions): command = plan.fill(account: account.id, size: reductions[0].size, price: currentMark)  // one perpetual position each
                }
                let outcomes = try await host.submit([command])
                if outcomes.first?.events.contains(where: { $0.kind.type == .rejected }) == false { tally.answers += 1 }
                observe(outcomes)
            } else {
                currentMark = plan.price(at: point)
                observe(try await host.submit([plan.mark(currentMark)]))
                // A progress line every tenth of the replay.
                let decile = point * 10 / plan.path.count
                if decile != lastReport {
                    lastReport = decile
                    say(progressLine(point: point, mark: currentMark, tally: tally))
                }
                point += 1
            }
        }
        let sample = await host.dashboardSample()
        let phases = zip(LiquidationPhase.allCases, sample.phaseCounts).map { "\($0.rawValue) \($1.formatted())" }.joined(separator: ", ")
        say("replay finished: \(tally.calls.formatted()) margin calls, \(tally.answers.formatted()) traders answered, "
            + "\(tally.liquidationFills.formatted()) liquidation fills, \(tally.bankruptcies.formatted()) bankruptcies; accounts now: \(phases)")
        say("the server keeps running (the API and the dashboard stay up); Ctrl-C to stop")
    }

    func progressLine(point: Int, mark: Fixed, tally: Tally) -> String {
        let candleTime = Date(timeIntervalSince1970: Double(plan.path.timesMs[point]) / 1_000)
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let price = (try? mark.formatted(digits: 2, rounding: .toNearestOrEven)) ?? mark.description
        return "  \(formatter.string(from: candleTime)) UTC  \(plan.market) \(price)  margin calls \(tally.calls.formatted()), "
            + "answered \(tally.answers.formatted()), liquidation fills \(tally.liquidationFills.formatted()), bankruptcies \(tally.bankruptcies.formatted())"
    }

    /// "3 min 10 s", "12 s", "0.2 s".
    static func duration(_ ms: Int64) -> String {
        if ms < 10_000 { return String(format: "%.1f s", Double(ms) / 1_000) }
        let seconds = Int((Double(ms) / 1_000).rounded())
        return seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }
}

/// A failure of the demo's own set-up (the engine refused the venue's commands).
struct DemoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
