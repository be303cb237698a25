import Foundation
import Hummingbird
import HummingbirdWebSocket
import HTTPTypes
import HummingbirdCore
import LeewayCore
import LeewayJournal
import LeewayWire
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Builds the Hummingbird application of `leeway serve`: the routes of `ServerRoute.all` over an
/// `EngineHost`, with API-key roles, JSON errors with stable codes, and the WebSocket stream. Every
/// response states the host's applied seq (`AppliedSeqMiddleware`); a following host serves the
/// same reads and answers commands with 421 (`EngineHost.refuseUnlessLeading`).
public struct ServerApplication: Sendable {
    public let host: EngineHost
    public let configuration: ServerConfiguration
    public let authenticator: Authenticator
    public let metrics: ServerMetrics
    /// The dashboard's history (filled by `dashboardSampler`) and its shared aggregates.
    public let dashboardHistory = DashboardHistory()
    let dashboardCache = DashboardCache()

    public init(host: EngineHost, configuration: ServerConfiguration, metrics: ServerMetrics) {
        self.host = host
        self.configuration = configuration
        self.authenticator = Authenticator(keys: configuration.keys)
        self.metrics = metrics
    }

    /// The service that samples the dashboard's history once a second.
    public func dashboardSampler(intervalMs: Int64 = 1_000) -> DashboardSampler {
        DashboardSampler(host: host, history: dashboardHistory, intervalMs: intervalMs)
    }

    public typealias Context = BasicWebSocketRequestContext

    /// The router with every route.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: AppliedSeqMiddleware<Context>(appliedSeq: host.appliedSeq))
        router.add(middleware: JSONErrorMiddleware<Context>())
        router.post("/v1/commands") { request, _ in await respond { try await postCommands(request) } }
        router.get("/v1/accounts") { request, _ in await respond { try await listAccounts(request) } }
        router.get("/v1/accounts/:id") { request, context in
            await respond { try await account(request, id: try Self.accountID(context.parameters.get("id") ?? "")) }
        }
        router.get("/v1/accounts/:id/what-if") { request, context in
            await respond { try await whatIf(request, id: try Self.accountID(context.parameters.get("id") ?? "")) }
        }
        router.get("/v1/events") { request, _ in await respond { try await events(request) } }
        router.get("/v1/markets") { request, _ in await respond { try await markets(request) } }
        router.get("/v1/insurance-fund") { request, _ in await respond { try await insuranceFund(request) } }
        router.get("/healthz") { _, _ in await respond { try await health() } }
        router.get("/v1/status") { request, _ in
            await respond {
                let principal = try authorize(request, reading: true)
                guard principal.role == .admin || principal.role == .reader else { throw ServerError.forbidden("read the engine's status") }
                return try await status()
            }
        }
        router.get("/metrics") { request, _ in
            await respond {
                if !configuration.metricsRoles.isEmpty {
                    let principal = try authorize(request, reading: true)
                    guard configuration.metricsRoles.contains(principal.role) else { throw ServerError.forbidden("read the metrics") }
                }
                let text = metrics.exposition(await host.metricsView)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        router.get("/openapi.json") { _, _ in Self.json(OpenAPIDocument.text) }
        addDashboardRoutes(to: router)
        router.ws("/v1/stream") { request, _ in
            // Refuse the upgrade (with a JSON error) unless the key may read and `after` is valid.
            do {
                _ = try authorize(request, reading: true)
                _ = try Self.integer(request, "after", default: 0, range: 0...Int64.max)
                // A browser that offered the key as a subprotocol must see `leeway.v1` selected.
                return .upgrade(StreamKeyProtocol.offered(request.headers[.secWebSocketProtocol])
                                ? [.secWebSocketProtocol: StreamKeyProtocol.name] : [:])
            } catch {
                return .dontUpgrade
            }
        } onUpgrade: { inbound, outbound, context in
            guard let principal = try? authorize(context.request, reading: true) else { return }
            let after = (try? Self.integer(context.request, "after", default: 0, range: 0...Int64.max)) ?? 0
            // Stream until the client closes (reading inbound completes the close handshake).
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for try await _ in inbound {} }
                group.addTask { try await stream(to: outbound, principal: principal, after: after) }
                _ = try await group.next()
                group.cancelAll()
            }
        }
        return router
    }

    /// The application on `address`, with the connection hygiene of `GuardedHTTPChannel`;
    /// `onListening` runs once the socket is bound (so "listening" is said only when true).
    public func application(host address: String, port: Int, logger: Logger,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let server = GuardedHTTPChannel.builder(webSocketRouter: router(), configuration: configuration) { [self] head in
            upgradeRefusal(uri: head.uri, authorization: head.headers["authorization"].first, apiKey: head.headers["x-api-key"].first,
                           protocols: head.headers["sec-websocket-protocol"].first)
        }
        return Application(router: router(), server: server,
                           configuration: .init(address: .hostname(address, port: port), serverName: "leeway"),
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
                           logger: logger)
    }

    /// Why a WebSocket upgrade to `uri` must be refused before it starts (401 without a key that
    /// may read, 400 for a bad `after`), or nil. Other paths are left to the router.
    func upgradeRefusal(uri: String, authorization: String?, apiKey: String?, protocols: String? = nil) -> ServerError? {
        let parsed = URI(uri)
        guard parsed.path == "/v1/stream" else { return nil }
        guard authenticator.principal(forKey: Self.presentedKey(authorization: authorization, apiKey: apiKey, protocols: protocols)) != nil else {
            return ServerError.unauthorized()
        }
        if let text = parsed.queryParameters.get("after"), Int64(text).map({ $0 >= 0 }) != true {
            return ServerError.badRequest("invalid_parameter", "after must be an integer in 0...\(Int64.max), got \"\(text)\"")
        }
        return nil
    }

    /// The key a request presents: `Authorization: Bearer KEY`, else `X-API-Key: KEY`, else (a
    /// browser's WebSocket) the `leeway.key.…` subprotocol (`StreamKeyProtocol`).
    static func presentedKey(authorization: String?, apiKey: String?, protocols: String? = nil) -> String? {
        if let authorization, authorization.hasPrefix("Bearer ") { return String(authorization.dropFirst("Bearer ".count)) }
        return apiKey ?? StreamKeyProtocol.key(fromProtocols: protocols)
    }

    // MARK: - Handlers

    func postCommands(_ request: Request) async throws -> Response {
        let principal = try authorize(request, reading: false)
        // A follower says where to send commands before it reads the body.
        try await host.refuseUnlessLeading()
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: configuration.maxBodyBytes) } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.bodyTooLarge(configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw Self.bodyTooLarge(configuration.maxBodyBytes)
        } catch {
            // A malformed chunked encoding (or a body cut short): nothing of it is applied.
            throw ServerError(status: 400, code: "malformed_body", message: "the request body could not be read (\(error)); send it again with a valid Content-Length or chunked encoding")
        }
        let commands = try CommandBatch.parse(Array(body.readableBytesView), maximumCount: configuration.maxBatch)
        for command in commands {
            // An unknown type is the decoder's to refuse (unknown_type), for a role that may write at all.
            guard case .string(let type)? = command.object["type"],
                  CommandType(rawValue: type).map(principal.role.maySubmit) ?? (principal.role == .admin) else {
                let type: String = { if case .string(let name)? = command.object["type"] { return name } else { return "?" } }()
                throw ServerError.forbidden("submit \"\(type)\" commands")
            }
        }
        let results = try await host.submit(prepared: commands)
        // Each result names the command's position in the request (1-based) and its journal
        // record (which a `rejected` event's `command` refers to); a retried id is not journaled
        // again: its record is null, `retried` is true, and its events are the original ones.
        var text = "{\"results\":["
        for (index, outcome) in results.enumerated() {
            if index > 0 { text += "," }
            text += "{\"position\":\(index + 1),\"record\":" + (outcome.record.map(String.init) ?? "null,\"retried\":true")
            text += ",\"events\":[" + outcome.events.map(EventEncoder.encode).joined(separator: ",") + "]}"
        }
        return Self.json(text + "]}")
    }

    func account(_ request: Request, id: String) async throws -> Response {
        let principal = try authorize(request, reading: true)
        guard principal.mayRead(account: id) else { throw ServerError.forbidden("read account \"\(id)\"") }
        guard let report = await host.report(account: id) else { throw ServerError.notFound("no account \"\(id)\"") }
        var writer = JSONWriter()
        StateEncoder.encode(report, into: &writer)
        return Self.json(writer.text)
    }

    func listAccounts(_ request: Request) async throws -> Response {
        let principal = try authorize(request, reading: true)
        try Self.onlyParameters(request, ["phase", "order", "limit"])
        var phase: LiquidationPhase?
        if let text = request.uri.queryParameters.get("phase") {
            guard let parsed = LiquidationPhase(rawValue: text) else {
                throw ServerError.badRequest("invalid_parameter", "phase must be one of \(LiquidationPhase.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            phase = parsed
        }
        let order = request.uri.queryParameters.get("order") ?? "margin_ratio"
        guard order == "margin_ratio" || order == "id" else {
            throw ServerError.badRequest("invalid_parameter", "order must be margin_ratio or id")
        }
        let limit = Int(try Self.integer(request, "limit", default: 100, range: 1...10_000))
        let reports = await host.reports(phase: phase, orderByMarginRatio: order == "margin_ratio", limit: limit, visible: principal.visibleAccounts)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("accounts")
        writer.beginArray()
        for report in reports { StateEncoder.encode(report, into: &writer) }
        writer.endArray()
        writer.endObject()
        return Self.json(writer.text)
    }

    func whatIf(_ request: Request, id: String) async throws -> Response {
        let principal = try authorize(request, reading: true)
        guard principal.mayRead(account: id) else { throw ServerError.forbidden("read account \"\(id)\"") }
        try Self.onlyParameters(request, ["deposit", "reduce", "trade"])
        var deposit: (asset: String, amount: Fixed)?
        var reduce: (market: String, quantity: Fixed)?
        var trade: (market: String, size: Fixed)?
        if let text = request.uri.queryParameters.get("deposit") {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let amountText = parts.last, parts.count <= 2, let amount = try? Fixed(parsing: amountText) else {
                throw ServerError.badRequest("invalid_parameter", "deposit must be AMOUNT or ASSET:AMOUNT with a decimal amount, got \"\(text)\"")
            }
            let asset = parts.count == 2 ? parts[0] : await host.defaultSettleAsset
            deposit = (asset, amount)
        }
        if let text = request.uri.queryParameters.get("reduce") {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let quantity = try? Fixed(parsing: parts[1]) else {
                throw ServerError.badRequest("invalid_parameter", "reduce must be MARKET:SIZE, e.g. BTC-PERP:0.5, got \"\(text)\"")
            }
            reduce = (parts[0], quantity)
        }
        if let text = request.uri.queryParameters.get("trade") {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let size = try? Fixed(parsing: parts[1]) else {
                throw ServerError.badRequest("invalid_parameter", "trade must be MARKET:SIZE with a signed size (positive buys), e.g. BTC-PERP:-0.5, got \"\(text)\"")
            }
            trade = (parts[0], size)
        }
        guard deposit != nil || reduce != nil || trade != nil else {
            throw ServerError.badRequest("missing_parameter", "give deposit=AMOUNT (or ASSET:AMOUNT), reduce=MARKET:SIZE and/or trade=MARKET:SIZE")
        }
        let report: MarginReport
        do { report = try await host.whatIf(account: id, deposit: deposit, reduce: reduce, trade: trade) } catch {
            throw ServerError(status: error.code == .unknownAccount ? 404 : 400, code: error.code.rawValue, message: error.message)
        }
        var writer = JSONWriter()
        StateEncoder.encode(report, into: &writer)
        return Self.json(writer.text)
    }

    func events(_ request: Request) async throws -> Response {
        let principal = try authorize(request, reading: true)
        try Self.onlyParameters(request, ["after", "limit"])
        let after = try Self.integer(request, "after", default: 0, range: 0...Int64.max)
        let limit = Int(try Self.integer(request, "limit", default: 1_000, range: 1...10_000))
        // Only events this host has applied (a follower's journal may hold later ones already).
        let applied = await host.lastPublishedEventSeq
        let events = try host.journal.events(after: after, limit: limit, accounts: principal.visibleAccounts).filter { $0.seq <= applied }
        return Self.json("{\"events\":[" + events.map(\.line).joined(separator: ",") + "]}")
    }

    func markets(_ request: Request) async throws -> Response {
        _ = try authorize(request, reading: true)
        let markets = await host.markets, assets = await host.assets, policies = await host.policies
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("markets")
        writer.beginArray()
        for (index, market) in markets.enumerated() {
            writer.beginObject()
            writer.field("market", market.id)
            writer.field("settle", market.settleAsset < assets.count ? assets[market.settleAsset].id : "")
            writer.key("mark"); if let mark = market.markPrice { writer.string(mark.description) } else { writer.null() }
            writer.field("liquidation_fee", market.liquidationFee.description)
            writer.key("mark_ts"); if let markTime = market.markTimeMs { writer.integer(markTime) } else { writer.null() }
            writer.key("oracle")
            writer.beginObject()
            writer.key("max_mark_age_ms"); if let age = market.oracleGuard.maxMarkAgeMs { writer.integer(age) } else { writer.null() }
            writer.key("max_mark_move"); if let move = market.oracleGuard.maxMarkMove { writer.string(move.description) } else { writer.null() }
            writer.key("confirm_ms"); if let confirm = market.oracleGuard.confirmMs { writer.integer(confirm) } else { writer.null() }
            writer.field("liquidations_paused", market.liquidationsPaused)
            writer.key("held_mark")
            if let held = market.heldMark {
                writer.beginObject()
                writer.field("price", held.price.description)
                writer.field("ts", held.receivedMs)
                writer.endObject()
            } else { writer.null() }
            writer.endObject()
            if index < policies.count {
                // The policy in force here, as the `policy` command that sets it (PolicyEncoder's JSON).
                writer.field("policy_scope", policies[index].own ? "market" : "global")
                writer.key("policy"); writer.rawNumber(PolicyEncoder.command(policies[index].policy))
            }
            writer.key("tiers")
            writer.beginArray()
            for tier in market.tiers.tiers {
                writer.beginObject()
                writer.field("floor", tier.floor.description)
                writer.field("imr", tier.imr.description)
                writer.field("mmr", tier.mmr.description)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return Self.json(writer.text)
    }

    func insuranceFund(_ request: Request) async throws -> Response {
        _ = try authorize(request, reading: true)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("insurance_funds")
        writer.beginObject()
        for (asset, amount) in await host.insuranceFunds { writer.field(asset, amount.description) }
        writer.endObject()
        writer.endObject()
        return Self.json(writer.text)
    }

    /// `/healthz`: ok with the host's role (`leader`, or `follower`: it serves reads, and a load
    /// balancer sends commands only to the `leader`), or 503 with the reason.
    func health() async throws -> Response {
        let role = await host.role.name
        if let unavailable = await host.unavailability {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("status", "unavailable")
            writer.field("role", role)
            writer.field("code", unavailable.code)
            writer.field("reason", unavailable.message)
            writer.endObject()
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: writer.text)))
        }
        return Self.json(#"{"status":"ok","role":"\#(role)"}"#)
    }

    /// `/v1/status`: the journal position, clock, account count and state digest. The digest is
    /// computed here, on the request's task, from a copy of the state: not on the engine's owner.
    func status() async throws -> Response {
        if let unavailable = await host.unavailability { throw unavailable }
        let status = await host.status
        let digest = StateDigest(of: status.state)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("status", "ok")
        writer.field("role", status.role.name)
        writer.field("records", status.records)
        writer.field("last_event", status.events)
        writer.field("clock", status.clockMs)
        writer.field("accounts", status.accounts)
        writer.field("digest", digest.description)
        writer.endObject()
        return Self.json(writer.text)
    }

    /// Sends stored events after `after`, then live ones, with nothing missed or repeated: the
    /// subscription starts before the backlog is read, and live events up to the backlog's end
    /// are skipped.
    func stream(to outbound: WebSocketOutboundWriter, principal: Principal, after: Int64) async throws {
        let visible = principal.visibleAccounts.map(Set.init)
        let subscription = await host.subscribe(accounts: visible)
        defer { Task { await host.unsubscribe(subscription.id) } }
        var sent = after
        while sent < subscription.lastSeq {
            let backlog = try host.journal.events(after: sent, limit: 1_000, accounts: principal.visibleAccounts)
            guard let last = backlog.last else { break }
            for event in backlog where event.seq <= subscription.lastSeq { try await outbound.write(.text(event.line)) }
            sent = Swift.min(last.seq, subscription.lastSeq)
            if last.seq >= subscription.lastSeq { break }
        }
        sent = Swift.max(sent, subscription.lastSeq)
        for await event in subscription.stream where event.seq > sent {
            if subscription.lag.isSet { break }
            try await outbound.write(.text(event.line))
            sent = event.seq
        }
        // Dropped for falling behind: stop at the last event written and say where to resume.
        if subscription.lag.isSet {
            try await outbound.close(.unknown(SubscriberLag.closeCode), reason: SubscriberLag.reason(lastSeq: sent))
        }
    }

    // MARK: - Helpers

    /// The caller's principal; `reading` routes accept every role, others need a writing role.
    func authorize(_ request: Request, reading: Bool) throws(ServerError) -> Principal {
        let presented = Self.presentedKey(authorization: request.headers[.authorization],
                                          apiKey: HTTPField.Name("X-API-Key").flatMap { request.headers[$0] },
                                          protocols: request.headers[.secWebSocketProtocol])
        guard let principal = authenticator.principal(forKey: presented) else { throw ServerError.unauthorized() }
        if !reading, principal.role == .trader || principal.role == .reader { throw ServerError.forbidden("submit commands") }
        return principal
    }

    static func bodyTooLarge(_ limit: Int) -> ServerError {
        ServerError(status: 413, code: "body_too_large", message: "the request body is over \(limit) bytes; split the batch")
    }

    /// An account id from a URL path segment: percent-decoded (`al%69ce` is `alice`), then held
    /// to the identifier rule every entry point applies (`NameRule`).
    static func accountID(_ segment: String) throws(ServerError) -> String {
        guard let decoded = segment.removingPercentEncoding else {
            throw ServerError.badRequest("invalid_account_id", "the account id in the URL is not valid percent-encoding: \"\(segment)\"")
        }
        if let problem = NameRule.problem(with: decoded) {
            throw ServerError.badRequest("invalid_account_id", "the account id in the URL \(problem)")
        }
        return decoded
    }

    static func integer(_ request: Request, _ name: String, default value: Int64, range: ClosedRange<Int64>) throws(ServerError) -> Int64 {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int64(text), range.contains(number) else {
            throw ServerError.badRequest("invalid_parameter", "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return number
    }

    static func onlyParameters(_ request: Request, _ allowed: Set<String>) throws(ServerError) {
        for (name, _) in request.uri.queryParameters where !allowed.contains(String(name)) {
            throw ServerError.badRequest("unknown_parameter", "unknown query parameter \"\(name)\"; allowed: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs a handler, turning any error into a JSON error response (never a crash, never a 500
    /// with an internal message for bad input).
    func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let error as ServerError {
            return error.response
        } catch {
            return await respond { throw ServerError(status: 500, code: "internal", message: "the request could not be served: \(error)") }
        }
    }
}
