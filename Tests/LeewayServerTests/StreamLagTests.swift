import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import LeewayServer
import LeewayWire
import NIOWebSocket
import Testing
import WSClient
import WSCore

@Suite("WebSocket stream: a subscriber that falls behind")
struct StreamLagTests {
    /// Commands that each produce one event (`rejected`: carol cannot withdraw that much).
    static func rejectedWithdrawals(_ count: Int) throws -> [LeewayWire.JSONObject] {
        try (0..<count).map { _ in
            try StreamAndDocumentTests.object(#"{"type":"withdraw","account":"carol","asset":"USDC","amount":"99999999","ts":1700000120000}"#)
        }
    }

    /// Subscribes from the start, waits for the first backlog event (so the subscription is
    /// live), has the engine publish a burst of 2,000 events at once while the reader is not
    /// reading, then reads until the server closes or `count` messages arrived.
    static func burst(_ fixture: ServerFixture, _ client: some TestClientProtocol, readingUpTo count: Int = .max)
        async throws -> (close: WebSocketCloseFrame?, messages: [String]) {
        _ = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
        let application = fixture.application
        let received = Received()
        let close = try await client.ws("/v1/stream?after=0", configuration: .init(additionalHeaders: adminHeaders)) { inbound, _, _ in
            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            if let text = StreamAndDocumentTests.text(try await iterator.next()) { received.append(text) }
            _ = try await application.host.submit(try Self.rejectedWithdrawals(2_000))
            while received.messages.count < count, let message = try await iterator.next() {
                if let text = StreamAndDocumentTests.text(message) { received.append(text) }
            }
        }
        return (close, received.messages)
    }

    static var adminHeaders: HTTPFields {
        var headers: HTTPFields = [:]
        headers[.authorization] = "Bearer \(ServerFixture.adminKey)"
        return headers
    }

    @Test("is closed with code 4001 and the last seq it was sent, resumes with after= without a gap, and is counted in metrics",
          .timeLimit(.minutes(1)))
    func laggingSubscriberIsClosedWithResumePoint() async throws {
        let fixture = try ServerFixture { $0.streamBufferEvents = 8 }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            let (close, messages) = try await Self.burst(fixture, client)
            let frame = try #require(close)
            #expect(frame.closeCode == .unknown(SubscriberLag.closeCode))
            let seqs = StreamAndDocumentTests.seqs(messages)
            #expect(seqs == Array(1...seqs.count), "what was sent is gapless from the start")
            #expect(seqs.count < 2_002, "the subscriber was dropped before the burst's end")
            let reason = try #require(frame.reason)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reason.utf8)) as? [String: Any])
            #expect(object["code"] as? String == "subscriber_lagged")
            let lastSeq = try #require(object["last_seq"] as? Int)
            #expect(lastSeq == seqs.last)

            // Resuming after the last seq sent starts exactly at the next event.
            try await client.ws("/v1/stream?after=\(lastSeq)", configuration: .init(additionalHeaders: Self.adminHeaders)) { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let next = StreamAndDocumentTests.text(try await iterator.next())
                #expect(next.map { StreamAndDocumentTests.seqs([$0]) } == [lastSeq + 1])
            }
            let metrics = try await client.call(.get, "/metrics", key: ServerFixture.adminKey).body
            #expect(metrics.contains("leeway_stream_subscribers_dropped_total 1"), "\(metrics)")
        }
    }

    @Test("a subscriber whose buffer holds the burst gets all of it and is not dropped", .timeLimit(.minutes(1)))
    func readingSubscriberKeepsUp() async throws {
        let fixture = try ServerFixture { $0.streamBufferEvents = 4_000 }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            let (_, messages) = try await Self.burst(fixture, client, readingUpTo: 2_002)
            #expect(StreamAndDocumentTests.seqs(messages) == Array(1...2_002))
            let metrics = try await client.call(.get, "/metrics", key: ServerFixture.adminKey).body
            #expect(metrics.contains("leeway_stream_subscribers_dropped_total 0"), "\(metrics)")
        }
    }

    /// Messages collected inside a WebSocket handler (a Sendable box for the closure).
    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String] = []
        var messages: [String] { lock.lock(); defer { lock.unlock() }; return values }
        func append(_ text: String) { lock.lock(); values.append(text); lock.unlock() }
    }
}
