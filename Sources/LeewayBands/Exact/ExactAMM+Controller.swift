/// The AMM views the Controller reads (`can_skip_bands`, `active_band_with_skip`).
extension ExactAMM {
    /// `can_skip_bands(n_end)`: true when every band from the active band towards `nEnd` (not
    /// including it) is empty on the side a move there would consume: no collateral (y) going to
    /// higher band numbers, no borrowed coin (x) going to lower ones. At most 1024 bands are checked:
    /// past them classic answers true, head reverts ("Too deep").
    public func canSkipBands(to nEnd: Int) throws(BandsError) -> Bool {
        var n = activeBand
        for _ in 0..<Self.maxSkipTicks {
            if nEnd > n {
                if !y(n).isZero { return false }
                n += 1
            } else {
                if !x(n).isZero { return false }
                n -= 1
            }
            if n == nEnd { return true }
        }
        guard version == .classic else {
            throw BandsError("bands.too_deep", "Too deep: band \(nEnd) is more than \(Self.maxSkipTicks) bands from the active band \(activeBand).")
        }
        return true
    }

    /// `active_band_with_skip()`: from the active band down, the first band holding borrowed coin; if
    /// the walk passes below min_band, active − 1024.
    public func activeBandWithSkip() -> Int {
        let n0 = activeBand
        var n = n0
        for _ in 0..<Self.maxSkipTicks {
            if n < minBand { return n0 - Self.maxSkipTicks }
            if !x(n).isZero { break }
            n -= 1
        }
        return n
    }
}
