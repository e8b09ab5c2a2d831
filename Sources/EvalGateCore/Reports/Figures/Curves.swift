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
        var accumulator = CurveAccumulator(capacity: scores.count)
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
