import LeewayWire

/// Applies `leeway bands replay --exact` operations to one `ExactAMM` (and, when the `amm` line names
/// the discounts, the `ExactController` of its version as its admin) and renders the state line after each,
/// every amount both as an exact decimal and as a wei integer string (`…_wei`). Pure.
public struct ExactBandsReplay: Sendable {
    public let version: ContractVersion
    public private(set) var amm: ExactAMM?
    public private(set) var controller: ExactController?

    public init(version: ContractVersion) { self.version = version }

    /// Result of one operation, shown in its state line.
    public enum Outcome: Sendable, Equatable {
        case none
        case exchange(inAmount: UInt256, outAmount: UInt256)
        case returned(x: UInt256, y: UInt256)
        case amountForPrice(amount: UInt256, pump: Bool)
        /// A new loan, with the borrow limit for its collateral and band count just before it.
        case loanCreated(maximumBorrowable: UInt256)
        /// A liquidation: what the liquidator had to bring (`tokens_to_liquidate`, before it) and the
        /// position withdrawn to them [x, y].
        case liquidated(tokensToLiquidate: UInt256, x: UInt256, y: UInt256)
    }

    /// Applies one operation; on error nothing changes (the contract's revert).
    public mutating func apply(_ operation: ExactBandsOperation) throws(BandsError) -> Outcome {
        if case .createAMM(let a, let basePrice, let fee, let adminFee, let oraclePrice, let time, let loanDiscount, let liquidationDiscount) = operation {
            guard amm == nil else { throw BandsError("bands.amm_exists", "the replay already created its AMM; one amm line per file, first.") }
            let created = try ExactAMM(version: version, a: a, basePrice: basePrice, fee: fee, adminFee: adminFee, oraclePrice: oraclePrice, now: time)
            switch (loanDiscount, liquidationDiscount) {
            case (nil, nil): controller = nil
            case (let loan?, let liquidation?): controller = try ExactController(amm: created, loanDiscount: loan, liquidationDiscount: liquidation)
            default: throw BandsError("bands.invalid_discounts", "give both loan_discount and liquidation_discount (for loans) or neither.")
            }
            amm = created
            return .none
        }
        guard var state = amm else {
            throw BandsError("bands.no_amm", "the first operation must create the AMM: {\"op\":\"amm\",\"A\":…,\"base_price\":…,\"fee\":…,\"oracle_price\":…,\"ts\":…}.")
        }
        let outcome: Outcome
        switch operation {
        case .createAMM: outcome = .none
        case .deposit(let user, let amount, let n1, let n2, let time):
            try Self.advance(&state, time)
            try state.deposit(user: user, amount: amount, n1: n1, n2: n2)
            outcome = .none
        case .oracle(let price, let time):
            try Self.advance(&state, time)
            try state.setOracle(price: price)
            outcome = .none
        case .exchange(let i, let j, let amount, let time):
            try Self.advance(&state, time)
            let done = try state.exchange(i: i, j: j, amount: amount)
            outcome = .exchange(inAmount: done.inAmount, outAmount: done.outAmount)
        case .withdraw(let user, let fraction, let time):
            try Self.advance(&state, time)
            let done = try state.withdraw(user: user, fraction: fraction)
            outcome = .returned(x: done.x, y: done.y)
        case .amountForPrice(let price, let time):
            try Self.advance(&state, time)
            let result = try state.amountForPrice(price)
            outcome = .amountForPrice(amount: result.amount, pump: result.pump)
        case .rate(let rate, let time):
            try Self.advance(&state, time)
            if var loans = controller {
                try loans.setPolicyRate(rate, amm: &state)
                controller = loans
            } else {
                try state.setRate(rate)
            }
            outcome = .none
        case .createLoan(let user, let collateral, let debt, let bands, let time):
            var loans = try requireController()
            try Self.advance(&state, time)
            // The limit before the loan (a band count out of range is refused by create_loan itself, with the contract's reason).
            let inRange = (ExactController.minTicks...ExactController.maxTicks).contains(bands)
            let limit = inRange ? try loans.maximumBorrowable(collateral: collateral, bands: bands, amm: state) : UInt256.zero
            try loans.createLoan(user: user, collateral: collateral, debt: debt, bands: bands, amm: &state)
            controller = loans
            outcome = .loanCreated(maximumBorrowable: limit)
        case .repay(let user, let amount, let time):
            var loans = try requireController()
            try Self.advance(&state, time)
            let paid = try loans.repay(user: user, amount: amount, amm: &state)
            controller = loans
            outcome = .returned(x: paid.x, y: paid.y)
        case .liquidate(let user, let fraction, let time):
            var loans = try requireController()
            try Self.advance(&state, time)
            let (controllerBefore, stateBefore) = (loans, state)
            let withdrawn = try loans.liquidate(user: user, fraction: fraction, amm: &state)
            // What the liquidator needed, on the state before; asked after the call so that a refused
            // liquidation gives the contract's own reason (liquidate's, not tokens_to_liquidate's).
            let needed = try controllerBefore.tokensToLiquidate(user, fraction: fraction, amm: stateBefore)
            controller = loans
            outcome = .liquidated(tokensToLiquidate: needed, x: withdrawn.x, y: withdrawn.y)
        }
        amm = state
        return outcome
    }

    func requireController() throws(BandsError) -> ExactController {
        guard let controller else {
            throw BandsError("bands.no_loans", "loans need the Controller: give loan_discount and liquidation_discount on the amm line.")
        }
        return controller
    }

    static func advance(_ state: inout ExactAMM, _ time: UInt256?) throws(BandsError) {
        if let time { try state.advance(to: time) }
    }

    /// The state line after an operation: timestamp (ms), price_oracle, dynamic_fee, active/min/max
    /// band, get_p, bands (non-empty bands and neighbours: x, y), users (sum_x, sum_y, per_band_x,
    /// per_band_y, x_down, y_up, shares), classic admin_fees, and the operation's result; each amount
    /// as a decimal and beside it as `<name>_wei`.
    public func stateLine(outcome: Outcome) throws(BandsError) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        guard let amm else { writer.endObject(); return writer.text }
        writer.key("timestamp"); writer.rawNumber("\(amm.now)000")
        writer.field("version", amm.version.rawValue)
        Self.amount("price_oracle", try amm.priceOracle(), into: &writer)
        Self.amount("dynamic_fee", try amm.dynamicFee(), into: &writer)
        writer.field("active_band", amm.activeBand)
        writer.field("min_band", amm.minBand)
        writer.field("max_band", amm.maxBand)
        Self.amount("get_p", try amm.price(), into: &writer)
        writer.key("bands")
        writer.beginObject()
        var shown = Set<Int>()
        for (band, value) in amm.bandsX where !value.isZero { shown.formUnion([band - 1, band, band + 1]) }
        for (band, value) in amm.bandsY where !value.isZero { shown.formUnion([band - 1, band, band + 1]) }
        for band in shown.sorted() {
            writer.key(String(band))
            writer.beginObject()
            Self.amount("x", amm.x(band), into: &writer)
            Self.amount("y", amm.y(band), into: &writer)
            writer.endObject()
        }
        writer.endObject()
        writer.key("users")
        writer.beginObject()
        for user in amm.users.keys.sorted() {
            guard let deposit = amm.users[user], let amounts = try amm.userAmounts(user), let sums = try amm.userSums(user) else { continue }
            writer.key(user)
            writer.beginObject()
            writer.field("n1", deposit.n1)
            writer.field("n2", deposit.n2)
            Self.amount("sum_x", sums.x, into: &writer)
            Self.amount("sum_y", sums.y, into: &writer)
            Self.amounts("per_band_x", amounts.x, into: &writer)
            Self.amounts("per_band_y", amounts.y, into: &writer)
            Self.amount("x_down", try amm.userAdiabatic(user, useY: false), into: &writer)
            Self.amount("y_up", try amm.userAdiabatic(user, useY: true), into: &writer)
            writer.key("shares")
            writer.beginArray()
            for share in deposit.shares { writer.string(share.description) }
            writer.endArray()
            writer.endObject()
        }
        writer.endObject()
        if amm.version == .classic { Self.amounts("admin_fees", [amm.adminFeesX, amm.adminFeesY], into: &writer) }
        if let controller { try Self.loans(controller, amm: amm, into: &writer) }
        switch outcome {
        case .none: break
        case .exchange(let inAmount, let outAmount): Self.amounts("exchange_result", [inAmount, outAmount], into: &writer)
        case .returned(let x, let y): Self.amounts("returned", [x, y], into: &writer)
        case .amountForPrice(let amount, let pump):
            Self.amount("amount_for_price", amount, into: &writer)
            writer.field("pump", pump)
        case .loanCreated(let limit): Self.amount("max_borrowable", limit, into: &writer)
        case .liquidated(let needed, let x, let y):
            Self.amount("tokens_to_liquidate", needed, into: &writer)
            Self.amounts("returned", [x, y], into: &writer)
        }
        writer.endObject()
        return writer.text
    }

    /// The Controller's part of the state line: each loan's debt, health (without and with the price
    /// above its bands, 1e18 = 1, signed), liquidation discount and bands; total debt, loan count, rate;
    /// for the head Controller also its admin fees (`controller_admin_fees`), `minted` and `redeemed`.
    static func loans(_ controller: ExactController, amm: ExactAMM, into writer: inout JSONWriter) throws(BandsError) {
        writer.key("loans")
        writer.beginObject()
        for user in controller.loans.keys.sorted() {
            writer.key(user)
            writer.beginObject()
            amount("debt", try controller.debt(of: user, amm: amm).debt, into: &writer)
            signedAmount("health", try controller.health(of: user, full: false, amm: amm), into: &writer)
            signedAmount("health_full", try controller.health(of: user, full: true, amm: amm), into: &writer)
            amount("liquidation_discount", controller.liquidationDiscounts[user] ?? .zero, into: &writer)
            if let deposit = amm.users[user] {
                writer.field("n1", deposit.n1)
                writer.field("n2", deposit.n2)
            }
            writer.endObject()
        }
        writer.endObject()
        amount("total_debt", try controller.totalDebt(amm: amm), into: &writer)
        writer.field("n_loans", controller.loanCount)
        amount("rate", amm.rate, into: &writer)
        if controller.version == .head {
            amount("controller_admin_fees", try controller.adminFees(amm: amm), into: &writer)
            amount("minted", controller.minted, into: &writer)
            amount("redeemed", controller.redeemed, into: &writer)
        }
    }

    /// A signed 1e18 fixed-point value (health) as a decimal and as its wei integer.
    static func signedAmount(_ name: String, _ value: Int256, into writer: inout JSONWriter) {
        writer.field(name, (value.isNegative ? "-" : "") + WeiDecimal.text(value.magnitude))
        writer.field(name + "_wei", value.description)
    }

    static func amount(_ name: String, _ value: UInt256, into writer: inout JSONWriter) {
        writer.field(name, WeiDecimal.text(value))
        writer.field(name + "_wei", value.description)
    }

    static func amounts(_ name: String, _ values: [UInt256], into writer: inout JSONWriter) {
        writer.key(name)
        writer.beginArray()
        for value in values { writer.string(WeiDecimal.text(value)) }
        writer.endArray()
        writer.key(name + "_wei")
        writer.beginArray()
        for value in values { writer.string(value.description) }
        writer.endArray()
    }
}
