/// The engine's whole persistent state: everything a snapshot holds and the state digest covers.
/// Derived lookups and trigger indexes live in `EngineIndex` and are rebuilt from this.
public struct EngineState: Sendable, Codable {
    /// The version of this type's encoding (snapshots carry it; a reader refuses any other).
    /// 2: lifecycle value, wide ledger totals, pending retries, canonical snapshot writer.
    /// 3: policy part 2 (reserves, auto top-up, the deleveraging paces). 4: oracle safety per market.
    /// 5: options (`Market.option`), margin models (`Account.marginModel`, `Market.portfolioParams`).
    /// 6: `PortfolioParams.correlation`.
    public static let schemaVersion = 6

    /// The engine clock: the latest `ts` seen (ms since the Unix epoch).
    public var clockMs: Int64 = 0
    /// The `seq` the next event gets.
    public var nextSeq: Int64 = 1
    public var assets: [Asset] = []
    public var markets: [Market] = []
    public var globalPolicy = LiquidationPolicy.standard
    /// Per-market policy overrides, indexed like `markets`.
    public var marketPolicies: [LiquidationPolicy?] = []
    /// The default half-life of new markets' volatility estimators (ms).
    public var volatilityHalfLifeMs: Int64 = 3_600_000
    /// Accounts in creation order; an account's index never changes.
    public var accounts: ChunkedArray<Account> = []
    /// Ledger balances outside the traders, per asset (indexed like `assets`).
    /// Wide: each is a total over many traders and must not overflow before a trader's balance does.
    public var insuranceFund: [WideAmount] = []
    public var feeIncome: [WideAmount] = []
    public var outsideWorld: [WideAmount] = []
    /// Per market, in its settle asset.
    public var clearing: [WideAmount] = []
    /// Accounts whose last evaluation failed (an `alert` was raised), with the alert's code: they
    /// are evaluated again at the next command, in account order, until the failure clears.
    public var pendingRetries: [Int: String] = [:]
    /// The events each applied command with an `id` produced, for idempotent retries, while the
    /// id is inside the idempotency window. Sharded (`ShardedDictionary`): after a snapshot's
    /// capture, an insertion copies one shard, not a million entries.
    public var appliedCommandEvents: ShardedDictionary<String, [Event]> = [:]
    /// Those ids in the order they were applied, with the clock then: the window expires them
    /// oldest first. Chunked for the same reason (`ChunkedQueue`).
    public var appliedCommandOrder: ChunkedQueue<AppliedCommandID> = []
    /// An id is remembered for this long after it was applied (ms of engine clock) …
    public var idempotencyWindowMs: Int64 = 86_400_000
    /// … and at most this many ids are remembered (the oldest go first).
    public var idempotencyMaxIDs = 1_000_000

    public init() {}
}

/// An idempotency id and the engine clock when its command was applied.
public struct AppliedCommandID: Sendable, Hashable, Codable {
    public var id: String
    public var appliedMs: Int64

    public init(id: String, appliedMs: Int64) {
        self.id = id
        self.appliedMs = appliedMs
    }
}
