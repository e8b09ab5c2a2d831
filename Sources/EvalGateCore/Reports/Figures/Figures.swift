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
