import Foundation

/// A slice's weighted confusion matrix (true class x predicted class) and
/// which classes occur in it; classes = the union of the slice's labels and
/// predictions, as scikit-learn's `unique_labels`.
package struct MulticlassSliceStats: Sendable {
    package var classCount: Int
    /// confusion[t * classCount + p]
    package var confusion: [Double]
    /// Class occurs (unweighted) among the slice's labels or predictions.
    package var present: [Bool]
    package var total = 0.0
    /// Σ w·(−log p_true), nil without probabilities.
    package var logLossSum: Double?
    /// Weight of the rows on which the champion predicts another class.
    package var flipWeight = 0.0
    /// What the per-class metrics read (`PerClassMetrics`): the class names,
    /// and the slice's rows with the arrays they index.
    package var classNames: [String]
    var rows: [Int32]
    var labels: [Int32]
    var probabilities: [[Double]]?
    var weights: [Double]?

    init(
        classes: [String], rows: [Int32], labels: [Int32], predicted: [Int32], probabilities: [[Double]]?,
        weights: [Double]?,
        flipped: [Bool]? = nil
    ) {
        let classCount = classes.count
        self.classCount = classCount
        classNames = classes
        self.rows = rows
        self.labels = labels
        self.probabilities = probabilities
        self.weights = weights
        confusion = [Double](repeating: 0, count: classCount * classCount)
        present = [Bool](repeating: false, count: classCount)
        var logLoss = 0.0
        for r in rows {
            let row = Int(r)
            let t = Int(labels[row])
            let p = Int(predicted[row])
            let w = weights?[row] ?? 1
            confusion[t * classCount + p] += w
            present[t] = true
            present[p] = true
            total += w
            if let flipped, flipped[row] { flipWeight += w }
            if let probabilities {
                let clipped = min(max(probabilities[t][row], BinarySliceStats.eps), 1 - BinarySliceStats.eps)
                logLoss -= w * log(clipped)
            }
        }
        logLossSum = probabilities == nil ? nil : logLoss
    }

    /// Per present class: (true positives, predicted count, true count).
    var perClass: [(tp: Double, predicted: Double, actual: Double)] {
        (0..<classCount).filter { present[$0] }.map { k in
            var predicted = 0.0
            var actual = 0.0
            for j in 0..<classCount {
                predicted += confusion[j * classCount + k]
                actual += confusion[k * classCount + j]
            }
            return (confusion[k * classCount + k], predicted, actual)
        }
    }
}

package enum MulticlassMetrics {
    private static func ratioOrZero(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }

    private static func define(
        _ name: String, _ f: @escaping @Sendable (MulticlassSliceStats) -> Double
    ) -> MetricDefinition {
        let direction: Direction = name == "log_loss" ? .lower : .higher
        return MetricDefinition(
            name: name, direction: direction,
            kind: .multiclass { s in
                s.total > 0 ? .value(f(s)) : .undefined("the weights on this slice sum to 0")
            })
    }

    /// Unweighted mean over present classes (scikit-learn's average="macro").
    private static func macro(
        _ s: MulticlassSliceStats, _ f: ((tp: Double, predicted: Double, actual: Double)) -> Double
    ) -> Double {
        let classes = s.perClass
        return classes.map(f).reduce(0, +) / Double(classes.count)
    }

    private static func trace(_ s: MulticlassSliceStats) -> Double {
        (0..<s.classCount).reduce(0) { $0 + s.confusion[$1 * s.classCount + $1] }
    }

    static let definitions: [MetricDefinition] = [
        define("accuracy") { trace($0) / $0.total },
        define("macro_f1") { macro($0) { ratioOrZero(2 * $0.tp, $0.predicted + $0.actual) } },
        // With every class counted, micro precision = micro recall = accuracy.
        define("micro_f1") { trace($0) / $0.total },
        define("weighted_f1") { s in
            let classes = s.perClass
            return classes.reduce(0) { $0 + ratioOrZero(2 * $1.tp, $1.predicted + $1.actual) * $1.actual } / s.total
        },
        define("macro_precision") { macro($0) { ratioOrZero($0.tp, $0.predicted) } },
        define("macro_recall") { macro($0) { ratioOrZero($0.tp, $0.actual) } },
        MetricDefinition(
            name: "log_loss", direction: .lower,
            kind: .multiclass { s in
                guard s.total > 0 else { return .undefined("the weights on this slice sum to 0") }
                guard let sum = s.logLossSum else {
                    return .undefined("this model gives predicted classes, not class probabilities")
                }
                return .value(sum / s.total)
            }, range: 0...Double.infinity),
    ]
}
