/// A point of a drawn curve, in the curve's own units (e.g. FPR, TPR).
package struct CurvePoint: Sendable, Equatable {
    package var x: Double
    package var y: Double

    package init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// One model's curves on one slice (binary): what report.html draws.
package struct BinaryCurves: Sendable, Equatable {
    /// (FPR, TPR) as scikit-learn's `roc_curve` (drop_intermediate=True),
    /// then `Curves.downsampled`; nil when the slice lacks a class.
    package var roc: [CurvePoint]?
    /// (recall, precision) as `precision_recall_curve`, in its order
    /// (recall decreasing, ending at (0, 1)), then downsampled; nil
    /// without positives.
    package var pr: [CurvePoint]?
    /// The points before downsampling.
    package var rocPoints: Int
    package var prPoints: Int
    /// The ECE bins [i/10, (i+1)/10), the last one closed.
    package var reliability: [ReliabilityBin]
    /// Weighted share of positives (the precision of a random ranking).
    package var prevalence: Double?
}

/// One calibration bin: the rows whose score falls in [lower, upper).
package struct ReliabilityBin: Sendable, Equatable {
    package var lower: Double
    package var upper: Double
    package var rows: Int
    package var weight: Double
    /// Weighted mean score and weighted share of positives; nil when empty.
    package var meanScore: Double?
    package var observedRate: Double?
}

/// A weighted confusion matrix: `counts[actual][predicted]`.
package struct ConfusionMatrix: Sendable, Equatable {
    package var classes: [String]
    package var counts: [[Double]]
}

/// Predicted against actual values on a grid, and the residuals
/// (predicted − actual) as a histogram (regression).
package struct RegressionFigure: Sendable, Equatable {
    /// The common range of both axes: every actual and predicted value of
    /// the slice, both models, so the models' grids compare cell by cell.
    package var range: ClosedRange<Double>
    /// `grid[actualBin][predictedBin]`, weighted rows; `gridBins` a side.
    package var grid: [[Double]]
    /// Symmetric around 0, shared by both models.
    package var residualRange: ClosedRange<Double>
    package var residuals: [Double]

    package static let gridBins = 24
    package static let residualBins = 30
}

/// What report.html draws for one model on one slice.
package enum ModelFigure: Sendable, Equatable {
    case binary(BinaryCurves)
    case multiclass(ConfusionMatrix)
    case regression(RegressionFigure)
}

/// The curves of the overall slice and of every failing slice.
package struct SliceFigures: Sendable, Equatable {
    package var slice: String
    package var rows: Int
    /// Candidate first, then the champion when there is one.
    package var models: [ModelFigure]

    /// Failing slices drawn beyond overall; the rest are counted in the
    /// report (a gate failing on hundreds of slices would make the page
    /// too large to open, and the slice overview still shows them all).
    package static let failingLimit = 40
}

/// Curve points from scores sorted in descending order, as scikit-learn
/// computes them, and the rule that keeps a drawn curve small.
package enum Curves {
    /// Curves are drawn with at most this many points per model and slice.
    package static let maxPoints = 500

    /// At most `limit` points: all of them when there are that few, else
    /// the points at indices ⌊i·(n − 1)/(limit − 1)⌋ for i = 0 … limit − 1,
    /// which keeps the first and the last point exactly.
    package static func downsampled(_ points: [CurvePoint], limit: Int = maxPoints) -> [CurvePoint] {
        let n = points.count
        guard n > limit, limit >= 2 else { return points }
        return (0..<limit).map { points[$0 * (n - 1) / (limit - 1)] }
    }

    /// ROC, precision-recall and reliability of rows given in descending
    /// score order (ties in any order). Zero-weight rows are left out of
    /// the curves, as scikit-learn does; they still count in a bin's rows.
    package static func binary(scores: [Double], positive: [Bool], weights: [Double]) -> BinaryCurves {
        // Cumulative weighted positives and negatives at the end of each
        // group of equal scores (scikit-learn's thresholds).
        var tps: [Double] = []
        var fps: [Double] = []
        var tp = 0.0, fp = 0.0
        var previous: Double?
        for i in scores.indices where weights[i] != 0 {
            if let previous, previous != scores[i] {
                tps.append(tp)
                fps.append(fp)
            }
            if positive[i] { tp += weights[i] } else { fp += weights[i] }
            previous = scores[i]
        }
        if previous != nil {
            tps.append(tp)
            fps.append(fp)
        }
        let rocCurve = roc(tps: tps, fps: fps)
        let prCurve = precisionRecall(tps: tps, fps: fps)
        return BinaryCurves(
            roc: rocCurve.map { downsampled($0) }, pr: prCurve.map { downsampled($0) },
            rocPoints: rocCurve?.count ?? 0, prPoints: prCurve?.count ?? 0,
            reliability: reliability(scores: scores, positive: positive, weights: weights),
            prevalence: tp + fp > 0 ? tp / (tp + fp) : nil)
    }

    /// `roc_curve(drop_intermediate=True)`: a point is dropped when both
    /// cumulative counts are collinear with its neighbours (zero second
    /// difference); (0, 0) is put first. nil without both classes.
    static func roc(tps allTPs: [Double], fps allFPs: [Double]) -> [CurvePoint]? {
        guard let p = allTPs.last, let n = allFPs.last, p > 0, n > 0 else { return nil }
        var tps = allTPs, fps = allFPs
        if tps.count > 2 {
            var keep = [0]
            for i in 1..<(tps.count - 1) {
                let corner = fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0
                if corner { keep.append(i) }
            }
            keep.append(tps.count - 1)
            tps = keep.map { tps[$0] }
            fps = keep.map { fps[$0] }
        }
        return [CurvePoint(0, 0)] + zip(fps, tps).map { CurvePoint($0 / n, $1 / p) }
    }

    /// `precision_recall_curve`: precision and recall at each threshold,
    /// reversed so that recall decreases, then (recall 0, precision 1).
    /// nil without positives (scikit-learn then sets recall to 1 and warns).
    static func precisionRecall(tps: [Double], fps: [Double]) -> [CurvePoint]? {
        guard let p = tps.last, p > 0 else { return nil }
        var points = zip(tps, fps).reversed().map { tp, fp in
            CurvePoint(tp / p, tp + fp != 0 ? tp / (tp + fp) : 0)
        }
        points.append(CurvePoint(0, 1))
        return points
    }

    /// The ten ECE bins, weighted as the `ece` metric reads them.
    static func reliability(scores: [Double], positive: [Bool], weights: [Double]) -> [ReliabilityBin] {
        var rows = [Int](repeating: 0, count: 10)
        var weight = [Double](repeating: 0, count: 10)
        var label = [Double](repeating: 0, count: 10)
        var score = [Double](repeating: 0, count: 10)
        for i in scores.indices {
            let bin = BinarySliceStats.calibrationBin(scores[i])
            rows[bin] += 1
            weight[bin] += weights[i]
            if positive[i] { label[bin] += weights[i] }
            score[bin] += weights[i] * scores[i]
        }
        return (0..<10).map { b in
            ReliabilityBin(
                lower: Double(b) / 10, upper: Double(b + 1) / 10, rows: rows[b], weight: weight[b],
                meanScore: weight[b] > 0 ? score[b] / weight[b] : nil,
                observedRate: weight[b] > 0 ? label[b] / weight[b] : nil)
        }
    }

    /// Weighted counts of (actual, predicted) class pairs over `rows`.
    static func confusion(
        rows: [Int32], labels: [Int32], predicted: [Int32], classes: [String], weights: [Double]?
    ) -> ConfusionMatrix {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: classes.count)
        for row in rows.map(Int.init) {
            counts[Int(labels[row])][Int(predicted[row])] += weights?[row] ?? 1
        }
        return ConfusionMatrix(classes: classes, counts: counts)
    }

    /// Each model's grid and residual histogram over `rows`, on ranges
    /// shared by all of them.
    static func regression(rows: [Int32], actual: [Double], models: [[Double]], weights: [Double]?) -> [RegressionFigure] {
        var lo = Double.infinity, hi = -Double.infinity, spread = 0.0
        for row in rows.map(Int.init) {
            lo = min(lo, actual[row])
            hi = max(hi, actual[row])
            for predicted in models {
                lo = min(lo, predicted[row])
                hi = max(hi, predicted[row])
                spread = max(spread, abs(predicted[row] - actual[row]))
            }
        }
        if !(lo <= hi) { lo = 0; hi = 1 }
        if lo == hi { lo -= 0.5; hi += 0.5 }
        if spread == 0 { spread = 1 }
        func bin(_ value: Double, _ lower: Double, _ upper: Double, _ count: Int) -> Int {
            min(count - 1, max(0, Int((value - lower) / (upper - lower) * Double(count))))
        }
        let side = RegressionFigure.gridBins, residualBins = RegressionFigure.residualBins
        return models.map { predicted in
            var grid = [[Double]](repeating: [Double](repeating: 0, count: side), count: side)
            var residuals = [Double](repeating: 0, count: residualBins)
            for row in rows.map(Int.init) {
                let w = weights?[row] ?? 1
                grid[bin(actual[row], lo, hi, side)][bin(predicted[row], lo, hi, side)] += w
                residuals[bin(predicted[row] - actual[row], -spread, spread, residualBins)] += w
            }
            return RegressionFigure(range: lo...hi, grid: grid, residualRange: -spread...spread, residuals: residuals)
        }
    }
}

extension SliceFigures {
    /// The figures of each of `slices` for every model scored. Binary
    /// curves read each model's ranking (sorted once for scoring): the
    /// whole slice in rank order, or a smaller slice's rows put in rank
    /// order by sorting their positions. One task per slice and model
    /// (per slice for regression, whose models share their ranges).
    static func draw(_ slices: [Slice], data: EvaluationData, scorers: [Scorer], jobs: Int) -> [SliceFigures] {
        let models = [data.candidate] + (data.champion.map { [$0] } ?? [])
        let perSlice: [[ModelFigure]]
        switch data.labels {
        case .binary:
            let positions = parallelMap(scorers, jobs: jobs) { $0.rankPositions(ifAnyOf: slices, rowCount: data.rowCount) }
            let work = slices.indices.flatMap { s in scorers.indices.map { (s, $0) } }
            let drawn = parallelMap(work, jobs: jobs) { (s, m) in
                scorers[m].binaryCurves(rows: slices[s].rows, positions: positions[m]).map(ModelFigure.binary)
            }
            perSlice = slices.indices.map { s in scorers.indices.compactMap { drawn[s * scorers.count + $0] } }
        case .multiclass(let y, let classes):
            let work = slices.indices.flatMap { s in models.indices.map { (s, $0) } }
            let drawn = parallelMap(work, jobs: jobs) { (s, m) -> ModelFigure? in
                guard case .classes(let predicted, _) = models[m] else { return nil }
                return .multiclass(Curves.confusion(
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
