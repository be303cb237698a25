extension ExactAMM {
    /// `get_xy(user)`: per band ⌊(X + 1)·ds/(S + 1000)⌋ of each coin (what a full withdrawal would pay).
    public func userAmounts(_ user: String) throws(BandsError) -> (x: [UInt256], y: [UInt256])? {
        guard let deposit = users[user] else { return nil }
        var xs: [UInt256] = [], ys: [UInt256] = []
        for (i, n) in (deposit.n1...deposit.n2).enumerated() {
            let total = try (totalShares[n] ?? .zero).plus(Self.deadShares)
            let ds = deposit.shares[i]
            xs.append(try x(n).plus(1).times(ds).uDiv(total))
            ys.append(try y(n).plus(1).times(ds).uDiv(total))
        }
        return (xs, ys)
    }

    /// `get_sum_xy(user)`: the sums of `get_xy` (each term floored before adding).
    public func userSums(_ user: String) throws(BandsError) -> (x: UInt256, y: UInt256)? {
        guard let amounts = try userAmounts(user) else { return nil }
        var sx = UInt256.zero, sy = UInt256.zero
        for value in amounts.x { sx = try sx.plus(value) }
        for value in amounts.y { sy = try sy.plus(value) }
        return (sx, sy)
    }

    /// `get_xy_up(user, use_y)`: the user's collateral if the price rose through their bands
    /// adiabatically (`get_y_up`, use_y) or borrowed coin if it fell (`get_x_down`). Counts y only in
    /// bands n ≥ active and x only in n ≤ active; a one-coin band outside the oracle price converts at
    /// p_current_mid = ⌊⌊p_o²/p_down⌋·p_o/p_up⌋ and the band's √ ratio; a band that holds the oracle price
    /// is first traded to it: y_o = ⌊A·y0·(p_o − p_down)/p_o⌋, x_o = max(⌊Inv/(g + y_o)⌋, f) − f, then
    /// y_up = y_o + ⌊x_o·1e18/⌊√(p_up·p_o)⌋⌋, x_down = x_o + ⌊y_o·⌊√(p_down·p_o)⌋/1e18⌋. Each band's
    /// part is scaled by share/(S + 1000) and floored. Rounds down throughout (conservative, as the
    /// contract says: the +1 of `get_xy` is left out).
    public func userAdiabatic(_ user: String, useY: Bool) throws(BandsError) -> UInt256 {
        guard let deposit = users[user], let first = deposit.shares.first, !first.isZero else { return .zero }
        let wad = Self.wad
        let po = try priceOracle()
        guard !po.isZero else { throw BandsError("bands.invalid_price", "the oracle price is 0.") }
        let active = activeBand
        var pDown = try pOracleUp(deposit.n1)
        var total = UInt256.zero
        for (i, n) in (deposit.n1...deposit.n2).enumerated() {
            let bandX = n <= active ? x(n) : .zero
            let bandY = n >= active ? y(n) : .zero
            let pUp = pDown
            pDown = try pDown.times(aMinus1).uDiv(a)
            if bandX.isZero && bandY.isZero { continue }
            var totalShare = totalShares[n] ?? .zero
            let userShare = deposit.shares[i]
            if totalShare.isZero || userShare.isZero { continue }
            totalShare = try totalShare.plus(Self.deadShares)
            let mid = try po.times(po).over(pDown).times(po).uDiv(pUp)
            if bandX.isZero || bandY.isZero {
                if po > pUp {
                    let yEquivalent = bandY.isZero ? try bandX.times(wad).over(mid) : bandY
                    let part = useY ? yEquivalent : try yEquivalent.times(pUp).uDiv(sqrtBandRatio)
                    total = try total.plus(part.times(userShare).uDiv(totalShare))
                    continue
                } else if po < pDown {
                    let xEquivalent = bandX.isZero ? try bandY.times(mid).uDiv(wad) : bandX
                    let part = useY ? try xEquivalent.times(sqrtBandRatio).uDiv(pUp) : xEquivalent
                    total = try total.plus(part.times(userShare).uDiv(totalShare))
                    continue
                }
            }
            let y0 = try y0(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp)
            let f = try a.times(y0).times(po).uDiv(pUp).times(po).uDiv(wad)
            let g = try aMinus1.times(y0).times(pUp).uDiv(po)
            let inv = try f.plus(bandX).times(g.plus(bandY))
            if po > pUp {
                let yO = Self.subOrZero(try inv.over(f), g)
                let part = useY ? yO : try yO.times(pUp).uDiv(sqrtBandRatio)
                total = try total.plus(part.times(userShare).uDiv(totalShare))
            } else if po < pDown {
                let xO = Self.subOrZero(try inv.over(g), f)
                let part = useY ? try xO.times(sqrtBandRatio).uDiv(pUp) : xO
                total = try total.plus(part.times(userShare).uDiv(totalShare))
            } else {
                let yO = try a.times(y0).times(po.uSub(pDown)).uDiv(po)
                let xO = Self.subOrZero(try inv.over(g.plus(yO)), f)
                let part: UInt256
                if useY {
                    part = try yO.plus(xO.times(wad).over(pUp.times(po).squareRoot()))
                } else {
                    part = try xO.plus(yO.times(pDown.times(po).squareRoot()).uDiv(wad))
                }
                total = try total.plus(part.times(userShare).uDiv(totalShare))
            }
        }
        return total
    }
}
