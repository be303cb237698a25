/// The contract's transcendental integer functions, ported operation for operation (same constants,
/// same wrapping, same truncation), so that band edges agree with the chain to the wei.
public enum ExactMath {
    static func i(_ digits: StaticString) -> Int256 { Int256(digits) }
    static let two96 = Int256(bits: UInt256.one.shiftedLeft(96))
    static let two95 = Int256(bits: UInt256.one.shiftedLeft(95))
    static let wad = Int256(bits: .wad)

    /// e^(power / 1e18) · 1e18, the classic AMM's inline exp in `_p_oracle_up` (solmate's algorithm):
    /// x = power·2^96/1e18, k = round(x / ln2·2^96), a (6,7) rational approximation p/q of e^(x − k·ln 2),
    /// then (p/q)·c shifted by k − 195. Truncates at each division. Throws where the contract's
    /// `assert power > -41446531673892821376`, `assert power < 135305999368893231589` fail.
    public static func classicExp(_ power: Int256) throws(BandsError) -> UInt256 {
        guard i("41446531673892821376") > Int256.zero, power > Int256.zero.wrappingSubtracting(i("41446531673892821376")) else {
            throw BandsError("bands.band_out_of_range", "the band is too far above the base price for the contract's exp (power ≤ −41.4).")
        }
        guard power < i("135305999368893231589") else {
            throw BandsError("bands.band_out_of_range", "the band is too far below the base price for the contract's exp (power ≥ 135.3).")
        }
        let ln2 = i("54916777467707473351141471128")
        var x = power.wrappingMultiplied(by: two96).wrappingDivided(by: wad)
        let k = x.wrappingMultiplied(by: two96).wrappingDivided(by: ln2).wrappingAdding(two95).wrappingDivided(by: two96)
        x = x.wrappingSubtracting(k.wrappingMultiplied(by: ln2))
        var y = x.wrappingAdding(i("1346386616545796478920950773328"))
        y = y.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingAdding(i("57155421227552351082224309758442"))
        var p = y.wrappingAdding(x).wrappingSubtracting(i("94201549194550492254356042504812"))
        p = p.wrappingMultiplied(by: y).wrappingDivided(by: two96).wrappingAdding(i("28719021644029726153956944680412240"))
        p = p.wrappingMultiplied(by: x).wrappingAdding(i("4385272521454847904659076985693276").wrappingMultiplied(by: two96))
        var q = x.wrappingSubtracting(i("2855989394907223263936484059900"))
        q = q.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingAdding(i("50020603652535783019961831881945"))
        q = q.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingSubtracting(i("533845033583426703283633433725380"))
        q = q.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingAdding(i("3604857256930695427073651918091429"))
        q = q.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingSubtracting(i("14423608567350463180887372962807573"))
        q = q.wrappingMultiplied(by: x).wrappingDivided(by: two96).wrappingAdding(i("26449188498355588339934803723976023"))
        let ratio = p.wrappingDivided(by: q)
        guard !ratio.isNegative else { throw BandsError("bands.arithmetic_overflow", "the contract's exp produced a negative ratio (convert reverts).") }
        let scaled = ratio.bits.wrappingMultiplied(by: UInt256(decimal: "3822833074963236453042738258902158003155416615667")!)
        // vyper 0.3.10 `shift(v, n)`: left for n > 0, logical right for n < 0.
        let shift = Int(truncatingIfNeeded: Int64(bitPattern: k.wrappingSubtracting(Int256(195)).bits.w0))
        return shift >= 0 ? scaled.shiftedLeft(shift) : scaled.shiftedRight(-shift)
    }

    /// snekmate's `_wad_exp(x)`: e^(x/1e18)·1e18, 0 for x ≤ −41.446531673892822313e18, throws for
    /// x ≥ 135.305999368893231589e18 ("math: wad_exp overflow"). Same algorithm as `classicExp` but
    /// x·2^96/1e18 is computed as (x << 78) / 5^18 and the final scaling shifts right by 195 − k.
    public static func wadExp(_ input: Int256) throws(BandsError) -> Int256 {
        if input <= Int256.zero.wrappingSubtracting(i("41446531673892822313")) { return .zero }
        guard input < i("135305999368893231589") else { throw BandsError("bands.band_out_of_range", "math: wad_exp overflow (the band is too far below the base price).") }
        let ln2 = i("54916777467707473351141471128")
        var x = input.shiftedLeft(78).wrappingDivided(by: i("3814697265625"))
        let k = x.shiftedLeft(96).wrappingDivided(by: ln2).wrappingAdding(two95).shiftedRight(96)
        x = x.wrappingSubtracting(k.wrappingMultiplied(by: ln2))
        let y = x.wrappingAdding(i("1346386616545796478920950773328")).wrappingMultiplied(by: x).shiftedRight(96)
            .wrappingAdding(i("57155421227552351082224309758442"))
        let p = y.wrappingAdding(x).wrappingSubtracting(i("94201549194550492254356042504812")).wrappingMultiplied(by: y).shiftedRight(96)
            .wrappingAdding(i("28719021644029726153956944680412240")).wrappingMultiplied(by: x)
            .wrappingAdding(i("4385272521454847904659076985693276").shiftedLeft(96))
        var q = x.wrappingSubtracting(i("2855989394907223263936484059900")).wrappingMultiplied(by: x).shiftedRight(96)
            .wrappingAdding(i("50020603652535783019961831881945"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingSubtracting(i("533845033583426703283633433725380"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("3604857256930695427073651918091429"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingSubtracting(i("14423608567350463180887372962807573"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("26449188498355588339934803723976023"))
        let r = p.wrappingDivided(by: q)
        let shift = 195 - Int(truncatingIfNeeded: Int64(bitPattern: k.bits.w0))
        let result = r.bits.wrappingMultiplied(by: UInt256(decimal: "3822833074963236453042738258902158003155416615667")!).shiftedRight(shift)
        guard result.w3 >> 63 == 0 else { throw BandsError("bands.arithmetic_overflow", "math: wad_exp result does not fit int256.") }
        return Int256(bits: result)
    }

    /// snekmate's `_wad_ln(x)`: ln(x/1e18)·1e18 for x > 0 (0 for 0): k = log2(x) − 96, x normalised to
    /// [1, 2)·2^96 by `(x << (159 − k)) >> 159` (logical), an (8,8) rational approximation, then
    /// (r·c1 + k·c2 + c3) >> 174 (arithmetic). Throws for x < 0 ("math: wad_ln undefined").
    public static func wadLn(_ input: Int256) throws(BandsError) -> Int256 {
        guard !input.isNegative else { throw BandsError("bands.arithmetic_overflow", "math: wad_ln undefined") }
        if input.bits.isZero { return .zero }
        let k = input.bits.bitWidth - 1 - 96
        let x = Int256(bits: input.bits.shiftedLeft(159 - k).shiftedRight(159))
        var p = x.wrappingAdding(i("3273285459638523848632254066296")).wrappingMultiplied(by: x).shiftedRight(96)
            .wrappingAdding(i("24828157081833163892658089445524"))
        p = p.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("43456485725739037958740375743393"))
        p = p.wrappingMultiplied(by: x).shiftedRight(96).wrappingSubtracting(i("11111509109440967052023855526967"))
        p = p.wrappingMultiplied(by: x).shiftedRight(96).wrappingSubtracting(i("45023709667254063763336534515857"))
        p = p.wrappingMultiplied(by: x).shiftedRight(96).wrappingSubtracting(i("14706773417378608786704636184526"))
        p = p.wrappingMultiplied(by: x).wrappingSubtracting(i("795164235651350426258249787498").shiftedLeft(96))
        var q = x.wrappingAdding(i("5573035233440673466300451813936")).wrappingMultiplied(by: x).shiftedRight(96)
            .wrappingAdding(i("71694874799317883764090561454958"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("283447036172924575727196451306956"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("401686690394027663651624208769553"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("204048457590392012362485061816622"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("31853899698501571402653359427138"))
        q = q.wrappingMultiplied(by: x).shiftedRight(96).wrappingAdding(i("909429971244387300277376558375"))
        let r = p.wrappingDivided(by: q)
        return r.wrappingMultiplied(by: i("1677202110996718588342820967067443963516166"))
            .wrappingAdding(Int256(k).wrappingMultiplied(by: i("16597577552685614221487285958193947469193820559219878177908093499208371")))
            .wrappingAdding(i("600920179829731861736702779321621459595472258049074101567377883020018308"))
            .shiftedRight(174)
    }

    /// The classic factory's `ln_int(x)` (log2 by squaring, 59 fractional bits, then / log2(e)): how the
    /// classic AMM's constructor argument `log_A_ratio = ln_int(1e18·A/(A − 1))` is made. Truncates.
    public static func factoryLn(_ input: UInt256) -> Int256 {
        var x = input
        var result = UInt256.zero
        let wad = UInt256.wad
        for step in 0..<8 {
            let t = 1 << (7 - step)
            let p = UInt256.one.shiftedLeft(t)
            if x >= p.wrappingMultiplied(by: wad) {
                x = x.wrappingDivided(by: p)
                result = result.wrappingAdding(UInt256(UInt64(t)).wrappingMultiplied(by: wad))
            }
        }
        var d = wad
        let twoWad = wad.wrappingMultiplied(by: 2)
        for _ in 0..<59 {
            if x >= twoWad {
                result = result.wrappingAdding(d)
                x = x.shiftedRight(1)
            }
            x = x.wrappingMultiplied(by: x).wrappingDivided(by: wad)
            d = d.shiftedRight(1)
        }
        return Int256(bits: result.wrappingMultiplied(by: wad).wrappingDivided(by: UInt256(1_442_695_040_888_963_328 as UInt64)))
    }
}
