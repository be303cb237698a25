extension ExactAMM {
    /// `calc_swap_out(pump, in_amount, p_o)`: walks from the active band (pump: borrowed coin in,
    /// towards higher n; dump: collateral in, towards lower n). In each non-empty band, with
    /// f = ⌊⌊A·y0·p_o/p_up⌋·p_o/1e18⌋, g = ⌊(A−1)·y0·p_up/p_o⌋, Inv = (f + x)(g + y) and
    /// antifee = ⌊1e36/(1e18 − min(fee, 1e18 − 1))⌋ (fee = max of base, oracle-change and band-distance
    /// fees): converting the band fully costs ⌊(Inv/g − f − x)·antifee/1e18⌋ (at least 1 wei, so no
    /// dust is left); the band that absorbs the rest keeps y' = min(⌊Inv/(f + x + ⌊in·1e18/antifee⌋)⌋
    /// − g + 1, y) (the +1 wei rounds the output down). Empty bands are skipped (at most 1024); the walk
    /// stops after 50 bands with liquidity, at min/max_band, or ~50 bands from the oracle, and then uses
    /// less input (a partial fill). Classic: ⌊(input − net)·admin_fee/1e18⌋ of each band's fee is set aside.
    public func swapOut(pump: Bool, inAmount: UInt256, oracle: (price: UInt256, dynamicFee: UInt256)) throws(BandsError) -> ExactTrade {
        var out = ExactTrade()
        out.n2 = activeBand
        var pUp = try pOracleUp(out.n2)
        var bandX = x(out.n2), bandY = y(out.n2)
        var left = inAmount
        let baseFee = Swift.max(fee, oracle.dynamicFee)
        let po = oracle.price
        let wad = Self.wad
        var j = Self.maxTicks
        let iterations = Self.maxTicks + Self.maxSkipTicks
        let lowestRatio = Self.wad2.uDiv(maxOracleDownPow)
        for i in 0..<iterations {
            var f = UInt256.zero, g = UInt256.zero, inv = UInt256.zero
            var bandFee = baseFee
            if !bandX.isZero || !bandY.isZero {
                if j == Self.maxTicks { out.n1 = out.n2; j = 0 }
                let y0 = try y0(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp)
                f = try a.times(y0).times(po).over(pUp).times(po).uDiv(wad)
                g = try aMinus1.times(y0).times(pUp).uDiv(po)
                inv = try f.plus(bandX).times(g.plus(bandY))
                bandFee = Swift.max(try bandDistanceFee(oraclePrice: po, pOracleUp: pUp), baseFee)
            }
            let antifee = Self.wad2.uDiv(wad.uSub(Swift.min(bandFee, wad.uSub(1))))
            if j != Self.maxTicks { out.ticksIn.append(pump ? bandX : bandY) }
            let pRatio = try pUp.times(wad).uDiv(po)
            if pump {
                if !bandY.isZero && !g.isZero,
                   try fillBand(held: bandX, outBalance: bandY, inOffset: f, outOffset: g, invariant: inv, antifee: antifee, left: &left, tick: j, total: inAmount, into: &out) {
                    break
                }
                if i != iterations - 1 {
                    if out.n2 == maxBand { break }
                    if j == Self.maxTicks - 1 { break }
                    if pRatio < lowestRatio { break }
                    out.n2 += 1
                    pUp = try pUp.times(aMinus1).uDiv(a)
                    bandX = .zero
                    bandY = y(out.n2)
                }
            } else {
                if !bandX.isZero && !f.isZero,
                   try fillBand(held: bandY, outBalance: bandX, inOffset: g, outOffset: f, invariant: inv, antifee: antifee, left: &left, tick: j, total: inAmount, into: &out) {
                    break
                }
                if i != iterations - 1 {
                    if out.n2 == minBand { break }
                    if j == Self.maxTicks - 1 { break }
                    if pRatio > maxOracleDownPow { break }
                    out.n2 -= 1
                    pUp = try pUp.times(a).uDiv(aMinus1)
                    bandX = x(out.n2)
                    bandY = .zero
                }
            }
            if j != Self.maxTicks { j += 1 }
        }
        return out
    }

    /// One band of `calc_swap_out`, written once for both directions: `held` is the band's balance of
    /// the input coin, `outBalance` of the output coin, (inOffset, outOffset) = (f, g) for a pump and
    /// (g, f) for a dump. Converting the band fully needs dest = ⌊Inv/outOffset⌋ − inOffset − held,
    /// paid ⌊dest·antifee/1e18⌋ (at least 1 wei). If that covers what is left, this is the last band:
    /// it keeps min(⌊Inv/(inOffset + held + ⌊left·1e18/antifee⌋)⌋ − outOffset + 1, outBalance) and the
    /// walk ends (returns true); otherwise the band is taken whole. Classic: the admin's share
    /// ⌊(paid − net)·admin_fee/1e18⌋ leaves the band.
    private func fillBand(held: UInt256, outBalance: UInt256, inOffset: UInt256, outOffset: UInt256, invariant inv: UInt256, antifee: UInt256,
                          left: inout UInt256, tick j: Int, total inAmount: UInt256, into out: inout ExactTrade) throws(BandsError) -> Bool {
        let wad = Self.wad
        let dest = try inv.uDiv(outOffset).minus(inOffset).minus(held)
        let needed = try dest.times(antifee).uDiv(wad)
        if needed >= left {
            let net = try left.times(wad).uDiv(antifee)
            out.lastTickOut = Swift.min(try inv.over(inOffset.plus(held.plus(net))).minus(outOffset).plus(1), outBalance)
            let adminPart = try left.uSub(net).times(adminFee).uDiv(wad)
            out.outAmount = try out.outAmount.plus(outBalance.minus(out.lastTickOut))
            out.ticksIn[j] = try held.plus(left).minus(adminPart)
            out.inAmount = inAmount
            out.adminFee = out.adminFee.uAdd(adminPart)
            return true
        }
        let paid = Swift.max(needed, .one)
        let adminPart = try paid.uSub(dest).times(adminFee).uDiv(wad)
        left = try left.minus(paid)
        out.ticksIn[j] = try held.plus(paid).minus(adminPart)
        out.inAmount = try out.inAmount.plus(paid)
        out.outAmount = try out.outAmount.plus(outBalance)
        out.adminFee = out.adminFee.uAdd(adminPart)
        return false
    }

    /// `get_dxdy(i, j, amount)`: what an exchange would use and give now, changing nothing.
    public func quote(i: Int, j: Int, amount: UInt256) throws(BandsError) -> ExactTrade {
        try Self.validateIndices(i: i, j: j)
        guard !amount.isZero else { return ExactTrade() }
        return try swapOut(pump: i == 0, inAmount: amount, oracle: limitedOracle())
    }

    /// `exchange(i, j, amount, 0)`: reads and stores the oracle (even for amount 0 or an exchange that
    /// finds nothing), then writes each walked band's new balances (the last band keeps
    /// `lastTickOut` of the output coin) and makes the last band active. Returns [in used, out given];
    /// [0, 0] when either rounds to 0. "Wrong index" unless (i, j) is (0, 1) or (1, 0).
    @discardableResult
    public mutating func exchange(i: Int, j: Int, amount: UInt256) throws(BandsError) -> (inAmount: UInt256, outAmount: UInt256) {
        try Self.validateIndices(i: i, j: j)
        let oracle = try limitedOracle()
        guard !amount.isZero else {
            writeOracle(oracle)
            return (.zero, .zero)
        }
        let out = try swapOut(pump: i == 0, inAmount: amount, oracle: oracle)
        guard !out.outAmount.isZero, !out.inAmount.isZero else {
            writeOracle(oracle)
            return (.zero, .zero)
        }
        // Everything that can revert is checked before the first write.
        let newAdminX = i == 0 ? try adminFeesX.plus(out.adminFee) : adminFeesX
        let newAdminY = i == 1 ? try adminFeesY.plus(out.adminFee) : adminFeesY
        writeOracle(oracle)
        adminFeesX = newAdminX
        adminFeesY = newAdminY
        let low = Swift.min(out.n1, out.n2)
        let span = Swift.abs(out.n2 - out.n1)
        for k in 0...span {
            let n = low + k
            if i == 0 {
                bandsX[n] = out.ticksIn[k]
                bandsY[n] = n == out.n2 ? out.lastTickOut : .zero
            } else {
                bandsY[n] = out.ticksIn[span - k]
                bandsX[n] = n == out.n2 ? out.lastTickOut : .zero
            }
        }
        activeBand = out.n2
        return (out.inAmount, out.outAmount)
    }

    /// `get_amount_for_price(p)`: the input that moves the AMM's price to p and its direction (pump
    /// when p is above the current price). Each band passed adds its full conversion
    /// ⌊(Inv/g − f − x)·antifee/1e18⌋ (or the y side); the band whose p_cd…p_cu holds p adds the partial
    /// move to y' = √(Inv·1e18/p) − g, x' = Inv/(g + y') − f (each floored, never below 0). The total is
    /// then rounded up in wei precision (⌊(amount − 1)/1⌋ + 1). Changes nothing.
    public func amountForPrice(_ p: UInt256) throws(BandsError) -> (amount: UInt256, pump: Bool) {
        let wad = Self.wad
        let oracle = try limitedOracle()
        let po = oracle.price
        var n = activeBand
        var pUp = try pOracleUp(n)
        var pDown = try po.times(po).uDiv(pUp).times(po).uDiv(pUp)
        var pCurrentUp = try pDown.times(a2).uDiv(aMinus12)
        var amount = UInt256.zero
        var y0 = UInt256.zero, f = UInt256.zero, g = UInt256.zero, inv = UInt256.zero
        var j = Self.maxTicks
        var pump = true
        let baseFee = Swift.max(fee, oracle.dynamicFee)
        let lowestRatio = Self.wad2.uDiv(maxOracleDownPow)
        for i in 0..<(Self.maxTicks + Self.maxSkipTicks) {
            guard !pUp.isZero else { throw BandsError("bands.arithmetic_overflow", "p_oracle_up reached 0 (the contract asserts it is positive).") }
            let bandX = x(n), bandY = y(n)
            if i == 0, p < (try price(band: n, x: bandX, y: bandY)) { pump = false }
            var bandFee = baseFee
            let notEmpty = !bandX.isZero || !bandY.isZero
            if notEmpty {
                y0 = try self.y0(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp)
                f = try a.times(y0).times(po).uDiv(pUp).times(po).uDiv(wad)
                g = try aMinus1.times(y0).times(pUp).uDiv(po)
                inv = try f.plus(bandX).times(g.plus(bandY))
                if j == Self.maxTicks { j = 0 }
                bandFee = Swift.max(try bandDistanceFee(oraclePrice: po, pOracleUp: pUp), baseFee)
            }
            let antifee = Self.wad2.uDiv(wad.uSub(Swift.min(bandFee, wad.uSub(1))))
            if p <= pCurrentUp && p >= pDown {
                if notEmpty {
                    let yNew = Self.subOrZero(try inv.times(wad).over(p).squareRoot(), g)
                    let xNew = Self.subOrZero(try inv.over(g.plus(yNew)), f)
                    let move = pump ? Self.subOrZero(xNew, bandX) : Self.subOrZero(yNew, bandY)
                    amount = try amount.plus(move.times(antifee).uDiv(wad))
                }
                break
            }
            let pRatio = try pUp.times(wad).uDiv(po)
            if pump {
                if notEmpty { amount = try amount.plus(inv.over(g).minus(f).minus(bandX).times(antifee).uDiv(wad)) }
                if n == maxBand || j == Self.maxTicks - 1 || pRatio < lowestRatio { break }
                n += 1
                pDown = pCurrentUp
                pCurrentUp = try pCurrentUp.times(a2).uDiv(aMinus12)
                pUp = try pUp.times(aMinus1).uDiv(a)
            } else {
                if notEmpty { amount = try amount.plus(inv.over(f).minus(g).minus(bandY).times(antifee).uDiv(wad)) }
                if n == minBand || j == Self.maxTicks - 1 || pRatio > maxOracleDownPow { break }
                n -= 1
                pCurrentUp = pDown
                pDown = try pDown.times(aMinus12).uDiv(a2)
                pUp = try pUp.times(a).uDiv(aMinus1)
            }
            if j != Self.maxTicks { j += 1 }
        }
        if amount.isZero { return (.zero, pump) }
        return (amount.uSub(1).uAdd(1), pump)
    }

    /// `max(a, b) − b`: a − b, or 0 when a < b (`sub_or_zero`).
    static func subOrZero(_ a: UInt256, _ b: UInt256) -> UInt256 { Swift.max(a, b).uSub(b) }

    static func validateIndices(i: Int, j: Int) throws(BandsError) {
        guard (i == 0 && j == 1) || (i == 1 && j == 0) else {
            throw BandsError("bands.wrong_index", "Wrong index: coin indices must be i=0, j=1 (borrowed in, collateral out) or i=1, j=0; got i=\(i), j=\(j).")
        }
    }
}
