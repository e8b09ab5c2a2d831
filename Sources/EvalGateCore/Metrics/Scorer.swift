/// Disjoint slices scored together: all slices of one `by`/`bins` group,
/// or a single slice (overall, a where slice).
package struct SlicePass: Sendable {
    /// Indices into the run's slice list.
    package var slices: [Int]
}

/// Passes and, for each row, the slice it falls in within each pass.
package struct SlicePlan: Sendable {
    package var passes: [SlicePass]
    /// Row-major: `codes[row * passes.count + p]` = index into
    /// `passes[p].slices`, or -1 when the row is in none of them.
    package var codes: [Int32]

    /// One pass per group and per ungrouped slice; slices marked not
    /// evaluated are left out.
    package init(_ slices: [Slice], evaluated: [Bool], rowCount: Int) {
        var passes: [SlicePass] = []
        var passOfSlice: [(pass: Int, code: Int32)] = []
        var passOfGroup: [String: Int] = [:]
        for (index, slice) in slices.enumerated() where evaluated[index] {
            let passIndex: Int
            if let group = slice.group, let existing = passOfGroup[group] {
                passIndex = existing
            } else {
                passes.append(SlicePass(slices: []))
                passIndex = passes.count - 1
                if let group = slice.group { passOfGroup[group] = passIndex }
            }
            passOfSlice.append((passIndex, Int32(passes[passIndex].slices.count)))
            passes[passIndex].slices.append(index)
        }
        var codes = [Int32](repeating: -1, count: rowCount * passes.count)
        let stride = passes.count
        codes.withUnsafeMutableBufferPointer { codes in
            var member = 0
            for (index, slice) in slices.enumerated() where evaluated[index] {
                let (pass, code) = passOfSlice[member]
                member += 1
                for row in slice.rows { codes[Int(row) * stride + pass] = code }
            }
        }
        self.passes = passes
        self.codes = codes
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

    package init(data: EvaluationData, predictions: EvaluationData.Predictions, metrics: [MetricDefinition], threshold: Double) {
        self.metrics = metrics
        self.labels = data.labels
        self.weights = data.weights
        self.predictions = predictions
        self.threshold = threshold
        if case .binary(let y) = labels, case .scores(let scores) = predictions {
            ranking = BinaryRanking(scores: scores, labels: y, weights: data.weights)
        }
    }

    /// The value of every metric in `metrics` for each slice of the chosen
    /// passes: result[i][j] is slice j of pass `passIndices[i]`.
    package func score(_ plan: SlicePlan, passes passIndices: [Int], slices: [Slice]) -> [[[MetricValue]]] {
        let members = passIndices.map { plan.passes[$0].slices.map { slices[$0] } }
        switch (labels, predictions) {
        case (.binary, .scores):
            let stats = ranking!.accumulate(
                codes: plan.codes, stride: plan.passes.count, passes: passIndices,
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
