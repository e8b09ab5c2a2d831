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

    /// The count of every draw whose top byte is `b`, or 0xFF when a
    /// boundary of the distribution function falls inside that byte's range
    /// (5 of the 256 bytes).
    private static func countOfTopByte(_ b: Int) -> UInt8 {
        let low = UInt32(b) << 24
        let count = Self.count(low)
        return count == Self.count(low | 0xFF_FFFF) ? count : 0xFF
    }

    /// The counts of rows 0..<rows, two rows per output, row r's at
    /// `counts[r * stride]`. A draw's count is read from a table by its
    /// top byte, and computed only when that byte straddles a boundary:
    /// the same count as `count(row:)` without a chain of comparisons the
    /// compiler turns into unpredictable branches.
    func fill(_ counts: UnsafeMutablePointer<UInt8>, rows n: Int, stride: Int = 1) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { table in
            for b in 0..<256 { table[b] = Self.countOfTopByte(b) }
            @inline(__always) func count(_ u: UInt32) -> UInt8 {
                let byTable = table[Int(u >> 24)]
                return byTable != 0xFF ? byTable : Self.count(u)
            }
            for p in 0..<(n / 2) {
                let pair = output(p)
                counts[2 * p * stride] = count(UInt32(truncatingIfNeeded: pair))
                counts[(2 * p + 1) * stride] = count(UInt32(truncatingIfNeeded: pair >> 32))
            }
        }
        if n % 2 == 1 { counts[(n - 1) * stride] = count(row: n - 1) }
    }
}

/// The Poisson counts of up to four resamples scored together. A binary
/// gate reads them row-interleaved (`interleaved[row * 4 + r]`, 0 in the
/// lanes past `lanes`), so that its pass reads a row's four counts at once;
/// a multiclass or regression gate reads each resample's counts and weights.
struct ResampleDraws {
    var interleaved: [UInt8] = []
    var lanes = 0
    var counts: [[UInt8]] = []
    var weights: [[Double]?] = []
    private let rowCount: Int
    private let perResample: Bool

    init(rowCount: Int, perResample: Bool) {
        self.rowCount = rowCount
        self.perResample = perResample
        if !perResample { interleaved = [UInt8](repeating: 0, count: rowCount * ResampleKernel.lanes) }
    }

    /// Draws resamples `resamples` (at most four), in the layout the gate reads.
    mutating func draw(_ resamples: Range<Int>, seed: Int, golden: [Double]?) {
        lanes = resamples.count
        let rows = rowCount
        if perResample {
            counts = resamples.map { b in
                [UInt8](unsafeUninitializedCapacity: rows) { buffer, count in
                    if rows > 0 { PoissonDraws(seed: seed, resample: b).fill(buffer.baseAddress!, rows: rows) }
                    count = rows
                }
            }
            weights = counts.map { Scorer.resampledWeights($0, golden: golden) }
            return
        }
        let width = ResampleKernel.lanes
        interleaved.withUnsafeMutableBufferPointer { buffer in
            for lane in 0..<width where rows > 0 {
                if lane < lanes {
                    PoissonDraws(seed: seed, resample: resamples.lowerBound + lane).fill(
                        buffer.baseAddress! + lane, rows: rows, stride: width)
                } else {
                    for row in 0..<rows { buffer[row * width + lane] = 0 }
                }
            }
        }
    }
}
