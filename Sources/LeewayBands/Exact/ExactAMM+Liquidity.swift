extension ExactAMM {
    /// `deposit_range(user, amount, n1, n2)`: `amount` wei of collateral over bands n1…n2 (1…50 bands).
    /// Each band gets ⌊amount/N⌋, the first also the remainder; it mints ds = ⌊(S + 1000)·y/(Y + 1)⌋
    /// shares (the dead shares and the +1 wei keep the first depositor's ratio honest), rounding down.
    /// Bands at or above the active band must hold no borrowed coin: the active band then skips down
    /// to just above n1. Reverts (nothing changes): "Amount too low" (⌊amount/N⌋ ≤ 100 wei or a band
    /// minting 0 shares), "Deposit below current band", "Band not empty", more than 50 bands, n1 > n2,
    /// a user who already has liquidity, or a band's total shares beyond 2^128 − 1.
    public mutating func deposit(user: String, amount: UInt256, n1: Int, n2: Int) throws(BandsError) {
        var next = self
        try next.applyDeposit(user: user, amount: amount, n1: n1, n2: n2)
        self = next
    }

    private mutating func applyDeposit(user: String, amount: UInt256, n1: Int, n2: Int) throws(BandsError) {
        guard !user.isEmpty else { throw BandsError("bands.invalid_user", "a deposit needs a non-empty user name.") }
        guard n1 <= n2 else { throw BandsError("bands.invalid_range", "n1 (\(n1)) must not be above n2 (\(n2)) (the contract's convert(n2 − n1, uint256) reverts).") }
        guard n2 - n1 + 1 <= Self.maxTicks else {
            throw BandsError("bands.too_many_bands", "a deposit spans at most \(Self.maxTicks) bands (MAX_TICKS); n1…n2 spans \(n2 - n1 + 1).")
        }
        let count = UInt256(UInt64(n2 - n1 + 1))
        let perBand = amount.uDiv(count)
        guard perBand > UInt256(100 as UInt64) else {
            throw BandsError("bands.amount_too_low", "Amount too low: each band must get more than 100 wei (⌊amount/N⌋ = \(perBand) wei).")
        }
        guard users[user] == nil else { throw BandsError("bands.user_has_liquidity", "User must have no liquidity: \(user) already has a deposit; withdraw it fully before depositing again.") }
        var n0 = activeBand
        for i in 0...Self.maxSkipTicks {
            if n1 > n0 {
                if i != 0 { activeBand = n0 }
                break
            }
            guard x(n0).isZero, i < Self.maxSkipTicks else {
                throw BandsError("bands.deposit_below_current_band", "Deposit below current band: band \(n0) holds borrowed coin at or above n1 = \(n1); deposit into bands above the active band \(activeBand).")
            }
            n0 -= 1
        }
        var shares: [UInt256] = []
        shares.reserveCapacity(n2 - n1 + 1)
        for (i, band) in (n1...n2).enumerated() {
            guard x(band).isZero else { throw BandsError("bands.band_not_empty", "Band not empty: band \(band) holds borrowed coin.") }
            let bandY = i == 0 ? try amount.minus(perBand.times(count.uSub(1))) : perBand
            let totalY = y(band)
            var s = totalShares[band] ?? .zero
            let ds = try s.plus(Self.deadShares).times(bandY).uDiv(totalY.plus(1))
            guard !ds.isZero else { throw BandsError("bands.amount_too_low", "Amount too low: band \(band) would mint no shares.") }
            shares.append(ds)
            s = try s.plus(ds)
            guard s.bitWidth <= 128 else { throw BandsError("bands.arithmetic_overflow", "band \(band)'s total shares would pass 2^128 − 1.") }
            totalShares[band] = s
            bandsY[band] = try totalY.plus(bandY)
        }
        minBand = Swift.min(minBand, n1)
        maxBand = Swift.max(maxBand, n2)
        users[user] = ExactUserShares(n1: n1, n2: n2, shares: shares)
    }

    /// `withdraw(user, frac)`: frac in 1e18 units (1e18 = everything). Per band ds = ⌊frac·share/1e18⌋,
    /// paying ⌊(X + 1)·ds/(S + 1000)⌋ of each coin (the +1 wei, rounded down); when a band's last
    /// shares leave, its remaining dust is cleared from the band (classic: added to the admin fees;
    /// head: left untracked in the contract). min_band/max_band follow the emptied bands. Returns the
    /// [borrowed, collateral] paid out. Reverts: "No deposits", frac > 1e18.
    @discardableResult
    public mutating func withdraw(user: String, fraction: UInt256) throws(BandsError) -> (x: UInt256, y: UInt256) {
        var next = self
        let paid = try next.applyWithdraw(user: user, fraction: fraction)
        self = next
        return paid
    }

    private mutating func applyWithdraw(user: String, fraction: UInt256) throws(BandsError) -> (x: UInt256, y: UInt256) {
        guard fraction <= .wad else { throw BandsError("bands.withdraw_exceeds_deposit", "frac \(WeiDecimal.text(fraction)) is more than the user has; the most is 1 (everything).") }
        guard var deposit = users[user], let first = deposit.shares.first, !first.isZero else {
            throw BandsError("bands.no_deposit", "No deposits: user \(user) has no liquidity to withdraw.")
        }
        var totalX = UInt256.zero, totalY = UInt256.zero
        var newMin = minBand
        let oldMin = minBand, oldMax = maxBand
        var newMax = deposit.n1 - 1
        for (i, n) in (deposit.n1...deposit.n2).enumerated() {
            var bandX = x(n), bandY = y(n)
            let ds = try fraction.times(deposit.shares[i]).uDiv(.wad)
            deposit.shares[i] = deposit.shares[i].uSub(ds)
            var s = totalShares[n] ?? .zero
            let remaining = try s.minus(ds)
            totalShares[n] = remaining
            s = try s.plus(Self.deadShares)
            let dx = try bandX.plus(1).times(ds).uDiv(s)
            let dy = try bandY.plus(1).times(ds).uDiv(s)
            bandX = try bandX.minus(dx)
            bandY = try bandY.minus(dy)
            if remaining.isZero {
                if version == .classic {
                    if !bandX.isZero { adminFeesX = try adminFeesX.plus(bandX) }
                    if !bandY.isZero { adminFeesY = try adminFeesY.plus(bandY) }
                }
                bandX = .zero
                bandY = .zero
            }
            if n == newMin && bandX.isZero && bandY.isZero { newMin += 1 }
            if !bandX.isZero || !bandY.isZero { newMax = n }
            bandsX[n] = bandX
            bandsY[n] = bandY
            totalX = try totalX.plus(dx)
            totalY = try totalY.plus(dy)
        }
        users[user] = fraction == .wad ? nil : deposit
        if oldMin != newMin { minBand = newMin }
        if oldMax <= deposit.n2 { maxBand = newMax }
        return (totalX, totalY)
    }
}
