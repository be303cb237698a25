import Foundation

/// Curve's simulator AMM (curvefi/llamma-simulator `LendingAMM`, the version with fee-adjusted band
/// edges in `trade_to_price`) in binary64, operation for operation, so that losses agree with the
/// Python simulator to the last few bits. It is a model of the contract for simulations, not the
/// contract: see `BandedAMM` for the contract's exchange.
///
/// Units: prices in borrowed coin per collateral coin, amounts in coins, fees as fractions.
/// Band n's oracle edges are `p_top(n) = p_base·k^n` and `p_top(n)·k`, k = (A−1)/A; at oracle price
/// p_o its AMM price range is `p_down(n) = p_o³/p_top(n)²` … `p_up(n) = p_o³/p_top(n+1)²`.
///
/// Only bands `minBand…maxBand` can hold coins (trades never create liquidity), so they are kept in
/// flat arrays. Band edges p_top(n) are kept in a flat array too, from `firstTopBand` on; it grows
/// when a trade walks the active band beyond it (each edge is computed once, by the same expression,
/// so the values are those of computing it on demand).
struct LossModelAMM {
    let a: Double
    /// k = (A − 1)/A, the ratio of a band's lower to upper oracle edge.
    let k: Double
    let pBase: Double
    let fee: Double
    let dynamicFeeMultiplier: Double
    let usePriceOracleFee: Bool
    let priceOracleFeeDelay: Double

    private(set) var pOracle: Double
    /// p_o³, recomputed on every oracle update.
    private var pOracleCubed: Double
    private var previousPOracle: Double
    /// The decaying oracle-change fee (`old_dfee`).
    private(set) var oldDynamicFee: Double = 0

    private(set) var activeBand = 0
    private(set) var minBand = 0
    private(set) var maxBand = -1
    /// Coins per band, index n − minBand.
    private(set) var bandsX: [Double] = []
    private(set) var bandsY: [Double] = []
    /// p_top(n) for n in firstTopBand ..< firstTopBand + pTops.count.
    private var pTops: [Double] = []
    private var firstTopBand = 0

    struct FarFromLiquidity: Error {}

    init(pBase: Double, a: Int, fee: Double, dynamicFeeMultiplier: Double, usePriceOracleFee: Bool, priceOracleFeeDelay: Double) {
        self.a = Double(a)
        self.k = (Double(a) - 1) / Double(a)
        self.pBase = pBase
        self.fee = fee
        self.dynamicFeeMultiplier = dynamicFeeMultiplier
        self.usePriceOracleFee = usePriceOracleFee
        self.priceOracleFeeDelay = priceOracleFeeDelay
        self.pOracle = pBase
        self.pOracleCubed = pBase * pBase * pBase
        self.previousPOracle = pBase
    }

    // MARK: Band edges

    /// p_top(n) = p_base·k^n (oracle price at the band's upper edge).
    @inline(__always) func pTop(_ n: Int) -> Double {
        let index = n - firstTopBand
        if index >= 0 && index < pTops.count { return pTops[index] }
        return Self.pTop(n, pBase: pBase, k: k)
    }

    /// p_top(n) = p_base·k^n, the one expression every cached edge comes from.
    @inline(__always) static func pTop(_ n: Int, pBase: Double, k: Double) -> Double { pBase * Foundation.pow(k, Double(n)) }

    /// Extends the edge cache to hold p_top(n) and p_top(n + 1) (the active band's edges).
    mutating func cacheEdges(of n: Int) {
        if n < firstTopBand {
            let added = (n..<firstTopBand).map { Self.pTop($0, pBase: pBase, k: k) }
            pTops.insert(contentsOf: added, at: 0)
            firstTopBand = n
        }
        while firstTopBand + pTops.count <= n + 1 { pTops.append(Self.pTop(firstTopBand + pTops.count, pBase: pBase, k: k)) }
    }

    /// p_down(n) = p_o³ / p_top(n)² (the band's AMM price when it holds only collateral).
    @inline(__always) func pDown(_ n: Int) -> Double { let t = pTop(n); return pOracleCubed / (t * t) }
    /// p_up(n) = p_o³ / p_top(n + 1)² (the band's AMM price when it holds only borrowed coin).
    @inline(__always) func pUp(_ n: Int) -> Double { let t = pTop(n + 1); return pOracleCubed / (t * t) }

    @inline(__always) func x(_ n: Int) -> Double { let i = n - minBand; return i >= 0 && i < bandsX.count ? bandsX[i] : 0 }
    @inline(__always) func y(_ n: Int) -> Double { let i = n - minBand; return i >= 0 && i < bandsY.count ? bandsY[i] : 0 }

    /// Band holding oracle price p: n = ⌊ln(p/p_base)/ln k⌋.
    func bandNumber(of price: Double) -> Int { Int(Foundation.floor(Foundation.log(price / pBase) / Foundation.log(k))) }

    /// Spreads `amount` collateral evenly over `count` bands from the band holding `price` (never above
    /// the band just below the oracle's): `deposit_nrange`.
    mutating func depositBands(amount: Double, price: Double, count: Int) {
        let nTop = bandNumber(of: pOracle) + 1
        let n1 = Swift.max(bandNumber(of: price), nTop)
        minBand = n1
        maxBand = n1 + count - 1
        let perBand = amount / Double(count)
        bandsX = Array(repeating: 0, count: count)
        bandsY = Array(repeating: perBand, count: count)
        pTops = (0...count).map { Self.pTop(n1 + $0, pBase: pBase, k: k) }
        firstTopBand = n1
        cacheEdges(of: activeBand)
    }

    // MARK: Oracle and fees

    /// Sets the oracle price; the previous oracle value becomes the reference of the oracle-change fee.
    mutating func setOracle(_ price: Double) {
        if usePriceOracleFee {
            previousPOracle = pOracle
        } else {
            previousPOracle = price
        }
        pOracle = price
        pOracleCubed = price * price * price
    }

    /// The fee for band n: max(fee, dfee) where, when `renew` is set, the oracle-change fee is first
    /// advanced: dfee ← (dfee + 1 − r³)·(delay − 1)/delay, r = min/max of the last two oracle values;
    /// plus, if the multiplier is positive and p_o is outside the band's AMM range, the distance fee
    /// min(|p_up − p_o|, |p_o − p_down|)/(2 p_o)·multiplier.
    @inline(__always) mutating func dynamicFee(band n: Int, renew: Bool) -> Double {
        var result = fee
        if usePriceOracleFee {
            if renew {
                let r = Swift.min(previousPOracle, pOracle) / Swift.max(previousPOracle, pOracle)
                let decayed = (oldDynamicFee + (1 - r * r * r)) * (priceOracleFeeDelay - 1) / priceOracleFeeDelay
                oldDynamicFee = decayed
                result = Swift.max(decayed, fee)
            } else {
                result = Swift.max(oldDynamicFee, fee)
            }
        }
        if dynamicFeeMultiplier > 0 {
            let up = pUp(n), down = pDown(n)
            if down > pOracle || up < pOracle {
                result = Swift.max(result, Swift.min(Swift.abs(up - pOracle), Swift.abs(pOracle - down)) / (2 * pOracle) * dynamicFeeMultiplier)
            }
        }
        return result
    }

    // MARK: Invariant

    /// y0 of band n: the positive root of p_o·A·y0² − y0·[(p_top/p_o)(A−1)·x + (p_o²/p_top)·A·y] − x·y = 0.
    @inline(__always) func y0(_ n: Int, x: Double, y: Double) -> Double {
        let top = pTop(n)
        let b = top / pOracle * (a - 1) * x + pOracle * pOracle / top * a * y
        let quadratic = pOracle * a
        let discriminant = b * b + 4 * quadratic * x * y
        return (b + discriminant.squareRoot()) / (2 * quadratic)
    }

    /// f = y0·p_o²/p_top·A.
    @inline(__always) func f(_ y0: Double, _ n: Int) -> Double { y0 * (pOracle * pOracle) / pTop(n) * a }
    /// g = y0·p_top/p_o·(A − 1).
    @inline(__always) func g(_ y0: Double, _ n: Int) -> Double { y0 * pTop(n) / pOracle * (a - 1) }

    /// AMM price in the active band: (f + x)/(g + y); an empty band reports √(p_up·p_down).
    func currentPrice() -> Double {
        let n = activeBand, bx = x(n), by = y(n)
        if bx == 0 && by == 0 { return (pUp(n) * pDown(n)).squareRoot() }
        let root = y0(n, x: bx, y: by)
        return (f(root, n) + bx) / (g(root, n) + by)
    }

    // MARK: Trading

    /// Arbitrages the AMM to `price`: band by band, the target is moved by the band's fee
    /// (price·(1 − fee) going up, price·(1 + fee) going down) and the trade stops at a band edge the
    /// fee-adjusted price does not reach; the fee, fee·Δinput, stays in the band.
    /// `current` is `currentPrice()` of the state as it is (the caller has just computed it).
    mutating func trade(to price: Double, from current: Double) throws(FarFromLiquidity) {
        var step: Int
        if x(activeBand) == 0 && y(activeBand) == 0 {
            if price > pUp(activeBand) { step = 1 } else if price < pDown(activeBand) { step = -1 } else { return }
        } else {
            if price > current { step = 1 } else if price < current { step = -1 } else { return }
        }
        while true {
            let n = activeBand
            let bx = x(n), by = y(n)
            if bx == 0 && by == 0 {
                if price >= pDown(n) && price <= pUp(n) { break }
                activeBand += step
                if Swift.abs(activeBand) > 100_000 { throw FarFromLiquidity() }
                cacheEdges(of: activeBand)
                continue
            }
            let root = y0(n, x: bx, y: by)
            let gn = g(root, n), fn = f(root, n)
            let invariant = (fn + bx) * (gn + by)
            let bandFee = dynamicFee(band: n, renew: false)
            let index = n - minBand
            if step == 1 {
                let target = price * (1 - bandFee)
                if target < pDown(n) { break }
                let yDest = (invariant / target).squareRoot() - gn
                if yDest >= 0 {
                    bandsY[index] = yDest
                    let newX = invariant / (gn + yDest) - fn
                    bandsX[index] = newX + bandFee * (newX - bx)
                    break
                }
                bandsY[index] = 0
                let newX = invariant / gn - fn
                bandsX[index] = newX + bandFee * (newX - bx)
                activeBand += 1
                cacheEdges(of: activeBand)
            } else {
                let target = price * (1 + bandFee)
                if target > pUp(n) { break }
                let xDest = (invariant * target).squareRoot() - fn
                if xDest >= 0 {
                    bandsX[index] = xDest
                    let newY = invariant / (fn + xDest) - gn
                    bandsY[index] = newY + bandFee * (newY - by)
                    break
                }
                bandsX[index] = 0
                let newY = invariant / fn - gn
                bandsY[index] = newY + bandFee * (newY - by)
                activeBand -= 1
                cacheEdges(of: activeBand)
            }
            if Swift.abs(n) > 1000 { throw FarFromLiquidity() }
        }
    }

    // MARK: Value

    /// Borrowed-coin value of band n converted adiabatically down from p_o (`get_x_down`):
    /// in band, x_o + y_o·√(p_down·p_o) with y_o = A·y0·(1 − p_down/p_o), x_o = Inv/(g + y_o) − f;
    /// above the band, its collateral (or equivalent) × p_top/√(A/(A−1)); below it, its borrowed coin.
    func valueDown(_ n: Int) -> Double {
        let bx = x(n), by = y(n)
        if bx == 0 && by == 0 { return 0 }
        let up = pTop(n)
        let down = up * (a - 1) / a
        let sqrtBandRatio = (a / (a - 1)).squareRoot()
        if bx == 0 || by == 0 {
            let mid = pOracleCubed / (down * down) * (a - 1) / a
            if pOracle > up { return (by != 0 ? by : bx / mid) * up / sqrtBandRatio }
            if pOracle < down { return bx != 0 ? bx : by * mid }
        }
        let root = y0(n, x: bx, y: by)
        let gn = g(root, n), fn = f(root, n)
        let invariant = (fn + bx) * (gn + by)
        if pOracle > up { return (Swift.max(invariant / fn, gn) - gn) * up / sqrtBandRatio }
        if pOracle < down { return Swift.max(invariant / gn, fn) - fn }
        let yO = a * root * (1 - down / pOracle)
        let xO = Swift.max(invariant / (gn + yO), fn) - fn
        return xO + yO * (down * pOracle).squareRoot()
    }

    /// Sum of `valueDown` over every band that can hold coins, in band order (`get_all_x`).
    func totalValueDown() -> Double {
        var total = 0.0
        for n in minBand...Swift.max(minBand, maxBand) { total += valueDown(n) }
        return total
    }
}
