import LeewayCore
import LeewayMarketData
import LeewaySimulation
import Testing

@Suite("Price paths")
struct PricePathTests {
    @Test("a candle expands to open, the nearer extreme, the other extreme, close")
    func candleExpansionOrder() {
        let nearLow = Candle(openTimeMs: 0, open: 100, high: 110, low: 98, close: 105, volume: 1)
        let nearHigh = Candle(openTimeMs: 60_000, open: 100, high: 101, low: 90, close: 95, volume: 2)
        let path = CandleExpansion.path(from: [nearLow, nearHigh])
        #expect(path.prices == [100, 98, 110, 105, 100, 101, 90, 95])
        #expect(path.timesMs == [0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000])
        #expect(path.minuteVolumes == [1, 1, 1, 1, 2, 2, 2, 2])
    }

    @Test("sub-steps interpolate each leg linearly", arguments: [1, 2, 5])
    func subSteps(steps: Int) {
        let candle = Candle(openTimeMs: 0, open: 100, high: 130, low: 100, close: 110, volume: 1)
        let path = CandleExpansion.path(from: [candle], subSteps: steps)
        #expect(path.count == 3 * steps + 1)
        #expect(path.prices.first == 100)
        #expect(path.prices.last == 110)
        #expect(path.prices.max() == 130)
        #expect(zip(path.timesMs, path.timesMs.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("the maximum drawdown is the largest fall from a running peak")
    func drawdown() {
        let path = PricePath(timesMs: [0, 1, 2, 3, 4], prices: [100, 120, 90, 130, 117], minuteVolumes: [0, 0, 0, 0, 0])
        #expect(path.maximumDrawdown == 0.25)
    }

    @Test("every synthetic model is reproducible from its seed and differs across seeds", arguments: [
        SyntheticModel.geometricBrownian(annualDrift: 0, annualVolatility: 0.8),
        .jumpDiffusion(annualDrift: 0, annualVolatility: 0.8, jumpsPerDay: 5, jumpMean: -0.03, jumpVolatility: 0.02),
        .garch(Garch11(omega: 1e-7, alpha: 0.1, beta: 0.85)),
        .blockBootstrap(returns: [0.01, -0.02, 0.003, 0.004, -0.001], blockLength: 3),
    ])
    func syntheticReproducible(model: SyntheticModel) {
        let first = model.path(seed: 9, startPrice: 100, startMs: 0, steps: 500, stepMs: 60_000, minuteVolume: 1)
        let again = model.path(seed: 9, startPrice: 100, startMs: 0, steps: 500, stepMs: 60_000, minuteVolume: 1)
        let other = model.path(seed: 10, startPrice: 100, startMs: 0, steps: 500, stepMs: 60_000, minuteVolume: 1)
        #expect(first == again)
        #expect(first != other)
        #expect(first.count == 501)
        #expect(first.prices.allSatisfy { $0 > 0 && $0.isFinite })
    }

    @Test("GBM's realised volatility matches its parameter")
    func gbmVolatility() {
        let model = SyntheticModel.geometricBrownian(annualDrift: 0, annualVolatility: 0.8)
        let path = model.path(seed: 1, startPrice: 100, startMs: 0, steps: 200_000, stepMs: 60_000, minuteVolume: 1)
        let returns = path.logReturns
        let variance = returns.reduce(0) { $0 + $1 * $1 } / Double(returns.count)
        let annualised = (variance * 365.25 * 1_440).squareRoot()
        #expect(abs(annualised - 0.8) < 0.01)
    }

    @Test("jumps make the jump model's returns fat-tailed (excess kurtosis) where GBM's are not")
    func jumpsFattenTails() {
        func kurtosis(_ model: SyntheticModel) -> Double {
            let returns = model.path(seed: 3, startPrice: 100, startMs: 0, steps: 100_000, stepMs: 60_000, minuteVolume: 1).logReturns
            let mean = returns.reduce(0, +) / Double(returns.count)
            let m2 = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count)
            let m4 = returns.reduce(0) { $0 + pow4($1 - mean) } / Double(returns.count)
            return m4 / (m2 * m2) - 3
        }
        #expect(abs(kurtosis(.geometricBrownian(annualDrift: 0, annualVolatility: 0.8))) < 0.2)
        #expect(kurtosis(.jumpDiffusion(annualDrift: 0, annualVolatility: 0.8, jumpsPerDay: 5, jumpMean: -0.02, jumpVolatility: 0.02)) > 5)
    }

    @Test("a GARCH(1,1) fit recovers the parameters of a simulated series")
    func garchFit() {
        let truth = Garch11(omega: 2e-7, alpha: 0.08, beta: 0.9)
        let returns = SyntheticModel.garch(truth).path(seed: 5, startPrice: 100, startMs: 0, steps: 50_000, stepMs: 60_000, minuteVolume: 1).logReturns
        let fitted = Garch11.fit(returns: returns)
        #expect(abs(fitted.alpha - 0.08) < 0.03)
        #expect(abs(fitted.beta - 0.9) < 0.04)
        #expect(fitted.alpha + fitted.beta < 1)
    }

    @Test("GARCH fits the real ETH file to a stationary model")
    func garchOnRealFile() throws {
        let returns = try SimulationFixtures.path("ethusdt-1m-2024-08-05.json.gz").logReturns
        let fitted = Garch11.fit(returns: returns)
        #expect(fitted.alpha > 0 && fitted.beta > 0 && fitted.alpha + fitted.beta < 1)
    }

    @Test("the block bootstrap only replays returns of its source, in blocks")
    func bootstrapUsesSourceReturns() {
        let source = (0..<50).map { Double($0) * 1e-4 - 0.0025 }
        let path = SyntheticModel.blockBootstrap(returns: source, blockLength: 10)
            .path(seed: 2, startPrice: 100, startMs: 0, steps: 300, stepMs: 60_000, minuteVolume: 1)
        let sourceSet = Set(source.map { ($0 * 1e6).rounded() })
        #expect(path.logReturns.allSatisfy { sourceSet.contains(($0 * 1e6).rounded()) })
    }
}

private func pow4(_ x: Double) -> Double { x * x * x * x }
