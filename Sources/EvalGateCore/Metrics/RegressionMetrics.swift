import Foundation

/// Weighted sums for the regression metrics of a slice, as scikit-learn's
/// `sample_weight` (np.average with weights).
package struct RegressionSliceStats: Sendable {
    package var total = 0.0
    package var absoluteError = 0.0
    package var squaredError = 0.0
    package var percentageError = 0.0
    /// Σ w·(y − ȳ_w)², the denominator of r2.
    package var labelVariation = 0.0

    init(rows: [Int32], labels: [Double], predictions: [Double], weights: [Double]?) {
        var labelSum = 0.0
        for r in rows {
            let row = Int(r)
            let w = weights?[row] ?? 1
            let y = labels[row]
            let e = labels[row] - predictions[row]
            total += w
            labelSum += w * y
            absoluteError += w * abs(e)
            squaredError += w * e * e
            // mean_absolute_percentage_error divides by max(|y|, eps).
            percentageError += w * abs(e) / max(abs(y), BinarySliceStats.eps)
        }
        guard total > 0 else { return }
        let mean = labelSum / total
        for r in rows {
            let row = Int(r)
            let d = labels[row] - mean
            labelVariation += (weights?[row] ?? 1) * d * d
        }
    }
}

package enum RegressionMetrics {
    private static func define(
        _ name: String, _ direction: Direction, range: ClosedRange<Double> = 0...Double.infinity,
        _ f: @escaping @Sendable (RegressionSliceStats) -> MetricValue
    ) -> MetricDefinition {
        MetricDefinition(
            name: name, direction: direction,
            kind: .regression { s in
                s.total > 0 ? f(s) : .undefined("the weights on this slice sum to 0")
            }, range: range)
    }

    static let definitions: [MetricDefinition] = [
        define("mae", .lower) { .value($0.absoluteError / $0.total) },
        define("mse", .lower) { .value($0.squaredError / $0.total) },
        define("rmse", .lower) { .value(($0.squaredError / $0.total).squareRoot()) },
        define("mape", .lower) { .value($0.percentageError / $0.total) },
        // SPEC.md: r2 is undefined without label variance (scikit-learn would
        // return 1.0 or 0.0 there; a gate must not pass or fail on that).
        define("r2", .higher, range: -Double.infinity...1) {
            $0.labelVariation > 0
                ? .value(1 - $0.squaredError / $0.labelVariation)
                : .undefined("the labels on this slice have no variance")
        },
    ]
}
