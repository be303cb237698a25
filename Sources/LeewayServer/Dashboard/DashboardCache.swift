import LeewayCore

/// The venue-wide aggregates behind the dashboard, computed at most once per `maxAgeMs` (or when
/// the journal moved on), off the engine's owner, and shared by every page that asks: a hundred
/// open pages cost what one does. A trader's view (only its own accounts) is small and computed
/// per request instead. The cache never holds the engine itself (that would make every later
/// write of the owner copy the state), only the aggregates taken from it.
actor DashboardCache {
    /// The riskiest accounts kept venue-wide; a request asks for at most this many.
    static let riskiestKept = 200

    /// What the overview endpoint shows, taken from one read view.
    struct Overview: Sendable {
        var overview: RiskOverview
        var records: Int64
        var lastEvent: Int64
        var clockMs: Int64
        var insuranceFunds: [(asset: String, amount: WideAmount)]
        var taken: ContinuousClock.Instant
    }

    struct MapKey: Hashable {
        var market: String
        var bins: Int
        var low: Fixed?
        var high: Fixed?
    }

    let maxAge: Duration
    var overview: Overview?
    var overviewInFlight: Task<Overview, Never>?
    var maps: [MapKey: (records: Int64, taken: ContinuousClock.Instant, map: LiquidationMap?)] = [:]

    init(maxAgeMs: Int64 = 500) { maxAge = .milliseconds(maxAgeMs) }

    /// The venue-wide overview, fresh to within `maxAge` (concurrent callers share one computation).
    func venueOverview(host: EngineHost) async -> Overview {
        if let overview, ContinuousClock.now - overview.taken < maxAge { return overview }
        if let overviewInFlight { return await overviewInFlight.value }
        let task = Task.detached { await Self.computeOverview(host: host, accounts: nil, limit: Self.riskiestKept) }
        overviewInFlight = task
        let fresh = await task.value
        overview = fresh
        overviewInFlight = nil
        return fresh
    }

    /// The overview over `accounts` only (a trader's), computed now, off the owner.
    static func computeOverview(host: EngineHost, accounts: [String]?, limit: Int) async -> Overview {
        let view = await host.readView
        let state = view.engine.state
        let funds = state.assets.enumerated().map { index, asset in
            (asset: asset.id, amount: index < state.insuranceFund.count ? state.insuranceFund[index] : WideAmount.zero)
        }
        return Overview(overview: view.engine.riskOverview(limit: limit, accounts: accounts), records: view.records,
                        lastEvent: view.lastEvent, clockMs: view.engine.clockMs, insuranceFunds: funds,
                        taken: .now)
    }

    /// The venue-wide liquidation map for `key`, fresh to within twice `maxAge`. `range` gives the
    /// bounds from the market's mark when the key leaves them open.
    func venueMap(host: EngineHost, key: MapKey) async -> LiquidationMap? {
        if let cached = maps[key], ContinuousClock.now - cached.taken < maxAge * 2 { return cached.map }
        let view = await host.readView
        if let cached = maps[key], cached.records == view.records { return cached.map }
        let engine = view.engine
        let map = await Task.detached { Self.map(of: engine, key: key, accounts: nil) }.value
        if maps.count > 64 { maps.removeAll() }
        maps[key] = (view.records, .now, map)
        return map
    }

    /// The map over `accounts` only (a trader's), computed now.
    static func computeMap(host: EngineHost, key: MapKey, accounts: [String]) async -> LiquidationMap? {
        map(of: await host.readView.engine, key: key, accounts: accounts)
    }

    /// Default bounds: the mark −25 % … +25 % (where a crash's liquidations fall), or nil without
    /// a mark and explicit bounds.
    static func map(of engine: Engine, key: MapKey, accounts: [String]?) -> LiquidationMap? {
        let mark = engine.state.markets.first { $0.id == key.market }?.markPrice
        guard engine.state.markets.contains(where: { $0.id == key.market }) else { return nil }
        let low = key.low ?? mark.flatMap { try? $0.multiplied(by: Fixed(raw: 75_000_000), rounding: .down) } ?? .zero
        let high = key.high ?? mark.flatMap { try? $0.multiplied(by: Fixed(raw: 125_000_000), rounding: .up) } ?? .one
        return engine.liquidationMap(market: key.market, bins: key.bins, low: low, high: high, accounts: accounts)
    }
}
