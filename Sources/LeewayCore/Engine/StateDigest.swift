import Crypto

/// A SHA-256 hash of the engine's canonical state: equal histories give equal digests on any
/// machine, and any difference in a balance, position, phase, deadline, price, policy or the clock
/// gives a different one. Derived indexes are not covered (they are rebuilt from the state).
///
/// Encoding: fixed-width little-endian integers, length-prefixed UTF-8 strings, `Fixed` as its
/// raw `Int64`, `Double` as its IEEE bit pattern, collections length-prefixed in table order
/// (creation order, which equal histories share), and the idempotency ids sorted.
public struct StateDigest: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Lower-case hex.
    public var description: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in bytes { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 0x0F)]) }
        return text
    }

    public init(of state: EngineState) {
        var writer = DigestWriter()
        writer.write(state.clockMs)
        writer.write(state.nextSeq)
        writer.write(Int64(state.assets.count))
        for asset in state.assets {
            writer.write(asset.id); writer.write(asset.price); writer.write(asset.weight)
        }
        writer.write(Int64(state.markets.count))
        for (index, market) in state.markets.enumerated() {
            writer.write(market.id)
            writer.write(Int64(market.settleAsset))
            writer.write(Int64(market.tiers.tiers.count))
            for tier in market.tiers.tiers { writer.write(tier.floor); writer.write(tier.imr); writer.write(tier.mmr) }
            writer.write(market.liquidationFee)
            writer.write(market.markPrice ?? Fixed(raw: -1))
            writer.write(market.largestPositionSize)
            writer.write(market.volatility.halfLifeMs)
            writer.write(market.volatility.lastPrice ?? -1)
            writer.write(market.volatility.lastSampleMs ?? -1)
            writer.write(market.volatility.varianceRatePerMs)
            writer.write(Int64(market.volatility.sampleCount))
            writer.write(state.clearing[index].raw)
            writer.write(state.marketPolicies[index])
        }
        writer.write(state.globalPolicy)
        writer.write(state.volatilityHalfLifeMs)
        for ledger in [state.insuranceFund, state.feeIncome, state.outsideWorld] {
            writer.write(Int64(ledger.count))
            for amount in ledger { writer.write(amount.raw) }
        }
        writer.write(Int64(state.accounts.count))
        for account in state.accounts {
            writer.write(account.id)
            writer.write(account.phase.rawValue)
            writer.write(account.liquidation.dueMs ?? -1)
            // Trailing zero balances are not state: an account that never held an asset and one
            // whose balance returned to zero are the same.
            var balances = account.balances
            while balances.last?.isZero == true { balances.removeLast() }
            writer.write(Int64(balances.count))
            for balance in balances { writer.write(balance) }
            writer.write(Int64(account.positions.count))
            for position in account.positions {
                writer.write(Int64(position.market)); writer.write(position.size); writer.write(position.openNotional)
            }
        }
        let ids = state.appliedCommandEvents.keys.sorted()
        writer.write(Int64(ids.count))
        for id in ids {
            writer.write(id)
            let events = state.appliedCommandEvents[id] ?? []
            writer.write(Int64(events.count))
            for event in events { writer.write(event.seq) }
        }
        let retries = state.pendingRetries.keys.sorted()
        writer.write(Int64(retries.count))
        for account in retries { writer.write(Int64(account)); writer.write(state.pendingRetries[account] ?? "") }
        bytes = writer.finish()
    }
}

/// Feeds canonical bytes into SHA-256.
private struct DigestWriter {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(4096) }

    mutating func write(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        if buffer.count >= 4096 { flush() }
    }
    mutating func write(_ value: Fixed) { write(value.raw) }
    /// A wide amount as its low then high 64 bits.
    mutating func write(_ value: Int128) {
        write(Int64(truncatingIfNeeded: value)); write(Int64(truncatingIfNeeded: value >> 64))
    }
    mutating func write(_ value: Double) { write(Int64(bitPattern: value.bitPattern)) }
    mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(Int64(utf8.count))
        buffer.append(contentsOf: utf8)
    }
    mutating func write(_ policy: LiquidationPolicy?) {
        guard let policy else { write(Int64(-1)); return }
        write(policy.mode.rawValue)
        write(policy.warningBuffer); write(policy.hardFraction); write(policy.stepFraction)
        write(policy.cooldownMs); write(policy.cureBuffer)
        switch policy.grace {
        case .fixed(let ms): write(Int64(0)); write(ms)
        case let .volatilityScaled(probability, minMs, maxMs): write(Int64(1)); write(probability); write(minMs); write(maxMs)
        }
    }

    private mutating func flush() {
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func finish() -> [UInt8] {
        flush()
        return Array(hasher.finalize())
    }
}

extension Engine {
    /// The digest of the current state.
    public var digest: StateDigest { StateDigest(of: state) }
}
