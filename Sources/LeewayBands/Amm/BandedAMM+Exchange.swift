import Foundation

extension BandedAMM {
    /// (A/(A − 1))^50: an exchange stops more than ~50 bands away from the oracle price.
    var maximumOracleDistance: Double { Foundation.pow(Double(a) / Double(a - 1), 50) }

    /// Simulates selling `inAmount` of coin i (0: borrowed in, collateral out — "pump", walking to higher
    /// n; 1: collateral in, borrowed out — "dump", walking to lower n) at oracle (p_o, fee) — `calc_swap_out`.
    ///
    /// Per band: fee_band = max(fee, band-distance fee), antifee = 1/(1 − fee_band). Pumping, a band's
    /// collateral is exhausted by x_dest = Inv/g − f − x of borrowed coin, costing dx = x_dest·antifee
    /// (the fee stays in the band); the last band takes what is left: its collateral falls to
    /// Inv/(f + x + left/antifee) − g (+1 wei, rounding the output down). Dumping mirrors it with
    /// y_dest = Inv/f − g − y. The walk stops at the last band with liquidity, after 50 bands, or when
    /// the band is more than ~50 bands from the oracle; then less input is used.
    func swapOut(pump: Bool, inAmount: Double, oracle: (price: Double, dynamicFee: Double)) -> SwapOutcome {
        var out = SwapOutcome()
        out.n2 = activeBand
        var pUp = pOracleUp(out.n2)
        var bandX = x(out.n2), bandY = y(out.n2)
        var left = inAmount
        let baseFee = Swift.max(fee, oracle.dynamicFee)
        let po = oracle.price
        let amp = Double(a)
        let farthest = maximumOracleDistance
        var j: Int? = nil
        let iterations = Self.maximumTicks + Self.maximumSkipTicks
        for i in 0..<iterations {
            var invariant: BandInvariant? = nil
            var bandFee = baseFee
            if bandX > 0 || bandY > 0 {
                if j == nil { out.n1 = out.n2; j = 0; out.touched = true }
                invariant = BandInvariant(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp, a: a)
                bandFee = Swift.max(bandDistanceFee(oraclePrice: po, pOracleUp: pUp), baseFee)
            }
            let antifee = 1 / (1 - Swift.min(bandFee, 1 - Self.wei))
            if j != nil { out.ticksIn.append(pump ? bandX : bandY) }
            let pRatio = pUp / po
            if pump {
                if bandY != 0, let inv = invariant, inv.g != 0, let tick = j {
                    let xDest = Swift.max(inv.invariant / inv.g - inv.f - bandX, 0)
                    let dx = xDest * antifee
                    if dx >= left {
                        let netIn = left / antifee
                        out.lastTickOut = Swift.min(Swift.max(inv.invariant / (inv.f + (bandX + netIn)) - inv.g, 0) + Self.wei, bandY)
                        out.outAmount += bandY - out.lastTickOut
                        out.ticksIn[tick] = bandX + left
                        out.inAmount = inAmount
                        break
                    }
                    let paid = Swift.max(dx, Self.wei)
                    left -= paid
                    out.ticksIn[tick] = bandX + paid
                    out.inAmount += paid
                    out.outAmount += bandY
                }
                if i != iterations - 1 {
                    if out.n2 == maxBand { break }
                    if j == Self.maximumTicks - 1 { break }
                    if pRatio < 1 / farthest { break }
                    out.n2 += 1
                    pUp = pUp * (amp - 1) / amp
                    bandX = 0
                    bandY = y(out.n2)
                }
            } else {
                if bandX != 0, let inv = invariant, inv.f != 0, let tick = j {
                    let yDest = Swift.max(inv.invariant / inv.f - inv.g - bandY, 0)
                    let dy = yDest * antifee
                    if dy >= left {
                        let netIn = left / antifee
                        out.lastTickOut = Swift.min(Swift.max(inv.invariant / (inv.g + (bandY + netIn)) - inv.f, 0) + Self.wei, bandX)
                        out.outAmount += bandX - out.lastTickOut
                        out.ticksIn[tick] = bandY + left
                        out.inAmount = inAmount
                        break
                    }
                    let paid = Swift.max(dy, Self.wei)
                    left -= paid
                    out.ticksIn[tick] = bandY + paid
                    out.inAmount += paid
                    out.outAmount += bandX
                }
                if i != iterations - 1 {
                    if out.n2 == minBand { break }
                    if j == Self.maximumTicks - 1 { break }
                    if pRatio > farthest { break }
                    out.n2 -= 1
                    pUp = pUp * amp / (amp - 1)
                    bandX = x(out.n2)
                    bandY = 0
                }
            }
            if let tick = j { j = tick + 1 }
        }
        return out
    }

    /// Amount of coin j an exchange of `amount` coin i would give now, without changing anything (`get_dy`).
    public func quote(i: Int, j: Int, amount: Double) throws(BandsError) -> SwapOutcome {
        try Self.validateIndices(i: i, j: j)
        try Self.validateAmount(amount)
        guard amount > 0 else { return SwapOutcome() }
        return swapOut(pump: i == 0, inAmount: amount, oracle: limitedOracle())
    }

    /// Exchanges `amount` of coin i for coin j at time `timeMs` (`exchange`): the oracle is read and
    /// stored first (even for amount 0), then the bands walked by `swapOut` get their new balances and
    /// the AMM's active band becomes the last one. Returns [in used, out given].
    @discardableResult
    public mutating func exchange(i: Int, j: Int, amount: Double, timeMs: Int64?) throws(BandsError) -> (inAmount: Double, outAmount: Double) {
        try Self.validateIndices(i: i, j: j)
        try Self.validateAmount(amount)
        try advance(to: timeMs)
        let oracle = writeOracle()
        guard amount > 0 else { return (0, 0) }
        let out = swapOut(pump: i == 0, inAmount: amount, oracle: oracle)
        guard out.touched, out.inAmount > 0, out.outAmount > 0 else { return (0, 0) }
        let low = Swift.min(out.n1, out.n2)
        let span = Swift.abs(out.n2 - out.n1)
        for k in 0...span {
            let n = low + k
            if i == 0 {
                bandsX[n] = out.ticksIn[k]
                bandsY[n] = n == out.n2 ? out.lastTickOut : 0
            } else {
                bandsY[n] = out.ticksIn[span - k]
                bandsX[n] = n == out.n2 ? out.lastTickOut : 0
            }
        }
        activeBand = out.n2
        return (out.inAmount, out.outAmount)
    }

    /// The amount to exchange so that the AMM ends at price `p` and its direction (`get_amount_for_price`):
    /// pump (borrowed coin in) when p is above the current price. Walking from the active band, each
    /// band adds its full conversion Inv/g − f − x (or Inv/f − g − y) × antifee, and the band whose
    /// current-price range p_cd…p_cu holds p adds the partial move to y_new = √(Inv/p) − g,
    /// x_new = Inv/(g + y_new) − f. Changes nothing.
    public func amountForPrice(_ p: Double) throws(BandsError) -> (amount: Double, pump: Bool) {
        guard p.isFinite, p > 0 else { throw BandsError("bands.invalid_price", "the target price must be a positive number; got \(p).") }
        let oracle = limitedOracle()
        let po = oracle.price
        let amp = Double(a)
        var n = activeBand
        var pUp = pOracleUp(n)
        var pCurrentDown = po * po / pUp * po / pUp
        var pCurrentUp = pCurrentDown * (amp * amp) / ((amp - 1) * (amp - 1))
        var amount = 0.0
        var j: Int? = nil
        var pump = true
        let baseFee = Swift.max(fee, oracle.dynamicFee)
        let farthest = maximumOracleDistance
        for i in 0..<(Self.maximumTicks + Self.maximumSkipTicks) {
            let bandX = x(n), bandY = y(n)
            if i == 0 && p < BandInvariant.price(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp, a: a) { pump = false }
            var bandFee = baseFee
            var invariant: BandInvariant? = nil
            if bandX > 0 || bandY > 0 {
                invariant = BandInvariant(x: bandX, y: bandY, oraclePrice: po, pOracleUp: pUp, a: a)
                if j == nil { j = 0 }
                bandFee = Swift.max(bandDistanceFee(oraclePrice: po, pOracleUp: pUp), baseFee)
            }
            let antifee = 1 / (1 - Swift.min(bandFee, 1 - Self.wei))
            if p <= pCurrentUp && p >= pCurrentDown {
                if let inv = invariant {
                    let yNew = Swift.max((inv.invariant / p).squareRoot() - inv.g, 0)
                    let xNew = Swift.max(inv.invariant / (inv.g + yNew) - inv.f, 0)
                    amount += pump ? Swift.max(xNew - bandX, 0) * antifee : Swift.max(yNew - bandY, 0) * antifee
                }
                break
            }
            let pRatio = pUp / po
            if pump {
                if let inv = invariant { amount += Swift.max(inv.invariant / inv.g - inv.f - bandX, 0) * antifee }
                if n == maxBand || j == Self.maximumTicks - 1 || pRatio < 1 / farthest { break }
                n += 1
                pCurrentDown = pCurrentUp
                pCurrentUp = pCurrentUp * (amp * amp) / ((amp - 1) * (amp - 1))
                pUp = pUp * (amp - 1) / amp
            } else {
                if let inv = invariant { amount += Swift.max(inv.invariant / inv.f - inv.g - bandY, 0) * antifee }
                if n == minBand || j == Self.maximumTicks - 1 || pRatio > farthest { break }
                n -= 1
                pCurrentUp = pCurrentDown
                pCurrentDown = pCurrentDown * ((amp - 1) * (amp - 1)) / (amp * amp)
                pUp = pUp * amp / (amp - 1)
            }
            if let tick = j { j = tick + 1 }
        }
        return (amount, pump)
    }

    static func validateIndices(i: Int, j: Int) throws(BandsError) {
        guard (i == 0 && j == 1) || (i == 1 && j == 0) else {
            throw BandsError("bands.wrong_index", "coin indices must be i=0, j=1 (borrowed in, collateral out) or i=1, j=0; got i=\(i), j=\(j).")
        }
    }

    static func validateAmount(_ amount: Double) throws(BandsError) {
        guard amount.isFinite, amount >= 0 else { throw BandsError("bands.invalid_amount", "the exchange amount must be 0 or a positive number; got \(amount).") }
    }
}
