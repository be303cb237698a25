/// A tiered ("tax bracket") margin schedule with the continuous-maintenance recurrence.
///
/// For the tier whose floor is the largest not above the notional N:
///   MM(N) = N × mmr_i − cum_mm(i),  cum_mm(0) = 0,
///   cum_mm(i) = cum_mm(i−1) + floor_i × (mmr_i − mmr_{i−1}),
/// and IM the same way with imr. The cumulative deductions are kept exactly, in units of 10⁻¹⁶
/// (`Int128`), so MM is exactly continuous at every floor. A margin requirement is rounded once,
/// toward +∞ (a requirement is never understated).
public struct TierSchedule: Sendable, Hashable {
    public let tiers: [MarginTier]
    /// cum_mm(i) in 10⁻¹⁶ units.
    private let maintenanceDeductions: [Int128]
    /// cum_im(i) in 10⁻¹⁶ units.
    private let initialDeductions: [Int128]
    /// The largest maintenance rate of any tier; bounds how fast MM can grow with notional.
    public let maximumMaintenanceRate: Fixed

    /// Validates and builds a schedule. Rules: at least one tier; the first floor is 0; floors
    /// strictly ascending; 0 < mmr ≤ imr ≤ 1 in every tier; mmr and imr non-decreasing.
    public init(tiers: [MarginTier]) throws(TierScheduleError) {
        guard let first = tiers.first else { throw .empty }
        guard first.floor.isZero else { throw .firstFloorNotZero }
        var mmDeductions: [Int128] = [0]
        var imDeductions: [Int128] = [0]
        for (index, tier) in tiers.enumerated() {
            guard tier.mmr.isPositive, tier.mmr <= tier.imr, tier.imr <= .one else { throw .invalidRates(tier: index) }
            guard index > 0 else { continue }
            let previous = tiers[index - 1]
            guard tier.floor > previous.floor else { throw .floorsNotAscending(tier: index) }
            guard tier.mmr >= previous.mmr, tier.imr >= previous.imr else { throw .ratesDecreasing(tier: index) }
            mmDeductions.append(mmDeductions[index - 1] + Int128(tier.floor.raw) * Int128(tier.mmr.raw - previous.mmr.raw))
            imDeductions.append(imDeductions[index - 1] + Int128(tier.floor.raw) * Int128(tier.imr.raw - previous.imr.raw))
        }
        self.tiers = tiers
        self.maintenanceDeductions = mmDeductions
        self.initialDeductions = imDeductions
        self.maximumMaintenanceRate = tiers.map(\.mmr).max() ?? .zero
    }

    /// A single-rate schedule with a fixed maintenance deduction (Binance's "maintenance amount"),
    /// used for isolated what-if calculations.
    public init(maintenanceRate: Fixed, maintenanceAmount: Fixed) throws(TierScheduleError) {
        try self.init(tiers: [MarginTier(floor: .zero, imr: maintenanceRate, mmr: maintenanceRate)])
        self.maintenanceAmount = maintenanceAmount
    }

    /// A fixed maintenance deduction replacing cum_mm (the single-rate what-if schedule only).
    private var maintenanceAmount: Fixed? = nil

    /// The index of the tier covering `notional` (the largest floor ≤ notional).
    @inline(__always)
    public func tierIndex(forNotional notional: Fixed) -> Int {
        var index = 0
        while index + 1 < tiers.count, tiers[index + 1].floor <= notional { index += 1 }
        return index
    }

    /// cum_mm of tier `index`, in 10⁻¹⁶ units.
    public func maintenanceDeduction(tier index: Int) -> Int128 {
        maintenanceAmount.map { Int128($0.raw) * Int128(Fixed.scale) } ?? maintenanceDeductions[index]
    }

    /// Maintenance margin for a position of `notional` (≥ 0): N × mmr_i − cum_mm(i), rounded up.
    @inline(__always)
    public func maintenanceMargin(notional: Fixed) throws(ArithmeticError) -> Fixed {
        let index = tierIndex(forNotional: notional)
        let wide = Int128(notional.raw) * Int128(tiers[index].mmr.raw) - maintenanceDeduction(tier: index)
        return try Fixed.fromWide(Swift.max(wide, 0), dividedBy: Int128(Fixed.scale), rounding: .up)
    }

    /// Initial margin for a position of `notional` (≥ 0): N × imr_i − cum_im(i), rounded up.
    @inline(__always)
    public func initialMargin(notional: Fixed) throws(ArithmeticError) -> Fixed {
        let index = tierIndex(forNotional: notional)
        let wide = Int128(notional.raw) * Int128(tiers[index].imr.raw) - initialDeductions[index]
        return try Fixed.fromWide(Swift.max(wide, 0), dividedBy: Int128(Fixed.scale), rounding: .up)
    }
}

/// Why a tier list was refused.
public enum TierScheduleError: Error, Sendable, Hashable {
    case empty
    case firstFloorNotZero
    case floorsNotAscending(tier: Int)
    case invalidRates(tier: Int)
    case ratesDecreasing(tier: Int)

    public var message: String {
        switch self {
        case .empty: return "tiers must list at least one {\"floor\",\"imr\",\"mmr\"} bracket"
        case .firstFloorNotZero: return "the first tier's floor must be \"0\""
        case .floorsNotAscending(let tier): return "tier \(tier + 1)'s floor must be above the previous tier's floor"
        case .invalidRates(let tier): return "tier \(tier + 1) needs 0 < mmr ≤ imr ≤ 1"
        case .ratesDecreasing(let tier): return "tier \(tier + 1)'s imr and mmr must not be below the previous tier's"
        }
    }
}

/// A schedule is stored as its tiers only: the deductions and the largest rate are derived from
/// them (and re-validated) when it is read back.
extension TierSchedule: Codable {
    enum CodingKeys: String, CodingKey { case tiers, maintenanceAmount }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tiers = try container.decode([MarginTier].self, forKey: .tiers)
        do { self = try TierSchedule(tiers: tiers) } catch {
            throw DecodingError.dataCorruptedError(forKey: .tiers, in: container, debugDescription: "invalid tiers: \(error)")
        }
        maintenanceAmount = try container.decodeIfPresent(Fixed.self, forKey: .maintenanceAmount)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tiers, forKey: .tiers)
        try container.encodeIfPresent(maintenanceAmount, forKey: .maintenanceAmount)
    }
}

extension TierSchedule: StateDescribable {
    /// The tiers (and the what-if maintenance amount); the deductions are derived from them.
    public func describe<V: StateVisitor>(into visitor: inout V) {
        visitor.object { v in
            v.field("tiers", tiers)
            v.field("maintenanceAmount", maintenanceAmount)
        }
    }
}
