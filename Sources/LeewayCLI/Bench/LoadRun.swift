import DequeModule
import NIOCore
import NIOHTTP1

/// One open-loop run of `leeway load`, on its event loop only: sends each request at its due
/// time on an idle connection (or queues it until one frees up) and records, per response, the
/// time from its due time to its end.
final class LoadRun {
    /// One request: its head (with its `Content-Length`) and its body.
    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer
    }

    private let loop: any EventLoop
    private let payloads: [Request]
    private let intervalNs: Double
    private var startTime = NIODeadline.now()
    private var nextIndex = 0
    /// Idle connections, used in turn (first in, first out: every connection stays in use, so
    /// none sits unused long enough for the server's header timeout).
    private var idle = Deque<any Channel>()
    private var waiting = Deque<Int>()
    private var inFlight: [ObjectIdentifier: Int] = [:]
    private var report = LoadReport()
    private var finished: EventLoopPromise<LoadReport>?

    init(loop: any EventLoop, payloads: [Request], rate: Double) {
        self.loop = loop
        self.payloads = payloads
        intervalNs = 1e9 / rate
    }

    /// Starts the schedule 0.2 s from now on `channels`; the report follows once every request was
    /// answered, or `timeout` after the start (the rest counted as unanswered).
    func start(channels: [any Channel], timeout: TimeAmount) -> EventLoopFuture<LoadReport> {
        let promise = loop.makePromise(of: LoadReport.self)
        finished = promise
        idle = Deque(channels)
        startTime = .now() + .milliseconds(200)
        report.requests = payloads.count
        guard !payloads.isEmpty else {
            promise.succeed(report)
            return promise.futureResult
        }
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.scheduleTask(deadline: startTime) { bound.value.sendDue() }
        loop.scheduleTask(deadline: startTime + timeout) { bound.value.finish() }
        return promise.futureResult
    }

    private func due(_ index: Int) -> NIODeadline {
        startTime + .nanoseconds(Int64(Double(index) * intervalNs))
    }

    /// Sends every request due by now, then sleeps until the next one is due.
    private func sendDue() {
        let now = NIODeadline.now()
        while nextIndex < payloads.count {
            let dueTime = due(nextIndex)
            guard dueTime <= now else {
                let bound = NIOLoopBound(self, eventLoop: loop)
                loop.scheduleTask(deadline: dueTime) { bound.value.sendDue() }
                break
            }
            report.behindNs.append((now - dueTime).nanoseconds)
            if let channel = idle.popFirst() { send(nextIndex, on: channel) } else { waiting.append(nextIndex) }
            nextIndex += 1
        }
        report.schedulingNs = (now - startTime).nanoseconds
    }

    private func send(_ index: Int, on channel: any Channel) {
        inFlight[ObjectIdentifier(channel)] = index
        let request = payloads[index]
        channel.write(HTTPClientRequestPart.head(request.head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(request.body)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// A response (`status`) on `channel`, or its close (nil).
    func response(_ status: Int?, on channel: any Channel) {
        guard finished != nil else { return }
        // A closed connection is never used again. A response with no request in flight (a 408
        // before the server closes an unused connection) answers nothing: its close follows.
        if status == nil { idle.removeAll { $0 === channel } }
        guard let request = inFlight.removeValue(forKey: ObjectIdentifier(channel)) else { return }
        let now = NIODeadline.now()
        report.record(status: status, latencyNs: (now - due(request)).nanoseconds, elapsedNs: (now - startTime).nanoseconds)
        if status != nil {
            if let next = waiting.popFirst() { send(next, on: channel) } else { idle.append(channel) }
        }
        if report.answered == payloads.count { finish() }
    }

    private func finish() {
        guard let promise = finished else { return }
        finished = nil
        report.unanswered = payloads.count - report.answered
        promise.succeed(report)
    }
}
