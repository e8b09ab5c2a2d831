/// Disjoint slices scored together: all slices of one `by`/`bins` group,
/// or a single slice (overall, a where slice).
package struct SlicePass: Sendable {
    /// Indices into the run's slice list.
    package var slices: [Int]
}

/// Passes and, for each row, the slice it falls in within each pass.
package struct SlicePlan: Sendable {
    package var passes: [SlicePass]
    /// One array per pass: `codes[p][row]` = index into `passes[p].slices`,
    /// or `none` when the row is in none of them; empty for a pass of one
    /// slice that holds every row (overall). One byte a row keeps each
    /// pass's array at 1 MB per million rows, so that reading it in a
    /// model's rank order (random row order) mostly hits the core's cache.
    package var codes: [[UInt8]]
    package static let none = UInt8.max
    /// A pass holds at most this many slices; a larger group is split.
    static let maxSlicesPerPass = Int(UInt8.max) - 1

    /// One pass per group and per ungrouped slice; slices marked not
    /// evaluated are left out. Each pass's codes are filled in parallel.
    package init(_ slices: [Slice], evaluated: [Bool], rowCount: Int, jobs: Int = 1) {
        var passes: [SlicePass] = []
        var passOfGroup: [String: Int] = [:]
        for (index, slice) in slices.enumerated() where evaluated[index] {
            if let group = slice.group, let existing = passOfGroup[group], passes[existing].slices.count < Self.maxSlicesPerPass {
                passes[existing].slices.append(index)
                continue
            }
            if let group = slice.group { passOfGroup[group] = passes.count }
            passes.append(SlicePass(slices: [index]))
        }
        codes = parallelMap(passes, jobs: jobs) { pass in
            if pass.slices.count == 1, slices[pass.slices[0]].rows.count == rowCount { return [] }
            var codes = [UInt8](repeating: Self.none, count: rowCount)
            codes.withUnsafeMutableBufferPointer { codes in
                for (code, index) in pass.slices.enumerated() {
                    for row in slices[index].rows { codes[Int(row)] = UInt8(code) }
                }
            }
            return codes
        }
        self.passes = passes
    }
}

/// Scores one model. Binary scores are sorted once for the whole dataset
/// (`BinaryRanking`); each pass then reads that order sequentially, so no
/// slice is ever sorted and no metric sorts again.
package struct Scorer: Sendable {
    package var metrics: [MetricDefinition]
    private var labels: EvaluationData.Labels
    private var weights: [Double]?
    private var predictions: EvaluationData.Predictions
    private var threshold: Double
    private var ranking: BinaryRanking?
    private var positionOfRow: [Int32] = []

    package init(data: EvaluationData, predictions: EvaluationData.Predictions, metrics: [MetricDefinition], threshold: Double) {
        self.metrics = metrics
        self.labels = data.labels
        self.weights = data.weights
        self.predictions = predictions
        self.threshold = threshold
        if case .binary(let y) = labels, case .scores(let scores) = predictions {
            ranking = BinaryRanking(scores: scores, labels: y, weights: data.weights, needs: .init(metrics: metrics.map(\.name)))
        }
    }

    /// Builds the row -> ranking position map that `score(rows:)` needs,
    /// once per model, before the bootstrap (which calls it per resample).
    package mutating func prepareForResampling() {
        if let ranking, positionOfRow.isEmpty { positionOfRow = ranking.positionOfRow }
    }

    /// Metric values on a multiset of rows (rows may repeat, as in a
    /// bootstrap resample); used by the statistics, not on the hot path.
    package func score(rows: [Int32]) -> [MetricValue] {
        let slice = Slice(name: "", group: nil, key: nil, rows: rows)
        switch (labels, predictions) {
        case (.binary, .scores):
            precondition(!positionOfRow.isEmpty || rows.isEmpty, "prepareForResampling() runs before resampling")
            let positions = rows.map { positionOfRow[Int($0)] }.sorted()
            let s = ranking!.stats(positions: positions, threshold: threshold)
            return evaluate(slice) { if case .binary(let f) = $0 { f(s) } else { nil } }
        case (.multiclass(let y, let classes), .classes(let predicted, let probabilities)):
            let s = MulticlassSliceStats(
                classCount: classes.count, rows: rows, labels: y, predicted: predicted, probabilities: probabilities, weights: weights)
            return evaluate(slice) { if case .multiclass(let f) = $0 { f(s) } else { nil } }
        case (.regression(let y), .scores(let predicted)):
            let s = RegressionSliceStats(rows: rows, labels: y, predictions: predicted, weights: weights)
            return evaluate(slice) { if case .regression(let f) = $0 { f(s) } else { nil } }
        default:
            preconditionFailure("labels and predictions follow the task")
        }
    }

    /// Whether the model is right on a row (binary: at the threshold;
    /// multiclass: the predicted class); nil for regression.
    package func isCorrect(row: Int) -> Bool? {
        switch (labels, predictions) {
        case (.binary(let y), .scores(let scores)): return (scores[row] >= threshold) == (y[row] == 1)
        case (.multiclass(let y, _), .classes(let predicted, _)): return predicted[row] == y[row]
        default: return nil
        }
    }

    /// Binary scores and labels of the rows, for DeLong's test.
    package func binaryScores(rows: [Int32]) -> (scores: [Double], positive: [Bool])? {
        guard case .binary(let y) = labels, case .scores(let scores) = predictions else { return nil }
        return (rows.map { scores[Int($0)] }, rows.map { y[Int($0)] == 1 })
    }

    /// The value of every metric in `metrics` for each slice of the chosen
    /// passes: result[i][j] is slice j of pass `passIndices[i]`.
    package func score(_ plan: SlicePlan, passes passIndices: [Int], slices: [Slice]) -> [[[MetricValue]]] {
        let members = passIndices.map { plan.passes[$0].slices.map { slices[$0] } }
        switch (labels, predictions) {
        case (.binary, .scores):
            let stats = ranking!.accumulate(
                codes: passIndices.map { plan.codes[$0] },
                sliceCounts: members.map(\.count), threshold: threshold)
            return zip(members, stats).map { group, groupStats in
                zip(group, groupStats).map { slice, s in
                    evaluate(slice) { if case .binary(let f) = $0 { f(s) } else { nil } }
                }
            }
        case (.multiclass(let y, let classes), .classes(let predicted, let probabilities)):
            return members.map { group in
                group.map { slice in
                    let s = MulticlassSliceStats(
                        classCount: classes.count, rows: slice.rows, labels: y, predicted: predicted,
                        probabilities: probabilities, weights: weights)
                    return evaluate(slice) { if case .multiclass(let f) = $0 { f(s) } else { nil } }
                }
            }
        case (.regression(let y), .scores(let predicted)):
            return members.map { group in
                group.map { slice in
                    let s = RegressionSliceStats(rows: slice.rows, labels: y, predictions: predicted, weights: weights)
                    return evaluate(slice) { if case .regression(let f) = $0 { f(s) } else { nil } }
                }
            }
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
}
