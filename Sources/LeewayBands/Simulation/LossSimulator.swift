import Foundation
import LeewayCore

/// Curve's LLAMMA loss simulation (curvefi/llamma-simulator `single_run` and `get_loss_rate`).
///
/// One run: p0 = open of the window's first candle, p_base = p0·(A/(A − 1) + 10⁻⁴), one unit of
/// collateral spread over N bands from the band holding p0; then for every candle the oracle is set
/// to the EMA, the AMM is arbitraged up to a fee-adjusted target from high·(1 − ext_fee) and down to
/// one from low·(1 + ext_fee). Loss = 1 − Σ x_down(final)/Σ x_down(initial), a fraction of the
/// position's value lost against an ideal adiabatic conversion, net of the fees the bands earned.
public enum LossSimulator {
    /// Outcome of one run that could not finish (the AMM was asked to trade ~1000 bands away).
    public struct RunFailure: Error, Sendable {}

    /// Loss of one window: rows `rows` of `series` (which must carry the EMA for `parameters.halfLifeSeconds`).
    public static func loss(series: PriceSeries, rows: Range<Int>, parameters: LossSimulationParameters) throws(RunFailure) -> Double {
        guard let first = rows.first else { throw RunFailure() }
        let a = parameters.a
        let p0 = series.opens[first]
        let pBase = p0 * (Double(a) / (Double(a) - 1) + 1e-4)
        var amm = LossModelAMM(pBase: pBase, a: a, fee: parameters.fee, dynamicFeeMultiplier: parameters.dynamicFeeMultiplier,
                               usePriceOracleFee: parameters.usePriceOracleFee, priceOracleFeeDelay: parameters.priceOracleFeeDelay)
        amm.depositBands(amount: 1, price: p0, count: parameters.bands)
        let initialValue = amm.totalValueDown()
        let external = parameters.externalFee
        do {
            for row in rows {
                amm.setOracle(series.emas[row])
                let high = targetUp(series.highs[row] * (1 - external), amm: &amm)
                let low = targetDown(series.lows[row] * (1 + external), amm: &amm)
                // The AMM's price is computed once per state: again only after a trade changed it.
                var current = amm.currentPrice()
                if high > current {
                    try amm.trade(to: high, from: current)
                    current = amm.currentPrice()
                }
                if low < current { try amm.trade(to: low, from: current) }
            }
        } catch { throw RunFailure() }
        return 1 - amm.totalValueDown() / initialValue
    }

    /// The AMM price an arbitrageur selling at `price` trades up to: scanning bands from the lowest
    /// price (max_band) up, the first band whose fee-inflated lower edge p_down·(1 + fee) is below
    /// `price`; the target is interpolated linearly between the band's edges,
    /// (price − p_down′)/(p_up′ − p_down′)·(p_up − p_down) + p_down. Each band scanned renews the
    /// oracle-change fee (as Curve's simulator does). Above every band: price·(1 − fee).
    static func targetUp(_ price: Double, amm: inout LossModelAMM) -> Double {
        var n = amm.maxBand
        while n >= amm.minBand {
            let down = amm.pDown(n)
            let fee = amm.dynamicFee(band: n, renew: true)
            let downFee = down * (1 + fee)
            if price > downFee {
                let up = amm.pUp(n)
                let upFee = up * (1 + fee)
                return (price - downFee) / (upFee - downFee) * (up - down) + down
            }
            n -= 1
        }
        return price * (1 - amm.dynamicFee(band: amm.minBand, renew: false))
    }

    /// The AMM price an arbitrageur buying at `price` trades down to: the mirror of `targetUp`
    /// scanning from min_band with deflated edges ·(1 − fee): p_up − (p_up′ − price)/(p_up′ − p_down′)·(p_up − p_down).
    /// The oracle-change fee is not renewed here. Below every band: price·(1 + fee).
    static func targetDown(_ price: Double, amm: inout LossModelAMM) -> Double {
        var n = amm.minBand
        while n <= amm.maxBand {
            let up = amm.pUp(n)
            let fee = amm.dynamicFee(band: n, renew: false)
            let upFee = up * (1 - fee)
            if price < upFee {
                let down = amm.pDown(n)
                let downFee = down * (1 - fee)
                return up - (upFee - price) / (upFee - downFee) * (up - down)
            }
            n += 1
        }
        return price * (1 + amm.dynamicFee(band: amm.maxBand, renew: false))
    }

    /// Monte-Carlo loss rate (`get_loss_rate`): `samples` windows of `days` days starting at uniform
    /// random fractions of the series (drawn in order from SplitMix64(seed), so the draws do not depend
    /// on the thread count); a window that fails counts as loss 0. Returns the mean of the `top` largest
    /// losses (top = samples: the plain average) and every sample's loss in draw order.
    public static func monteCarlo(series: PriceSeries, parameters: LossSimulationParameters, samples: Int, days: Double,
                                  top: Int, seed: UInt64, threads: Int) async -> MonteCarloLoss {
        var generator = SplitMix64(seed: seed)
        let size = days * series.dayFraction
        let starts = (0..<samples).map { _ in Double(generator.next() >> 11) * 0x1p-53 }
        let workers = Swift.max(1, Swift.min(threads, samples))
        var losses = [Double](repeating: 0, count: samples)
        await withTaskGroup(of: [(Int, Double)].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var done: [(Int, Double)] = []
                    done.reserveCapacity(samples / workers + 1)
                    for index in stride(from: worker, to: samples, by: workers) {
                        let rows = series.window(position: starts[index], size: size)
                        let value = (try? loss(series: series, rows: rows, parameters: parameters)) ?? 0
                        done.append((index, value))
                    }
                    return done
                }
            }
            for await results in group {
                for (index, value) in results { losses[index] = value }
            }
        }
        let count = Swift.max(1, Swift.min(top, samples))
        let worst = losses.sorted(by: >).prefix(count)
        let rate = worst.reduce(0, +) / Double(count)
        return MonteCarloLoss(loss: rate, samples: losses, windowFraction: size)
    }
}

/// Result of a Monte-Carlo loss estimate.
public struct MonteCarloLoss: Sendable {
    /// Mean of the worst `top` sample losses.
    public let loss: Double
    /// Every sample's loss, in draw order.
    public let samples: [Double]
    /// Window length as a fraction of the series.
    public let windowFraction: Double
}
