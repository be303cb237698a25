import LeewayWire

/// Applies `leeway bands replay` operations to one AMM (and its loans) and renders the state line
/// printed after each. Pure: the file reading and printing live in the CLI.
public struct BandsReplay: Sendable {
    public private(set) var amm: BandedAMM?
    public private(set) var loans: LoanBook?

    public init() {}

    /// Result of one operation, shown in its state line.
    public enum Outcome: Sendable, Equatable {
        case none
        case exchange(inAmount: Double, outAmount: Double)
        case returned(x: Double, y: Double)
        case amountForPrice(amount: Double, pump: Bool)
        case liquidation(LiquidationOutcome)
    }

    /// Applies one operation; on error nothing changes.
    public mutating func apply(_ operation: BandsOperation) throws(BandsError) -> Outcome {
        if case .createAMM(let a, let basePrice, let fee, let oraclePrice, let timeMs, let loanDiscount, let liquidationDiscount) = operation {
            guard amm == nil else { throw BandsError("bands.amm_exists", "the replay already created its AMM; one amm line per file, first.") }
            let created = try BandedAMM(a: a, basePrice: basePrice, fee: fee, oraclePrice: oraclePrice, nowMs: timeMs)
            let book = try LoanBook(loanDiscount: loanDiscount ?? 0.09, liquidationDiscount: liquidationDiscount ?? 0.06)
            amm = created
            loans = book
            return .none
        }
        guard var state = amm, var book = loans else {
            throw BandsError("bands.no_amm", "the first operation must create the AMM: {\"op\":\"amm\",\"A\":…,\"base_price\":…,\"fee\":…,\"oracle_price\":…,\"ts\":…}.")
        }
        let outcome: Outcome
        switch operation {
        case .createAMM: outcome = .none
        case .deposit(let user, let amount, let n1, let n2, let timeMs):
            try state.deposit(user: user, amount: amount, n1: Swift.min(n1, n2), n2: Swift.max(n1, n2), timeMs: timeMs)
            outcome = .none
        case .oracle(let price, let timeMs):
            try state.setOracle(price: price, timeMs: timeMs)
            outcome = .none
        case .exchange(let i, let j, let amount, let timeMs):
            let done = try state.exchange(i: i, j: j, amount: amount, timeMs: timeMs)
            outcome = .exchange(inAmount: done.inAmount, outAmount: done.outAmount)
        case .withdraw(let user, let fraction, let timeMs):
            guard book.loans[user] == nil else {
                throw BandsError("bands.withdraw_loan_collateral", "user \(user)'s bands back a loan; liquidate (or repay) the loan instead of withdrawing.")
            }
            let done = try state.withdraw(user: user, fraction: fraction, timeMs: timeMs)
            outcome = .returned(x: done.x, y: done.y)
        case .amountForPrice(let price, let timeMs):
            try state.advance(to: timeMs)
            let result = try state.amountForPrice(price)
            outcome = .amountForPrice(amount: result.amount, pump: result.pump)
        case .rate(let rate, let timeMs):
            try state.setRate(rate, timeMs: timeMs)
            outcome = .none
        case .createLoan(let user, let collateral, let debt, let bands, let timeMs):
            try book.createLoan(&state, user: user, collateral: collateral, debt: debt, bands: bands, timeMs: timeMs)
            outcome = .none
        case .liquidate(let user, let fraction, let timeMs):
            outcome = .liquidation(try book.liquidate(&state, user: user, fraction: fraction, timeMs: timeMs))
        }
        amm = state
        loans = book
        return outcome
    }

    /// The state line after an operation (see `leeway bands replay --help` for the fields).
    public func stateLine(outcome: Outcome) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        guard let amm else { writer.endObject(); return writer.text }
        writer.field("timestamp", amm.nowMs)
        writer.field("price_oracle", Self.decimal(amm.oraclePrice))
        writer.field("dynamic_fee", Self.decimal(amm.dynamicFee))
        writer.field("active_band", amm.activeBand)
        writer.field("min_band", amm.minBand)
        writer.field("max_band", amm.maxBand)
        writer.field("get_p", Self.decimal(amm.price))
        writer.key("bands")
        writer.beginObject()
        var shown = Set<Int>()
        for (band, value) in amm.bandsX where value != 0 { shown.formUnion([band - 1, band, band + 1]) }
        for (band, value) in amm.bandsY where value != 0 { shown.formUnion([band - 1, band, band + 1]) }
        for band in shown.sorted() {
            writer.key(String(band))
            writer.beginObject()
            writer.field("x", Self.decimal(amm.x(band)))
            writer.field("y", Self.decimal(amm.y(band)))
            writer.endObject()
        }
        writer.endObject()
        writer.key("users")
        writer.beginObject()
        for user in amm.deposits.keys.sorted() {
            guard let amounts = amm.userAmounts(user), let value = amm.userAdiabaticValue(user) else { continue }
            writer.key(user)
            writer.beginObject()
            writer.field("sum_x", Self.decimal(amounts.x.reduce(0, +)))
            writer.field("sum_y", Self.decimal(amounts.y.reduce(0, +)))
            writer.key("per_band_x"); Self.decimals(amounts.x, into: &writer)
            writer.key("per_band_y"); Self.decimals(amounts.y, into: &writer)
            writer.field("x_down", Self.decimal(value.xDown))
            writer.field("y_up", Self.decimal(value.yUp))
            writer.endObject()
        }
        writer.endObject()
        if let loans, !loans.loans.isEmpty {
            writer.key("loans")
            writer.beginObject()
            for user in loans.loans.keys.sorted() {
                writer.key(user)
                writer.beginObject()
                writer.field("debt", Self.decimal(loans.debt(amm, user: user) ?? 0))
                writer.field("health", Self.decimal(loans.health(amm, user: user, full: false) ?? 0))
                writer.field("health_full", Self.decimal(loans.health(amm, user: user, full: true) ?? 0))
                writer.endObject()
            }
            writer.endObject()
        }
        switch outcome {
        case .none: break
        case .exchange(let inAmount, let outAmount):
            writer.key("exchange_result"); Self.decimals([inAmount, outAmount], into: &writer)
        case .returned(let x, let y):
            writer.key("returned"); Self.decimals([x, y], into: &writer)
        case .amountForPrice(let amount, let pump):
            writer.field("amount_for_price", Self.decimal(amount))
            writer.field("pump", pump)
        case .liquidation(let result):
            writer.key("liquidation")
            writer.beginObject()
            writer.field("collateral_out", Self.decimal(result.collateralOut))
            writer.field("borrowed_out", Self.decimal(result.borrowedOut))
            writer.field("debt_repaid", Self.decimal(result.debtRepaid))
            writer.field("liquidator_paid", Self.decimal(result.liquidatorPaid))
            writer.field("liquidator_surplus", Self.decimal(result.liquidatorSurplus))
            writer.field("remaining_debt", Self.decimal(result.remainingDebt))
            writer.endObject()
        }
        writer.endObject()
        return writer.text
    }

    /// A binary64 value as the shortest decimal that reads back to it.
    public static func decimal(_ value: Double) -> String { value == 0 ? "0" : "\(value)" }

    static func decimals(_ values: [Double], into writer: inout JSONWriter) {
        writer.beginArray()
        for value in values { writer.string(decimal(value)) }
        writer.endArray()
    }
}
