import Foundation

/// The population stability index (PSI) and the binning it is computed
/// on, shared by `score_psi` and the gate file's `drift:` section.
///
/// PSI = Σ (a − e)·ln(a / e) over the bins, a and e the shares of the
/// actual and the expected rows in each bin, a share of 0 replaced by
/// 0.0001 on either side (so that an empty bin counts, finitely).
package enum PopulationStability {
    /// The share an empty bin is given.
    package static let floor = 1e-4

    /// PSI of two weight vectors over the same bins, each normalised to
    /// shares; nil when either side has no weight.
    package static func index(actual: [Double], expected: [Double]) -> Double? {
        let actualTotal = actual.reduce(0, +)
        let expectedTotal = expected.reduce(0, +)
        guard actualTotal > 0, expectedTotal > 0 else { return nil }
        var psi = 0.0
        for (x, y) in zip(actual, expected) { psi += term(actual: x / actualTotal, expected: y / expectedTotal) }
        return psi
    }

    /// One bin's part of the PSI, from its two shares (a share of 0 counts as `floor`).
    package static func term(actual: Double, expected: Double) -> Double {
        let a = actual > 0 ? actual : floor
        let e = expected > 0 ? expected : floor
        return (a - e) * log(a / e)
    }

    /// The 9 inner edges of 10 bins at the deciles of ascending `sorted`
    /// (non-empty), by numpy's default quantile method ("linear"),
    /// including its floating-point steps so that a value equal to an edge
    /// falls in the same bin as in numpy.
    package static func decileEdges(_ sorted: [Double]) -> [Double] {
        let n = sorted.count
        return (1...9).map { k in
            let q = Double(k) / 10
            // numpy's "linear" method: virtual index (n − 1)·q; at or past
            // the last index, the last value.
            let virtual = Double(n - 1) * q
            guard virtual < Double(n - 1) else { return sorted[n - 1] }
            let previous = Int(virtual.rounded(.down))
            let next = previous + 1
            let t = virtual - Double(previous)
            let a = sorted[previous]
            let b = sorted[next]
            // numpy's _lerp: from the nearer end.
            let difference = b - a
            return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
        }
    }

    /// Bin of `x` among bins closed on the left, `[lo, hi)`, between
    /// ascending `edges`, the outer bins open: the number of edges ≤ x.
    @inline(__always)
    package static func bin(_ x: Double, edges: [Double]) -> Int {
        var count = 0
        for edge in edges where edge <= x { count += 1 }
        return count
    }

    /// score_psi: the candidate's scores against the champion's on the
    /// same rows, 10 bins at the champion's deciles, rows weighted by
    /// `weights` (the golden set's) when given.
    static func scores(_ rows: [Int32], candidate: [Double], champion: [Double], weights: [Double]?) -> MetricValue {
        guard !rows.isEmpty else { return .undefined("the slice has no rows") }
        let edges = decileEdges(rows.map { champion[Int($0)] }.sorted())
        var actual = [Double](repeating: 0, count: 10)
        var expected = [Double](repeating: 0, count: 10)
        for r in rows {
            let row = Int(r)
            let w = weights?[row] ?? 1
            actual[bin(candidate[row], edges: edges)] += w
            expected[bin(champion[row], edges: edges)] += w
        }
        return index(actual: actual, expected: expected).map { .value($0) }
            ?? .undefined("the weights on this slice sum to 0")
    }
}

/// Metrics that compare the candidate with the champion row by row, so
/// they have one value per slice (reported as the candidate's), none for
/// the champion, and none without a champion.
package enum PairedMetric: Sendable {
    /// Weighted share of rows whose predicted label differs (binary at the
    /// decision threshold, multiclass by arg-max).
    case flipRate
    /// PSI of the candidate's scores (or predicted values) against the
    /// champion's.
    case scorePSI

    /// Why score_psi has no bootstrap interval.
    static let scorePSINotResampled = "score_psi is not resampled: its bins move with every resample"

    static let definitions = [
        MetricDefinition(name: "flip_rate", direction: .none, kind: .paired(.flipRate)),
        MetricDefinition(name: "score_psi", direction: .none, kind: .paired(.scorePSI), range: 0...Double.infinity),
    ]

    func fits(_ task: ModelTask) -> Bool {
        switch self {
        case .flipRate: task != .regression
        case .scorePSI: task != .multiclass
        }
    }
}
