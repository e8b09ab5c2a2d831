/// Scores one model. Binary scores are sorted once for the whole dataset
/// (`BinaryRanking`); each pass then reads that order sequentially, so no
/// slice is ever sorted and no metric sorts again.
package struct Scorer: Sendable {
    /// Which model is scored: the paired metrics (flip_rate, score_psi)
    /// have a value for the candidate only.
    package enum Role: Sendable {
        case candidate, champion
    }

    package var metrics: [MetricDefinition]
    private var labels: EvaluationData.Labels
    private var weights: [Double]?
    private var predictions: EvaluationData.Predictions
    /// The champion's predictions, on the candidate's scorer, for the paired metrics.
    private var partner: EvaluationData.Predictions?
    private var role: Role
    private var threshold: Double
    /// The sorted scores of a binary model (read by the figures too).
    private(set) var ranking: BinaryRanking?
    /// Per row, whether the two models predict different labels; only
    /// when a multiclass gate reads flip_rate (binary keeps it in `ranking`).
    private var flipped: [Bool]?

    package init(
        data: EvaluationData, predictions: EvaluationData.Predictions, role: Role = .candidate,
        metrics: [MetricDefinition],
        threshold: Double
    ) {
        self.metrics = metrics
        self.labels = data.labels
        self.weights = data.weights
        self.predictions = predictions
        self.role = role
        self.partner = role == .candidate ? data.champion : nil
        self.threshold = threshold
        let flips = metrics.contains { if case .paired(.flipRate) = $0.kind { true } else { false } }
        var flippedRows: [Bool]?
        switch (predictions, partner) {
        case (.scores(let a), .scores(let b)?) where flips:
            flippedRows = zip(a, b).map { ($0 >= threshold) != ($1 >= threshold) }
        case (.classes(let a, _), .classes(let b, _)?) where flips:
            flippedRows = zip(a, b).map { $0 != $1 }
        default: break
        }
        if case .binary(let y) = labels, case .scores(let scores) = predictions {
            var ranking = BinaryRanking(
                scores: scores, labels: y, weights: data.weights, needs: .init(metrics: metrics.map(\.name)))
            if let flippedRows { ranking.flipped = ranking.order.map { flippedRows[Int($0)] } }
            self.ranking = ranking
        } else {
            flipped = flippedRows
        }
    }

    /// What a slice's metrics are computed from.
    private enum SliceStats {
        case binary(BinarySliceStats)
        case multiclass(MulticlassSliceStats)
        case regression(RegressionSliceStats)
    }

    /// Statistics of a multiclass or regression slice; `weights` override
    /// the golden set's (a resample's counts times them).
    private func stats(rows: [Int32], weights: [Double]?) -> SliceStats {
        switch (labels, predictions) {
        case (.multiclass(let y, let classes), .classes(let predicted, let probabilities)):
            return .multiclass(
                MulticlassSliceStats(
                    classes: classes, rows: rows, labels: y, predicted: predicted,
                    probabilities: probabilities,
                    weights: weights, flipped: flipped))
        case (.regression(let y), .scores(let predicted)):
            return .regression(RegressionSliceStats(rows: rows, labels: y, predictions: predicted, weights: weights))
        default:
            preconditionFailure("labels and predictions follow the task; binary slices come from the ranking")
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
    package func score(_ plan: SlicePlan, passes passIndices: [Int], slices: [SliceRows]) -> [[[MetricValue]]] {
        let members = passIndices.map { plan.passes[$0].slices.map { slices[$0] } }
        if let ranking {
            let stats = ranking.accumulate(
                codes: passIndices.map { plan.codes[$0] },
                sliceCounts: members.map(\.count), threshold: threshold)
            return zip(members, stats).map { group, groupStats in
                zip(group, groupStats).map { slice, s in evaluate(.binary(s), rows: slice.rows, resampled: false) }
            }
        }
        return members.map { group in
            group.map { slice in evaluate(stats(rows: slice.rows, weights: weights), rows: slice.rows, resampled: false)
            }
        }
    }

    // MARK: - Bootstrap resamples

    /// What one model's resamples read again and again: for binary scores,
    /// each position's slices in rank order (`BinaryRanking.resample`).
    package struct ResampleLayout: Sendable {
        var visit: BinaryRanking.ResampleOrder?
        var sliceCounts: [Int]
    }

    package func resampleLayout(_ plan: SlicePlan) -> ResampleLayout {
        let sliceCounts = plan.passes.map(\.slices.count)
        return ResampleLayout(
            visit: ranking?.resampleOrder(plan.codes, sliceCounts: sliceCounts), sliceCounts: sliceCounts)
    }

    /// A resample's weights for a multiclass or regression gate: each row's
    /// golden weight times its Poisson count.
    package static func resampledWeights(_ counts: [UInt8], golden: [Double]?) -> [Double] {
        golden.map { zip($0, counts).map { $0 * Double($1) } } ?? counts.map(Double.init)
    }

    /// The metric values of every slice of the plan, in pass order, on up
    /// to four resamples (`draws`): binary from the ranking, every resample
    /// in one pass; otherwise from the slices' drawn rows (a row drawn zero
    /// times is left out, so it cannot add a class) weighted by the
    /// resample's weights (`resampledWeights`).
    func scoreResamples(
        _ draws: ResampleDraws, plan: SlicePlan, slices: [SliceRows], layout: ResampleLayout, kernel: ResampleKernel,
        scratch: inout BinaryRanking.ResampleScratch
    ) -> [[[MetricValue]]] {
        precondition((1...ResampleKernel.lanes).contains(draws.lanes), "one to four resamples at a time")
        let members = plan.passes.flatMap(\.slices).map { slices[$0] }
        if let ranking {
            let stats = ranking.resample(
                draws: draws.interleaved, lanes: draws.lanes, visit: layout.visit!, sliceCounts: layout.sliceCounts,
                threshold: threshold, kernel: kernel, scratch: &scratch)
            return stats.map { laneStats in
                zip(members, laneStats).map { slice, s in evaluate(.binary(s), rows: slice.rows, resampled: true) }
            }
        }
        return zip(draws.counts, draws.weights).map { counts, weights in
            members.map { slice in
                let rows = slice.rows.filter { counts[Int($0)] > 0 }
                return evaluate(stats(rows: rows, weights: weights), rows: slice.rows, resampled: true)
            }
        }
    }

    // MARK: - Values

    private func evaluate(_ stats: SliceStats, rows: [Int32], resampled: Bool) -> [MetricValue] {
        metrics.map { metric in
            switch (metric.kind, stats) {
            case (.count, _): return .value(Double(rows.count))
            case (.paired(let paired), _):
                return pairedValue(paired, metric.name, stats, rows: rows, resampled: resampled)
            case (.binary(let f), .binary(let s)): return f(s)
            case (.multiclass(let f), .multiclass(let s)): return f(s)
            case (.regression(let f), .regression(let s)): return f(s)
            default: preconditionFailure("a gate's metrics fit its task")
            }
        }
    }

    private func pairedValue(
        _ metric: PairedMetric, _ name: String, _ stats: SliceStats, rows: [Int32], resampled: Bool
    ) -> MetricValue {
        guard role == .candidate else {
            return .undefined("\(name) compares the candidate with the champion, so only the candidate has a value")
        }
        guard let partner else {
            return .undefined(
                """
                \(name) compares the candidate's predictions with the champion's, and none were given (a \
                --baseline run records values, not predictions)
                """
            )
        }
        switch metric {
        case .flipRate:
            let (flips, total): (Double, Double)
            switch stats {
            case .binary(let s): (flips, total) = (s.flipWeight, s.total)
            case .multiclass(let s): (flips, total) = (s.flipWeight, s.total)
            case .regression: preconditionFailure("flip_rate fits binary and multiclass")
            }
            return total > 0 ? .value(flips / total) : .undefined("the weights on this slice sum to 0")
        case .scorePSI:
            guard !resampled else { return .undefined(PairedMetric.scorePSINotResampled) }
            guard case .scores(let candidate) = predictions, case .scores(let champion) = partner else {
                preconditionFailure("score_psi fits binary and regression")
            }
            return PopulationStability.scores(rows, candidate: candidate, champion: champion, weights: weights)
        }
    }
}
