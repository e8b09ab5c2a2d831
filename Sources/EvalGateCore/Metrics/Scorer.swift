/// Scores one model on slices. Binary scores are sorted once for the whole
/// dataset; a slice's score order is derived from that global order (by
/// filtering it for large slices, by sorting the slice's ranks for small
/// ones), never sorted again per metric.
package struct Scorer: Sendable {
    package var metrics: [MetricDefinition]
    private var labels: EvaluationData.Labels
    private var weights: [Double]?
    private var predictions: EvaluationData.Predictions
    private var threshold: Double
    /// binary: rows by descending score, and each row's position in it.
    private var order: [Int32] = []
    private var rank: [Int32] = []

    package init(data: EvaluationData, predictions: EvaluationData.Predictions, metrics: [MetricDefinition], threshold: Double) {
        self.metrics = metrics
        self.labels = data.labels
        self.weights = data.weights
        self.predictions = predictions
        self.threshold = threshold
        if case .binary = labels, case .scores(let scores) = predictions {
            var order = (0..<Int32(scores.count)).map { $0 }
            order.sort { scores[Int($0)] > scores[Int($1)] || (scores[Int($0)] == scores[Int($1)] && $0 < $1) }
            var rank = [Int32](repeating: 0, count: scores.count)
            for (position, row) in order.enumerated() { rank[Int(row)] = Int32(position) }
            self.order = order
            self.rank = rank
        }
    }

    /// The value of every metric in `metrics` on the slice, in that order.
    package func score(_ slice: Slice) -> [MetricValue] {
        switch (labels, predictions) {
        case (.binary(let y), .scores(let scores)):
            let sorted = scoreOrder(of: slice.rows)
            let stats = BinarySliceStats(count: sorted.count, threshold: threshold) { i in
                let row = Int(sorted[i])
                return (scores[row], y[row], weights?[row] ?? 1)
            }
            return evaluate(slice) { if case .binary(let f) = $0 { f(stats) } else { nil } }
        case (.multiclass(let y, let classes), .classes(let predicted, let probabilities)):
            let stats = MulticlassSliceStats(
                classCount: classes.count, rows: slice.rows, labels: y, predicted: predicted,
                probabilities: probabilities, weights: weights)
            return evaluate(slice) { if case .multiclass(let f) = $0 { f(stats) } else { nil } }
        case (.regression(let y), .scores(let predicted)):
            let stats = RegressionSliceStats(rows: slice.rows, labels: y, predictions: predicted, weights: weights)
            return evaluate(slice) { if case .regression(let f) = $0 { f(stats) } else { nil } }
        default:
            preconditionFailure("labels and predictions follow the task")
        }
    }

    private func evaluate(_ slice: Slice, _ apply: (MetricKind) -> MetricValue?) -> [MetricValue] {
        metrics.map { metric in
            if case .count = metric.kind { return .value(Double(slice.rows.count)) }
            return apply(metric.kind)!
        }
    }

    /// The slice's rows in descending score order (ties in row order).
    private func scoreOrder(of rows: [Int32]) -> [Int32] {
        if rows.count == order.count { return order }
        if rows.count * 16 > order.count {
            var member = [Bool](repeating: false, count: order.count)
            for row in rows { member[Int(row)] = true }
            return order.filter { member[Int($0)] }
        }
        var ranks = rows.map { rank[Int($0)] }
        ranks.sort()
        return ranks.map { order[Int($0)] }
    }
}
