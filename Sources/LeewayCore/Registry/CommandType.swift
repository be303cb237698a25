/// Every command type of the stream, by its wire name: the one list the decoder, the server's
/// roles and metrics, the OpenAPI document and `docs/COMMANDS.md` are checked against.
public enum CommandType: String, Sendable, Hashable, Codable, CaseIterable {
    case asset
    case market
    case policy
    case insuranceDeposit = "insurance_deposit"
    case deposit
    case withdraw
    case fill
    case mark
    case assetPrice = "asset_price"
    case funding
    case idempotency
    case protect
    case time
    case option
    case optionVol = "option_vol"
    case marginModel = "margin_model"
    case portfolioParams = "portfolio_params"
}
