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
    /// downsampled by `Curves.sampledIndices`; nil when the slice lacks a class.
    package var roc: [CurvePoint]?
    /// (recall, precision) as `precision_recall_curve`, in its order
    /// (recall decreasing, ending at (0, 1)), downsampled; nil without
    /// positives.
    package var pr: [CurvePoint]?
    /// The points before downsampling.
    package var rocPoints: Int
    package var prPoints: Int
    /// The area under the whole ROC curve (roc_auc_score), not the drawn one.
    package var rocArea: Double?
    /// The best precision at recall 0.5 or more, over every threshold.
    package var precisionFromHalfRecall: Double?
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
}

/// Curve points from scores sorted in descending order, as scikit-learn
/// computes them, and the rule that keeps a drawn curve small.
package enum Curves {
    /// Curves are drawn with at most this many points per model and slice.
    package static let maxPoints = 500

    /// Points per curve when `slices` slices get curves: 500 up to 40
    /// slices, then fewer (at least 50), so that a gate failing on hundreds
    /// of slices still gives a page of a few MiB that opens quickly.
    package static func pointLimit(slices: Int) -> Int {
        slices <= 40 ? maxPoints : max(50, 20_000 / slices)
    }

    /// ROC, precision-recall and reliability of rows given in descending
    /// score order (ties in any order): one `CurveAccumulator` pass.
    package static func binary(scores: [Double], positive: [Bool], weights: [Double], limit: Int = maxPoints)
        -> BinaryCurves
    {
        var accumulator = CurveAccumulator()
        for i in scores.indices { accumulator.add(scores[i], positive[i], weights[i]) }
        return accumulator.curves(limit: limit)
    }

    /// The indices of the points drawn of a curve of `count` points: all
    /// of them when there are at most `limit`, else ⌊i·(count − 1)/(limit − 1)⌋
    /// for i = 0 … limit − 1, which keeps the first and the last exactly.
    package static func sampledIndices(_ count: Int, limit: Int = maxPoints) -> [Int] {
        count <= limit ? Array(0..<count) : (0..<limit).map { $0 * (count - 1) / (limit - 1) }
    }

    /// `roc_curve(drop_intermediate=True)`: a threshold is dropped when both
    /// cumulative counts are collinear with its neighbours (zero second
    /// difference); (0, 0) is put first. Returns the drawn points, how many
    /// there are before downsampling and the area under all of them; nil
    /// without both classes.
    static func roc(tps: [Double], fps: [Double], limit: Int = maxPoints) -> (
        points: [CurvePoint], count: Int, area: Double
    )? {
        guard let p = tps.last, let n = fps.last, p > 0, n > 0 else { return nil }
        // Trapezoids over every kept point as it is kept: ties count one
        // half, as roc_auc_score.
        var kept: [Int32] = []
        kept.reserveCapacity(min(tps.count, 1 << 16))
        var area = 0.0
        var x = 0.0
        var y = 0.0
        func keep(_ i: Int) {
            kept.append(Int32(i))
            let (x2, y2) = (fps[i] / n, tps[i] / p)
            area += (x2 - x) * (y + y2) / 2
            (x, y) = (x2, y2)
        }
        keep(0)
        if tps.count > 2 {
            for i in 1..<(tps.count - 1)
            where fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0 {
                keep(i)
            }
        }
        if tps.count > 1 { keep(tps.count - 1) }
        // Point 0 is (0, 0); point k > 0 is threshold kept[k − 1].
        let count = kept.count + 1
        let points = sampledIndices(count, limit: limit).map { k in
            k == 0 ? CurvePoint(0, 0) : CurvePoint(fps[Int(kept[k - 1])] / n, tps[Int(kept[k - 1])] / p)
        }
        return (points, count, area)
    }

    /// `precision_recall_curve`: precision and recall at each threshold,
    /// reversed so that recall decreases, then (recall 0, precision 1).
    /// nil without positives (scikit-learn then sets recall to 1 and warns).
    static func precisionRecall(
        tps: [Double], fps: [Double], limit: Int = maxPoints
    ) -> (points: [CurvePoint], count: Int, fromHalfRecall: Double?)? {
        guard let p = tps.last, p > 0 else { return nil }
        func precision(_ i: Int) -> Double { tps[i] + fps[i] != 0 ? tps[i] / (tps[i] + fps[i]) : 0 }
        let count = tps.count + 1
        let points = sampledIndices(count, limit: limit).map { k in
            k < tps.count ? CurvePoint(tps[tps.count - 1 - k] / p, precision(tps.count - 1 - k)) : CurvePoint(0, 1)
        }
        // Recall only grows along the thresholds: find where it reaches 0.5.
        var first = 0
        var last = tps.count - 1
        while first < last {
            let middle = (first + last) / 2
            if tps[middle] / p >= 0.5 { last = middle } else { first = middle + 1 }
        }
        var fromHalfRecall = precision(first)
        for i in first..<tps.count { fromHalfRecall = max(fromHalfRecall, precision(i)) }
        return (points, count, fromHalfRecall)
    }

    /// Weighted counts of (actual, predicted) class pairs over `rows`.
    static func confusion(
        rows: [Int32], labels: [Int32], predicted: [Int32], classes: [String], weights: [Double]?
    ) -> ConfusionMatrix {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: classes.count)
        for row in rows {
            let r = Int(row)
            counts[Int(labels[r])][Int(predicted[r])] += weights?[r] ?? 1
        }
        return ConfusionMatrix(classes: classes, counts: counts)
    }

    /// Each model's grid and residual histogram over `rows`, on ranges
    /// shared by all of them.
    static func regression(rows: [Int32], actual: [Double], models: [[Double]], weights: [Double]?)
        -> [RegressionFigure]
    {
        var lo = Double.infinity
        var hi = -Double.infinity
        var spread = 0.0
        for row in rows.lazy.map(Int.init) {
            lo = min(lo, actual[row])
            hi = max(hi, actual[row])
            for predicted in models {
                lo = min(lo, predicted[row])
                hi = max(hi, predicted[row])
                spread = max(spread, abs(predicted[row] - actual[row]))
            }
        }
        if !(lo <= hi) {
            lo = 0
            hi = 1
        }
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        if spread == 0 { spread = 1 }
        func bin(_ value: Double, _ lower: Double, _ upper: Double, _ count: Int) -> Int {
            min(count - 1, max(0, Int((value - lower) / (upper - lower) * Double(count))))
        }
        let side = RegressionFigure.gridBins
        let residualBins = RegressionFigure.residualBins
        return models.map { predicted in
            var grid = [[Double]](repeating: [Double](repeating: 0, count: side), count: side)
            var residuals = [Double](repeating: 0, count: residualBins)
            for row in rows.lazy.map(Int.init) {
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
    /// curves read each model's ranking (sorted once for scoring), one task
    /// per model; confusion matrices one task per slice and model;
    /// regression one task per slice, whose models share their ranges.
    static func draw(_ slices: [Slice], data: EvaluationData, scorers: [Scorer], jobs: Int) -> [SliceFigures] {
        let models = [data.candidate] + (data.champion.map { [$0] } ?? [])
        let perSlice: [[ModelFigure]]
        switch data.labels {
        case .binary:
            let limit = Curves.pointLimit(slices: slices.count)
            let drawn = parallelMap(scorers, jobs: jobs) { $0.binaryCurves(slices, limit: limit) ?? [] }
            perSlice = slices.indices.map { s in
                drawn.compactMap { $0.indices.contains(s) ? ModelFigure.binary($0[s]) : nil }
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

/// Rows fed one at a time in descending score order (ties in any order)
/// become a model's curves on a slice. Zero-weight rows are left out of the
/// curves, as scikit-learn does; they still count in a bin's rows. Only the
/// cumulative weights at each threshold are kept, and only the drawn
/// points are built at the end, so a million distinct scores cost two
/// arrays of sums, not a million points per curve.
struct CurveAccumulator {
    /// Cumulative weighted positives and negatives at the end of each
    /// group of equal scores (scikit-learn's thresholds).
    private var tps: [Double] = [], fps: [Double] = []
    // Fixed-size bins kept inline: no heap array to check on every row.
    private var rows = InlineArray<10, Int>(repeating: 0)
    private var binWeight = InlineArray<10, Double>(repeating: 0)
    private var binLabel = InlineArray<10, Double>(repeating: 0)
    private var binScore = InlineArray<10, Double>(repeating: 0)
    private var tp = 0.0, fp = 0.0
    private var previous = Double.nan
    private var bin = 9

    @inline(__always)
    mutating func add(_ s: Double, _ p: Bool, _ w: Double) {
        // Scores descend, so the calibration bin only ever moves down.
        while bin > 0, s < Double(bin) / 10 { bin -= 1 }
        rows[bin] += 1
        binWeight[bin] += w
        binScore[bin] += w * s
        if p { binLabel[bin] += w }
        guard w != 0 else { return }
        if s != previous, !previous.isNaN {
            tps.append(tp)
            fps.append(fp)
        }
        if p { tp += w } else { fp += w }
        previous = s
    }

    /// The curves, each through at most `limit` of its points.
    mutating func curves(limit: Int) -> BinaryCurves {
        if !previous.isNaN {
            tps.append(tp)
            fps.append(fp)
            previous = .nan
        }
        let reliability = (0..<10).map { b in
            ReliabilityBin(
                lower: Double(b) / 10, upper: Double(b + 1) / 10, rows: rows[b], weight: binWeight[b],
                meanScore: binWeight[b] > 0 ? binScore[b] / binWeight[b] : nil,
                observedRate: binWeight[b] > 0 ? binLabel[b] / binWeight[b] : nil)
        }
        let roc = Curves.roc(tps: tps, fps: fps, limit: limit)
        let pr = Curves.precisionRecall(tps: tps, fps: fps, limit: limit)
        return BinaryCurves(
            roc: roc?.points, pr: pr?.points, rocPoints: roc?.count ?? 0, prPoints: pr?.count ?? 0,
            rocArea: roc?.area, precisionFromHalfRecall: pr?.fromHalfRecall,
            reliability: reliability, prevalence: tp + fp > 0 ? tp / (tp + fp) : nil)
    }
}
