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
    /// score order (ties in any order): the two scans of a `CurveAccumulator`.
    package static func binary(scores: [Double], positive: [Bool], weights: [Double], limit: Int = maxPoints)
        -> BinaryCurves
    {
        var accumulator = CurveAccumulator(limit: limit)
        for i in scores.indices { accumulator.add(scores[i], positive[i], weights[i]) }
        accumulator.startSecondScan()
        for i in scores.indices { accumulator.add(scores[i], positive[i], weights[i]) }
        return accumulator.curves()
    }

    /// The indices of the points drawn of a curve of `count` points: all
    /// of them when there are at most `limit`, else ⌊i·(count − 1)/(limit − 1)⌋
    /// for i = 0 … limit − 1, which keeps the first and the last exactly.
    package static func sampledIndices(_ count: Int, limit: Int = maxPoints) -> [Int] {
        count <= limit ? Array(0..<count) : (0..<limit).map { $0 * (count - 1) / (limit - 1) }
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
