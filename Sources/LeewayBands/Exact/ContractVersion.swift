/// Which AMM.vy the exact mode emulates.
///
/// - `classic`: crvUSD's LLAMMA (curve-stablecoin `contracts/AMM.vy`, vyper 0.3.10): the inline
///   solmate-style exp in `_p_oracle_up`, `log_A_ratio` passed to the constructor as the factory's
///   `ln_int(A/(A − 1))`, an admin fee (a share of each band's fee set aside), and the dust of a band's
///   last withdrawal moved to the admin fees.
/// - `head`: LlamaLend V2 (`curve_stablecoin/AMM.vy`, vyper 0.4.3): snekmate's `wad_exp`, the
///   constructor's own `wad_ln(A/(A − 1))`, no admin fee, fee bounds checked at deployment, and the
///   last withdrawal's dust left untracked in the AMM. The band arithmetic is otherwise the same.
public enum ContractVersion: String, Sendable, CaseIterable {
    case classic
    case head
}
