import Foundation
import Hummingbird
import HTTPTypes
import LeewayCore
import NIOCore

/// The dashboard: its static page (embedded in the binary) and the aggregate endpoints it polls.
/// Every endpoint scopes a trader key to its own accounts on the server.
extension ServerApplication {
    func addDashboardRoutes(to router: Router<Context>) {
        for asset in DashboardAssets.all {
            router.get(RouterPath(asset.path)) { _, _ in Self.staticFile(asset) }
        }
        router.get("/v1/dashboard/overview") { request, _ in await respond { try await dashboardOverview(request) } }
        router.get("/v1/dashboard/history") { request, _ in await respond { try await dashboardHistory(request) } }
        router.get("/v1/markets/:market/liquidation-map") { request, context in
            await respond { try await liquidationMap(request, market: context.parameters.get("market") ?? "") }
        }
    }

    /// A static file with its content type; the page may load only from this server
    /// (Content-Security-Policy), so nothing it does can reach another host.
    static func staticFile(_ asset: DashboardAssets.Asset) -> Response {
        Response(status: .ok,
                 headers: [.contentType: asset.contentType, .cacheControl: "no-cache",
                           .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
                           HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: asset.body)))
    }

    func dashboardOverview(_ request: Request) async throws -> Response {
        let principal = try authorize(request, reading: true)
        try Self.onlyParameters(request, ["limit"])
        let limit = Int(try Self.integer(request, "limit", default: 50, range: 1...Int64(DashboardCache.riskiestKept)))
        let view: DashboardCache.Overview
        if let visible = principal.visibleAccounts {
            view = await DashboardCache.computeOverview(host: host, accounts: visible, limit: limit)
        } else {
            view = await dashboardCache.venueOverview(host: host)
        }
        return Self.json(DashboardEncoder.overview(view, limit: limit, nowMs: host.nowMs(), scoped: principal.visibleAccounts != nil))
    }

    func dashboardHistory(_ request: Request) async throws -> Response {
        let principal = try authorize(request, reading: true)
        try Self.onlyParameters(request, ["after"])
        let after = try Self.integer(request, "after", default: 0, range: 0...Int64.max)
        let samples = await dashboardHistory.samples(afterMs: after)
        // Phase counts are venue-wide: a trader key gets funds and marks only.
        return Self.json(DashboardEncoder.history(samples, includePhases: principal.visibleAccounts == nil))
    }

    func liquidationMap(_ request: Request, market segment: String) async throws -> Response {
        let principal = try authorize(request, reading: true)
        try Self.onlyParameters(request, ["bins", "low", "high"])
        guard let market = segment.removingPercentEncoding, NameRule.problem(with: market) == nil else {
            throw ServerError.badRequest("invalid_market_id", "the market id in the URL is not a valid identifier: \"\(segment)\"")
        }
        let bins = Int(try Self.integer(request, "bins", default: 60, range: 1...400))
        let low = try Self.price(request, "low"), high = try Self.price(request, "high")
        if let low, let high, low >= high {
            throw ServerError.badRequest("invalid_parameter", "low must be below high, got low=\(low) high=\(high)")
        }
        let key = DashboardCache.MapKey(market: market, bins: bins, low: low, high: high)
        let map: LiquidationMap?
        if let visible = principal.visibleAccounts {
            map = await DashboardCache.computeMap(host: host, key: key, accounts: visible)
        } else {
            map = await dashboardCache.venueMap(host: host, key: key)
        }
        guard let map else { throw ServerError(status: 404, code: "unknown_market", message: "no market \"\(market)\"") }
        return Self.json(DashboardEncoder.liquidationMap(map))
    }

    /// An optional positive decimal query parameter.
    static func price(_ request: Request, _ name: String) throws(ServerError) -> Fixed? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = try? Fixed(parsing: text), value.isPositive else {
            throw ServerError.badRequest("invalid_parameter", "\(name) must be a positive decimal price, got \"\(text)\"")
        }
        return value
    }
}
