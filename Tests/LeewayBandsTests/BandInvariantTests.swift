import LeewayBands
import Testing

@Suite("Band invariant properties")
struct BandInvariantTests {
    static let oraclePrices: [Double] = [2500, 2800, 2900, 3000, 3100, 4000]
    static let grid = BandGrid(a: 100, basePrice: 3000)

    @Test("the AMM price is continuous across band edges: band n full of x = band n+1 full of y", arguments: oraclePrices)
    func priceIsContinuousAcrossBandEdges(oracle: Double) {
        for n in -3...12 {
            let topOfN = BandInvariant.price(x: 1_000, y: 0, oraclePrice: oracle, pOracleUp: Self.grid.pOracleUp(n), a: 100)
            let bottomOfNext = BandInvariant.price(x: 0, y: 1, oraclePrice: oracle, pOracleUp: Self.grid.pOracleUp(n + 1), a: 100)
            #expect(BandsFixtures.close(topOfN, bottomOfNext, relative: 1e-12), "band \(n) at p_o \(oracle)")
        }
    }

    @Test("inside a band the price moves continuously to its edges as a coin runs out", arguments: oraclePrices)
    func priceApproachesEdgesContinuously(oracle: Double) {
        let pUp = Self.grid.pOracleUp(5)
        let allY = BandInvariant.price(x: 0, y: 1, oraclePrice: oracle, pOracleUp: pUp, a: 100)
        let almostAllY = BandInvariant.price(x: 1e-9, y: 1, oraclePrice: oracle, pOracleUp: pUp, a: 100)
        #expect(BandsFixtures.close(almostAllY, allY, relative: 1e-9))
        let allX = BandInvariant.price(x: 3000, y: 0, oraclePrice: oracle, pOracleUp: pUp, a: 100)
        let almostAllX = BandInvariant.price(x: 3000, y: 1e-12, oraclePrice: oracle, pOracleUp: pUp, a: 100)
        #expect(BandsFixtures.close(almostAllX, allX, relative: 1e-9))
        #expect(allX > allY)
    }

    /// A fresh AMM with 10 collateral over bands 5…14, oracle moved to `oracle` (no fee window).
    static func amm(fee: Double, oracle: Double) throws -> BandedAMM {
        var amm = try BandedAMM(a: 100, basePrice: 3000, fee: fee, oraclePrice: 3000, nowMs: 0)
        try amm.deposit(user: "u", amount: 10, n1: 5, n2: 14)
        try amm.setOracle(price: oracle, timeMs: 600_000)
        return amm
    }

    @Test("converting down then up returns the collateral minus fees, which stay in the bands", arguments: [1e-12, 0.001, 0.006, 0.02])
    func roundTripLosesOnlyFees(fee: Double) throws {
        var amm = try Self.amm(fee: fee, oracle: 2800)
        // Arbitrage to the oracle first, so the round trip stays in the band holding p_o (no band-distance fee).
        let toOracle = try amm.amountForPrice(2800)
        try amm.exchange(i: 0, j: 1, amount: toOracle.amount, timeMs: 600_000)
        let collateralBefore = (0...20).reduce(0.0) { $0 + amm.y($1) }
        let borrowedBefore = (0...20).reduce(0.0) { $0 + amm.x($1) }
        let bought = try amm.exchange(i: 0, j: 1, amount: 100, timeMs: 600_000)
        let sold = try amm.exchange(i: 1, j: 0, amount: bought.outAmount, timeMs: 600_000)
        #expect(amm.activeBand == 6)
        // The trader gets back what was paid less about two fees.
        #expect(sold.outAmount <= bought.inAmount * (1 + 1e-12))
        #expect(bought.inAmount - sold.outAmount <= (2 * fee + 1e-9) * bought.inAmount)
        if fee < 1e-9 { #expect(BandsFixtures.close(sold.outAmount, bought.inAmount, relative: 1e-9)) }
        // The collateral is back in the bands and the trader's loss is the bands' gain.
        let collateralAfter = (0...20).reduce(0.0) { $0 + amm.y($1) }
        let borrowedAfter = (0...20).reduce(0.0) { $0 + amm.x($1) }
        #expect(BandsFixtures.close(collateralAfter, collateralBefore, relative: 1e-12))
        #expect(BandsFixtures.close(borrowedAfter - borrowedBefore, bought.inAmount - sold.outAmount, relative: 1e-6, absolute: 1e-9))
    }

    @Test("an exchange conserves value net of fees: what the trader pays in, the bands gain", arguments: [0.001, 0.006])
    func exchangeConservesCoins(fee: Double) throws {
        var amm = try Self.amm(fee: fee, oracle: 2800)
        let before = (x: (0...20).reduce(0.0) { $0 + amm.x($1) }, y: (0...20).reduce(0.0) { $0 + amm.y($1) })
        let done = try amm.exchange(i: 0, j: 1, amount: 3_000, timeMs: 600_000)
        let after = (x: (0...20).reduce(0.0) { $0 + amm.x($1) }, y: (0...20).reduce(0.0) { $0 + amm.y($1) })
        #expect(BandsFixtures.close(after.x - before.x, done.inAmount, relative: 1e-12))
        #expect(BandsFixtures.close(before.y - after.y, done.outAmount, relative: 1e-9))
        // Paid at least the AMM's fee-free value of what was bought.
        #expect(done.inAmount / done.outAmount >= 2700)
    }

    @Test("a withdrawal pays each coin pro rata to the shares and the user's amounts follow")
    func withdrawalIsProRata() throws {
        var amm = try Self.amm(fee: 0.006, oracle: 2800)
        try amm.exchange(i: 0, j: 1, amount: 3_000, timeMs: 600_000)
        let before = try #require(amm.userAmounts("u"))
        let paid = try amm.withdraw(user: "u", fraction: 0.5, timeMs: 600_000)
        #expect(BandsFixtures.close(paid.x, before.x.reduce(0, +) / 2, relative: 1e-12))
        #expect(BandsFixtures.close(paid.y, before.y.reduce(0, +) / 2, relative: 1e-12))
        let after = try #require(amm.userAmounts("u"))
        #expect(BandsFixtures.close(after.y.reduce(0, +), before.y.reduce(0, +) / 2, relative: 1e-12))
        let rest = try amm.withdraw(user: "u", fraction: 1, timeMs: 600_000)
        #expect(BandsFixtures.close(rest.y, before.y.reduce(0, +) / 2, relative: 1e-12))
        #expect(amm.deposits["u"] == nil)
        #expect((0...20).allSatisfy { amm.x($0) == 0 && amm.y($0) == 0 })
    }

    @Test("the oracle-change fee appears after an exchange, decays over 120 s and the oracle is capped at ±25 %")
    func oracleChangeFeeDecays() throws {
        var amm = try Self.amm(fee: 0.006, oracle: 2900)
        try amm.exchange(i: 0, j: 1, amount: 0, timeMs: 600_000)
        try amm.setOracle(price: 2610, timeMs: 600_000)
        let r = 2610.0 / 2900
        #expect(BandsFixtures.close(amm.dynamicFee, 1 - r * r * r, relative: 1e-12))
        try amm.setOracle(price: 2610, timeMs: 660_000)
        #expect(BandsFixtures.close(amm.dynamicFee, (1 - r * r * r) / 2, relative: 1e-12))
        try amm.setOracle(price: 2610, timeMs: 720_000)
        #expect(amm.dynamicFee == 0.006)
        try amm.exchange(i: 0, j: 1, amount: 0, timeMs: 720_000)
        try amm.setOracle(price: 1000, timeMs: 720_000)
        #expect(BandsFixtures.close(amm.oraclePrice, 2610 / 1.25, relative: 1e-12))
    }

    @Test("loans: max borrow, health falling with the price, hard liquidation only below zero")
    func loanLifecycle() throws {
        var amm = try BandedAMM(a: 100, basePrice: 3000, fee: 0.006, oraclePrice: 3000, nowMs: 0)
        var book = try LoanBook(loanDiscount: 0.09, liquidationDiscount: 0.06)
        let maximum = try book.maximumBorrowable(amm, collateral: 1, bands: 10)
        #expect(maximum > 2_400 && maximum < 3000 * (1 - 0.09))
        #expect(throws: BandsError.self) { try book.createLoan(&amm, user: "b", collateral: 1, debt: maximum * 1.05, bands: 10, timeMs: 0) }
        try book.createLoan(&amm, user: "b", collateral: 1, debt: maximum * 0.98, bands: 10, timeMs: 0)
        let healthy = try #require(book.health(amm, user: "b", full: true))
        #expect(healthy > 0)
        #expect(throws: BandsError.self) { try book.liquidate(&amm, user: "b", fraction: 1, timeMs: 0) }
        try amm.setRate(1e-8, timeMs: 0)
        try amm.setOracle(price: 2000, timeMs: 3_600_000)
        let debt = try #require(book.debt(amm, user: "b"))
        #expect(debt > maximum * 0.98)
        let sick = try #require(book.health(amm, user: "b", full: true))
        #expect(sick < 0)
        let partial = try book.liquidate(&amm, user: "b", fraction: 0.5, timeMs: 3_600_000)
        #expect(BandsFixtures.close(partial.remainingDebt, debt / 2, relative: 1e-12))
        // f_remove = ((1 + h/2)/(1 + h)·(1 − frac) + frac)·frac with h = 6 %: less than half is taken.
        #expect(BandsFixtures.close(partial.collateralOut + partial.borrowedOut / 2000, (1.03 / 1.06 * 0.5 + 0.5) * 0.5, relative: 0.02))
        let full = try book.liquidate(&amm, user: "b", fraction: 1, timeMs: 3_600_000)
        #expect(full.remainingDebt == 0)
        #expect(book.loans["b"] == nil)
    }
}
