import CResampleKernel
import Foundation

/// Everything the binary metrics read about one slice, gathered by
/// `BinaryRanking.accumulate` in one pass over the rows in descending score
/// order (SPEC.md section 5). Weighted throughout, as scikit-learn's
/// `sample_weight`.
package struct BinarySliceStats: Sendable {
    /// Weighted confusion counts at the decision threshold.
    package var tp = 0.0, fp = 0.0, tn = 0.0, fn = 0.0
    /// Area under the ROC curve times P·N (ties count one half).
    package var aucNumerator = 0.0
    /// Average precision, as `average_precision_score`: Σ (R_k − R_{k−1})·P_k
    /// over distinct thresholds; accumulated with unnormalised recall steps.
    package var apNumerator = 0.0
    package var logLossSum = 0.0
    package var brierSum = 0.0
    /// Weight of the rows on which the champion predicts the other label.
    package var flipWeight = 0.0
    /// Calibration bins [i/10, (i+1)/10), the last one closed: weight,
    /// weighted label sum, weighted score sum.
    package var eceWeight = [Double](repeating: 0, count: 10)
    package var eceLabel = [Double](repeating: 0, count: 10)
    package var eceScore = [Double](repeating: 0, count: 10)

    package var positives: Double { tp + fn }
    package var negatives: Double { fp + tn }
    package var total: Double { tp + fp + tn + fn }

    /// scikit-learn's log_loss clips to the float64 machine epsilon.
    static let eps = 2.220446049250313e-16

    /// Bin i holds scores in [i/10, (i+1)/10); 1.0 falls in the last bin.
    static func calibrationBin(_ score: Double) -> Int {
        var bin = min(9, Int(score * 10))
        // Guard against rounding in score·10 (e.g. 0.7·10): compare with the edges.
        while bin > 0, score < Double(bin) / 10 { bin -= 1 }
        while bin < 9, score >= Double(bin + 1) / 10 { bin += 1 }
        return bin
    }
}

/// Where a slice's ECE sums live in a flat array: per slice, for each of
/// the ten score bins, its weight, its positive weight and its weight ×
/// score, side by side.
enum Calibration {
    // Computed constants, not stored `static let`s: a global is initialised
    // lazily, and every read in a hot loop would pay for the check. The
    // layout is the bootstrap kernel's too, so its header defines it.
    @inline(__always) static var sumsPerBin: Int { Int(EG_CALIBRATION_PER_BIN) }
    @inline(__always) static var sumsPerSlice: Int { Int(EG_CALIBRATION_PER_SLICE) }
    @inline(__always) static var bins: Int { sumsPerSlice / sumsPerBin }

    @inline(__always)
    static func cell(slice: Int, bin: Int) -> Int { slice * sumsPerSlice + bin * sumsPerBin }

    /// Copies slice `k`'s bins into its statistics; `sum(i)` reads the
    /// i-th sum of the flat array (one lane of it, when resampling).
    static func copy(slice k: Int, into stats: inout BinarySliceStats, _ sum: (Int) -> Double) {
        for b in 0..<bins {
            let cell = cell(slice: k, bin: b)
            stats.eceWeight[b] = sum(cell)
            stats.eceLabel[b] = sum(cell + 1)
            stats.eceScore[b] = sum(cell + 2)
        }
    }
}

package enum BinaryMetrics {
    private static let noWeight = MetricValue.undefined("the weights on this slice sum to 0")
    private static let noPositives = MetricValue.undefined("the slice has no positive labels")
    private static let noNegatives = MetricValue.undefined("the slice has no negative labels")

    /// Ratio with scikit-learn's zero_division=0 rule.
    private static func ratioOrZero(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }

    private static func overall(_ s: BinarySliceStats, _ f: (BinarySliceStats) -> Double) -> MetricValue {
        s.total > 0 ? .value(f(s)) : noWeight
    }

    private static func needsPositives(_ s: BinarySliceStats, _ f: (BinarySliceStats) -> Double) -> MetricValue {
        if s.total == 0 { return noWeight }
        return s.positives > 0 ? .value(f(s)) : noPositives
    }

    private static func needsNegatives(_ s: BinarySliceStats, _ f: (BinarySliceStats) -> Double) -> MetricValue {
        if s.total == 0 { return noWeight }
        return s.negatives > 0 ? .value(f(s)) : noNegatives
    }

    private static func needsBoth(_ s: BinarySliceStats, _ f: (BinarySliceStats) -> Double) -> MetricValue {
        if s.total == 0 { return noWeight }
        if s.positives == 0 { return noPositives }
        return s.negatives > 0 ? .value(f(s)) : noNegatives
    }

    private static func define(
        _ name: String, _ direction: Direction, range: ClosedRange<Double> = 0...1,
        _ f: @escaping @Sendable (BinarySliceStats) -> MetricValue
    ) -> MetricDefinition {
        MetricDefinition(name: name, direction: direction, kind: .binary(f), range: range)
    }

    static let definitions: [MetricDefinition] = [
        define("accuracy", .higher) { overall($0) { ($0.tp + $0.tn) / $0.total } },
        define("balanced_accuracy", .higher) {
            needsBoth($0) { ($0.tp / $0.positives + $0.tn / $0.negatives) / 2 }
        },
        define("precision", .higher) { overall($0) { ratioOrZero($0.tp, $0.tp + $0.fp) } },
        define("recall", .higher) { needsPositives($0) { $0.tp / $0.positives } },
        define("specificity", .higher) { needsNegatives($0) { $0.tn / $0.negatives } },
        define("fpr", .lower) { needsNegatives($0) { $0.fp / $0.negatives } },
        define("fnr", .lower) { needsPositives($0) { $0.fn / $0.positives } },
        define("f1", .higher) { overall($0) { ratioOrZero(2 * $0.tp, 2 * $0.tp + $0.fp + $0.fn) } },
        define("mcc", .higher, range: -1...1) {
            overall($0) { s in
                // matthews_corrcoef's covariance form over the weighted confusion
                // matrix (same rounding as scikit-learn); 0 when a margin is empty.
                let n = s.total
                let truePositive = s.positives
                let trueNegative = s.negatives
                let predictedPositive = s.tp + s.fp
                let predictedNegative = s.tn + s.fn
                let covTP = (s.tp + s.tn) * n - (trueNegative * predictedNegative + truePositive * predictedPositive)
                let covPP = n * n - (predictedNegative * predictedNegative + predictedPositive * predictedPositive)
                let covTT = n * n - (trueNegative * trueNegative + truePositive * truePositive)
                return covPP * covTT == 0 ? 0 : covTP / (covTT * covPP).squareRoot()
            }
        },
        define("auc", .higher) { needsBoth($0) { $0.aucNumerator / ($0.positives * $0.negatives) } },
        define("pr_auc", .higher) { needsPositives($0) { $0.apNumerator / $0.positives } },
        define("log_loss", .lower, range: 0...Double.infinity) { overall($0) { $0.logLossSum / $0.total } },
        define("brier", .lower) { overall($0) { $0.brierSum / $0.total } },
        define("ece", .lower) {
            overall($0) { s in
                var ece = 0.0
                for bin in 0..<10 where s.eceWeight[bin] > 0 {
                    let gap = abs(s.eceLabel[bin] / s.eceWeight[bin] - s.eceScore[bin] / s.eceWeight[bin])
                    ece += s.eceWeight[bin] / s.total * gap
                }
                return ece
            }
        },
        define("positive_rate", .none) { overall($0) { ($0.tp + $0.fp) / $0.total } },
    ]
}
