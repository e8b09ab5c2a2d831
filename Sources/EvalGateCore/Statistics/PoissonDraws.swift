/// The row weights of one bootstrap resample (SPEC.md section 6): every
/// row gets a Poisson(1) count, the number of times the resample draws it.
/// The count is a pure function of (seed, resample index, row): rows 2p
/// and 2p + 1 take the low and high 32 bits of the p-th output of a wyrand
/// stream (Wang Yi's generator: a counter mixed by one 128-bit multiply)
/// keyed by the seed and the index, turned into a count by the Poisson(1)
/// distribution function. So the counts are the same whatever reads them,
/// in whatever order, and never depend on `--jobs`.
struct PoissonDraws: Sendable {
    private let key: UInt64

    init(seed: Int, resample: Int) {
        key = Self.mix(Self.mix(UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15) ^ UInt64(resample))
    }

    /// SplitMix64's output function (Steele, Lea and Flood, 2014), to key the stream.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The p-th output of the resample's stream.
    @inline(__always)
    private func output(_ p: Int) -> UInt64 {
        let state = key &+ UInt64(p &+ 1) &* 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }

    /// floor(2^32 · P(X ≤ k)) for X ~ Poisson(1), k = 0...12, computed
    /// exactly (60-digit decimal arithmetic); each count's probability is
    /// within 2^-32 of Poisson(1)'s.
    private static let cumulative: [UInt32] = [
        0x5E2D_58D8, 0xBC5A_B1B1, 0xEB71_5E1D, 0xFB23_9797, 0xFF10_25F5, 0xFFD9_0F3B, 0xFFFA_8B71,
        0xFFFF_540C, 0xFFFF_ED1F, 0xFFFF_FE21, 0xFFFF_FFD4, 0xFFFF_FFFC, 0xFFFF_FFFF,
    ]

    /// The inverse Poisson(1) distribution function at a uniform 32-bit
    /// draw. The first five comparisons (99.6% of draws) are branch-free
    /// literals: no array access on the hot path.
    @inline(__always)
    private static func count(_ u: UInt32) -> UInt8 {
        var k: UInt8 =
            (u >= 0x5E2D_58D8 ? 1 : 0) &+ (u >= 0xBC5A_B1B1 ? 1 : 0) &+ (u >= 0xEB71_5E1D ? 1 : 0)
            &+ (u >= 0xFB23_9797 ? 1 : 0) &+ (u >= 0xFF10_25F5 ? 1 : 0)
        if k == 5 { k = tail(u) }
        return k
    }

    /// Counts of 5 and more (0.4% of draws), kept out of line.
    @inline(never)
    private static func tail(_ u: UInt32) -> UInt8 {
        var k: UInt8 = 5
        while Int(k) < cumulative.count, u >= cumulative[Int(k)] { k += 1 }
        return k
    }

    /// The count of one row.
    func count(row: Int) -> UInt8 {
        let pair = output(row >> 1)
        return Self.count(UInt32(truncatingIfNeeded: row & 1 == 0 ? pair : pair >> 32))
    }

    /// The counts of rows 0..<counts.count, two rows per output.
    func fill(_ counts: UnsafeMutableBufferPointer<UInt8>) {
        let n = counts.count
        for p in 0..<(n / 2) {
            let pair = output(p)
            counts[2 * p] = Self.count(UInt32(truncatingIfNeeded: pair))
            counts[2 * p + 1] = Self.count(UInt32(truncatingIfNeeded: pair >> 32))
        }
        if n % 2 == 1 { counts[n - 1] = count(row: n - 1) }
    }
}
