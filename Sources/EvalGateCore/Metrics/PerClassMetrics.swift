import Foundation

/// One class of a multiclass task, one-vs-rest (SPEC.md section 3): a check
/// with `class: "7"` on precision, recall, f1, auc or pr_auc reads the
/// metric `recall[7]`, equal to scikit-learn's per-class value
/// (`recall_score(average=None)`, `roc_auc_score` and
/// `average_precision_score` on the binarised label).
package enum PerClassMetrics {
    package static let bases = ["precision", "recall", "f1", "auc", "pr_auc"]

    /// Metrics that rank the class's probability, so need `scores:`.
    package static let ranked: Set<String> = ["auc", "pr_auc"]

    /// "recall[7]" for recall of class 7.
    package static func name(_ base: String, label: String) -> String { "\(base)[\(label)]" }

    /// The base metric and class of a per-class name, e.g. ("recall", "7").
    package static func split(_ name: String) -> (base: String, label: String)? {
        guard name.hasSuffix("]"), let open = name.firstIndex(of: "[") else { return nil }
        let base = String(name[..<open])
        guard bases.contains(base) else { return nil }
        return (base, String(name[name.index(after: open)..<name.index(before: name.endIndex)]))
    }

    package static func definition(_ name: String) -> MetricDefinition? {
        guard let (base, label) = split(name) else { return nil }
        return MetricDefinition(
            name: name, direction: .higher,
            kind: .multiclass { s in
                guard s.total > 0 else { return .undefined("the weights on this slice sum to 0") }
                guard let k = s.classNames.firstIndex(where: { DataLoader.sameValue($0, label) }) else {
                    return .undefined("class \(quote(label)) does not occur in the data")
                }
                return value(base, of: k, label: label, s)
            })
    }

    private static func value(_ base: String, of k: Int, label: String, _ s: MulticlassSliceStats) -> MetricValue {
        let n = s.classCount
        let tp = s.confusion[k * n + k]
        let actual = (0..<n).reduce(0.0) { $0 + s.confusion[k * n + $1] }
        let predicted = (0..<n).reduce(0.0) { $0 + s.confusion[$1 * n + k] }
        let noPositives = MetricValue.undefined("the slice has no rows of class \(quote(label))")
        switch base {
        case "precision": return .value(predicted == 0 ? 0 : tp / predicted)
        case "recall": return actual > 0 ? .value(tp / actual) : noPositives
        case "f1": return .value(actual + predicted == 0 ? 0 : 2 * tp / (actual + predicted))
        default:
            guard let scores = s.probabilities?[k] else {
                return .undefined("\(base) of one class needs class probabilities ('scores:')")
            }
            let ranked = OneVsRest(
                rows: s.rows, scores: scores, labels: s.labels, positive: Int32(k), weights: s.weights)
            guard ranked.positives > 0 else { return noPositives }
            if base == "pr_auc" { return .value(ranked.averagePrecision) }
            guard ranked.negatives > 0 else {
                return .undefined("the slice has only rows of class \(quote(label)), so no negatives")
            }
            return .value(ranked.auc)
        }
    }
}

/// A class's probability against "is this class", sorted once, descending:
/// the exact, tie-aware ROC AUC (ties count one half) and average precision
/// (scikit-learn's step sum over distinct thresholds), both weighted.
struct OneVsRest {
    var positives = 0.0
    var negatives = 0.0
    /// Per distinct score, descending: (positive weight, negative weight).
    private var groups: [(positive: Double, negative: Double)] = []

    init(rows: [Int32], scores: [Double], labels: [Int32], positive: Int32, weights: [Double]?) {
        let order = rows.sorted { scores[Int($0)] > scores[Int($1)] || (scores[Int($0)] == scores[Int($1)] && $0 < $1) }
        var previous: Double?
        for r in order {
            let row = Int(r)
            let w = weights?[row] ?? 1
            if previous != scores[row] {
                groups.append((0, 0))
                previous = scores[row]
            }
            if labels[row] == positive {
                groups[groups.count - 1].positive += w
                positives += w
            } else {
                groups[groups.count - 1].negative += w
                negatives += w
            }
        }
    }

    /// Σ over positives of the negative weight ranked below them, ties half.
    var auc: Double {
        var below = negatives
        var numerator = 0.0
        for group in groups {
            below -= group.negative
            numerator += group.positive * (below + group.negative / 2)
        }
        return numerator / (positives * negatives)
    }

    /// Σ (R_i − R_{i−1}) · P_i over the distinct thresholds, descending.
    var averagePrecision: Double {
        var tp = 0.0
        var fp = 0.0
        var ap = 0.0
        for group in groups {
            tp += group.positive
            fp += group.negative
            if group.positive > 0 { ap += group.positive / positives * (tp / (tp + fp)) }
        }
        return ap
    }
}
