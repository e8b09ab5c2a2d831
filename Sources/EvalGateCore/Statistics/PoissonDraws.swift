/// The row weights of one bootstrap resample (SPEC.md section 6): every
/// row gets a Poisson(1) count, the number of times the resample draws it.
/// The count is a pure function of (seed, resample index, row), the
/// row-th output of a wyrand stream (Wang Yi's generator, a counter mixed
/// by one 128-bit multiply) keyed by the seed and the index, so it can be
/// read in any order (each model reads its rows in its own
/// score order), is shared by every slice the row is in, and never depends
/// on `--jobs`.
struct PoissonDraws: Sendable {
    private let key: UInt64

    init(seed: Int, resample: Int) {
        key = Self.mix(Self.mix(UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15) ^ UInt64(resample))
    }

    /// SplitMix64's output function (Steele, Lea and Flood, 2014).
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// floor(2^64 · P(X ≤ k)) for X ~ Poisson(1), k = 0...19, computed
    /// exactly (60-digit decimal arithmetic); P(X ≥ 20) < 2^-64.
    private static let cumulative: [UInt64] = [
        0x5E2D_58D8_B3BC_DF1A, 0xBC5A_B1B1_6779_BE35, 0xEB71_5E1D_C158_2DC2, 0xFB23_9797_34A2_52F1,
        0xFF10_25F5_9174_DC3D, 0xFFD9_0F3B_A405_5E19, 0xFFFA_8B71_FC72_C913, 0xFFFF_540C_0914_B3C9,
        0xFFFF_ED1F_4AA8_F120, 0xFFFF_FE21_6E64_1462, 0xFFFF_FFD4_D85D_3183, 0xFFFF_FFFC_6DA2_62B4,
        0xFFFF_FFFF_BA12_D178, 0xFFFF_FFFF_FB07_C64C, 0xFFFF_FFFF_FFAB_8EA5, 0xFFFF_FFFF_FFFA_BE22,
        0xFFFF_FFFF_FFFF_B11A, 0xFFFF_FFFF_FFFF_FBA1, 0xFFFF_FFFF_FFFF_FFC5, 0xFFFF_FFFF_FFFF_FFFD,
    ]

    /// The row's count: the inverse Poisson(1) distribution function at a
    /// uniform 64-bit draw. The first five comparisons (99.6% of rows) are
    /// branch-free.
    @inline(__always)
    func count(row: Int) -> UInt8 {
        let state = key &+ UInt64(row &+ 1) &* 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        let u = product.high ^ product.low
        // The first five entries of `cumulative`, as literals: no array access on the hot path.
        var k: UInt8 = (u >= 0x5E2D_58D8_B3BC_DF1A ? 1 : 0) &+ (u >= 0xBC5A_B1B1_6779_BE35 ? 1 : 0)
            &+ (u >= 0xEB71_5E1D_C158_2DC2 ? 1 : 0) &+ (u >= 0xFB23_9797_34A2_52F1 ? 1 : 0)
            &+ (u >= 0xFF10_25F5_9174_DC3D ? 1 : 0)
        if k == 5 {
            let table = Self.cumulative
            while Int(k) < table.count, u >= table[Int(k)] { k += 1 }
        }
        return k
    }
}
