import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeewayJournal
import LeewayServer
import Testing

/// A host that follows another's journal (here the same SQLite journal, opened twice): it applies
/// what was committed through `Engine.apply`, serves reads at the seq it states, refuses commands
/// with 421, and leads from the state it applied.
@Suite("Following a journal")
struct FollowerTests {
    static let leaderName = "leeway serve at http://127.0.0.1:8081, process 1 on test"
    static let appliedSeq = HTTPField.Name("Leeway-Applied-Seq")!

    /// A leader's fixture on a new journal, and a follower of that journal (`naming` the leader).
    static func leaderAndFollower(naming leader: String? = leaderName) throws -> (ServerFixture, ServerFixture) {
        let fixture = try ServerFixture()
        return (fixture, try ServerFixture(directory: fixture.directory, role: .following(leader: leader)))
    }

    /// Posts `lines` to `fixture` as one request of an admin; the HTTP status.
    static func post(_ lines: some Sequence<Substring>, to fixture: ServerFixture) async throws -> Int {
        let body = lines.joined(separator: "\n")
        return try await fixture.app().test(.router) { client in
            try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: body).status
        }
    }

    @Test("a follower applies the committed records, serves the leader's reads with its applied seq in a header, and streams their events")
    func followerServesWhatWasCommitted() async throws {
        let (leader, follower) = try Self.leaderAndFollower()
        defer { leader.remove() }
        try await leader.app().test(.router) { leaderClient in
            try await follower.app().test(.router) { followerClient in
                let key = ServerFixture.adminKey
                let before = try await followerClient.call(.get, "/v1/accounts/alice", key: key)
                #expect(before.status == 404)
                #expect(before.headers[Self.appliedSeq] == "0")

                #expect(try await leaderClient.call(.post, "/v1/commands", key: key, body: ServerFixture.scenario).status == 200)
                let subscription = await follower.host.subscribe(accounts: nil)
                #expect(await follower.host.followJournal() == false)  // everything fit in one chunk

                for path in ["/v1/accounts/alice", "/v1/accounts?order=id", "/v1/events?after=0", "/v1/markets", "/v1/insurance-fund"] {
                    let onLeader = try await leaderClient.call(.get, path, key: key)
                    let onFollower = try await followerClient.call(.get, path, key: key)
                    #expect(onFollower.status == 200, "\(path)")
                    #expect(onFollower.body == onLeader.body, "\(path)")
                    #expect(onFollower.headers[Self.appliedSeq] == "12", "\(path)")
                    #expect(onLeader.headers[Self.appliedSeq] == "12", "\(path)")
                }
                let leaderStatus = try await leaderClient.call(.get, "/v1/status", key: key)
                let followerStatus = try await followerClient.call(.get, "/v1/status", key: key)
                #expect(followerStatus.body.replacingOccurrences(of: #""role":"follower""#, with: #""role":"leader""#) == leaderStatus.body)
                #expect(try await followerClient.call(.get, "/healthz").body == #"{"status":"ok","role":"follower"}"#)

                // The events applied were published to the follower's subscribers, in order.
                await follower.host.unsubscribe(subscription.id)
                var streamed: [Int64] = []
                for await event in subscription.stream { streamed.append(event.seq) }
                let stored = try leader.host.journal.events(after: 0, limit: 1_000).map(\.seq)
                #expect(!streamed.isEmpty && streamed == stored)
            }
        }
    }

    @Test("a command sent to a follower is answered 421 read_only_follower naming the leader, and nothing is applied or journaled")
    func followerRefusesCommands() async throws {
        let (leader, follower) = try Self.leaderAndFollower()
        defer { leader.remove() }
        try await follower.app().test(.router) { client in
            let refused = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: ServerFixture.scenario)
            #expect(refused.status == 421)
            #expect(refused.body.contains(#""code":"read_only_follower""#))
            #expect(refused.body.contains("send commands to the leader: \(Self.leaderName)"), "\(refused.body)")
            // Refused before the body is read: a bad body gets the same answer.
            #expect(try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: "{").status == 421)
            // Authentication still comes first.
            #expect(try await client.call(.post, "/v1/commands", body: ServerFixture.scenario).status == 401)
            #expect(try follower.host.journal.head().seq == 0)
            #expect(await follower.host.status.records == 0)
            // The ticker's path is refused too: a follower never writes.
            await follower.host.tick()
            #expect(try follower.host.journal.head().seq == 0)
        }
    }

    @Test("a record that breaks the hash chain stops a follower at the record before it: /healthz says why, reads stay at the applied seq")
    func brokenChainStopsFollowing() async throws {
        let (leader, follower) = try Self.leaderAndFollower(naming: nil)
        defer { leader.remove() }
        let lines = ServerFixture.scenario.split(separator: "\n")
        #expect(try await Self.post(lines.prefix(6), to: leader) == 200)
        #expect(try await Self.post(lines.dropFirst(6), to: leader) == 200)
        let database = try DatabaseQueue(path: leader.directory + "/journal.sqlite")
        try await database.write { db in try db.execute(sql: "UPDATE records SET line = replace(line, '5000', '9000') WHERE seq = 8") }
        #expect(await follower.host.followJournal() == false)
        #expect(await follower.host.status.records == 7)
        try await follower.app().test(.router) { client in
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == 503)
            #expect(health.body.contains("journal_unavailable") && health.body.contains("past record 7") && health.body.contains("journal record 8"), "\(health.body)")
            let bob = try await client.call(.get, "/v1/accounts/bob", key: ServerFixture.adminKey)
            #expect(bob.status == 404)
            #expect(bob.headers[Self.appliedSeq] == "7")
            // Leading on it is refused as well: the journal does not reproduce past record 7.
            await #expect(throws: JournalError.self) { try await follower.host.lead() }
        }
    }

    @Test("a follower that leads continues from the state it applied: it catches up, then takes commands")
    func followerLeads() async throws {
        let (leader, follower) = try Self.leaderAndFollower()
        defer { leader.remove() }
        let lines = ServerFixture.scenario.split(separator: "\n")
        #expect(try await Self.post(lines.prefix(6), to: leader) == 200)
        #expect(await follower.host.followJournal() == false)
        #expect(try await Self.post(lines.dropFirst(6).prefix(3), to: leader) == 200)
        let (from, caughtUp) = try await follower.host.lead()
        #expect(from == 6 && caughtUp == 3)
        #expect(await follower.host.role == .leading)
        try await follower.app().test(.router) { client in
            let posted = try await client.call(.post, "/v1/commands", key: ServerFixture.adminKey, body: lines.dropFirst(9).joined(separator: "\n"))
            #expect(posted.status == 200)
            #expect(posted.body.contains(#""record":12"#))
            #expect(try await client.call(.get, "/healthz").body == #"{"status":"ok","role":"leader"}"#)
        }
        #expect(try leader.host.journal.firstBrokenLink() == nil)
        #expect(try leader.host.journal.head().seq == 12)
    }
}
