/// Risk arrays in SPAN's sense: per option market, the change in value of one unit (size ×
/// contract_size = 1) in every scenario of its underlying's grid,
///   R_s = Black76(F(1 + m_s), σ·f_s, T) − Black76(F, σ, T),
/// computed once when the option is valued (`Engine.revalue(option:)`) instead of once per holder.
/// `PortfolioMargin.directionalLosses` then sums units × R_s over a book's legs, the same binary64
/// expression in the same order as revaluing each leg itself, so every loss, requirement and
/// digest is bit-for-bit what it was; a full re-margin of many books over a few series costs a
/// multiply-add per leg and scenario instead of a Black-76 valuation.
///
/// An entry is used only when its inputs (F, the leg's σ, strike, kind and T, the grid's params)
/// equal the leg's being valued; any other leg is revalued from scratch, so a stale entry can cost
/// time but never change a result. Derived, never persisted: part of `EngineIndex`.
struct OptionRiskTable: Sendable {
    struct Entry: Sendable {
        var forward: Double
        var option: PortfolioMargin.OptionLeg
        var params: PortfolioParams
        var changes: [Double]
    }

    /// By market index; nil for perpetuals and options not valued yet.
    private var entries: [Entry?] = []

    /// The risk array of option `market` for these inputs, if it is the stored one.
    func changes(market: Int, forward: Double, option: PortfolioMargin.OptionLeg, params: PortfolioParams) -> [Double]? {
        guard market < entries.count, let entry = entries[market],
              entry.forward == forward, entry.option == option, entry.params == params else { return nil }
        return entry.changes
    }

    /// Computes and stores option `market`'s risk array for these inputs.
    mutating func store(market: Int, forward: Double, option: PortfolioMargin.OptionLeg, params: PortfolioParams) {
        if entries.count <= market { entries.append(contentsOf: repeatElement(nil, count: market + 1 - entries.count)) }
        let changes = PortfolioMargin.scenarios(params).map { scenario in
            PortfolioMargin.scenarioChange(option, forward: forward, scenario: scenario)
        }
        entries[market] = Entry(forward: forward, option: option, params: params, changes: changes)
    }
}
