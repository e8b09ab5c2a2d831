/// The curves of the overall slice and of every failing slice.
package struct SliceFigures: Sendable, Equatable {
    package var slice: String
    package var rows: Int
    /// Candidate first, then the champion when there is one.
    package var models: [ModelFigure]
}

extension SliceFigures {
    /// The figures of each of `slices` for every model scored. Binary
    /// curves read each model's ranking (sorted once for scoring), one task
    /// per model; confusion matrices one task per slice and model;
    /// regression one task per slice, whose models share their ranges.
    static func draw(
        _ drawn: [Int], of all: [SliceRows], plan: SlicePlan, data: EvaluationData, scorers: [Scorer], jobs: Int
    ) -> [SliceFigures] {
        let slices = drawn.map { all[$0] }
        let models = [data.candidate] + (data.champion.map { [$0] } ?? [])
        let perSlice: [[ModelFigure]]
        switch data.labels {
        case .binary:
            let limit = Curves.pointLimit(slices: slices.count)
            let curves = parallelMap(scorers, jobs: jobs) {
                $0.binaryCurves(drawn, slices: all, plan: plan, limit: limit) ?? []
            }
            perSlice = slices.indices.map { s in
                curves.compactMap { $0.indices.contains(s) ? ModelFigure.binary($0[s]) : nil }
            }
        case .multiclass(let y, let classes):
            let work = slices.indices.flatMap { s in models.indices.map { (s, $0) } }
            let drawn = parallelMap(work, jobs: jobs) { (s, m) -> ModelFigure? in
                guard case .classes(let predicted, _) = models[m] else { return nil }
                return .multiclass(
                    Curves.confusion(
                        rows: slices[s].rows, labels: y, predicted: predicted, classes: classes, weights: data.weights))
            }
            perSlice = slices.indices.map { s in models.indices.compactMap { drawn[s * models.count + $0] } }
        case .regression(let y):
            let predictions = models.compactMap { if case .scores(let p) = $0 { p } else { nil } }
            perSlice = parallelMap(slices, jobs: jobs) { slice in
                Curves.regression(rows: slice.rows, actual: y, models: predictions, weights: data.weights)
                    .map(ModelFigure.regression)
            }
        }
        return zip(slices, perSlice).map { SliceFigures(slice: $0.name, rows: $0.rows.count, models: $1) }
    }
}
