import Testing

@testable import EvalGateCore

/// report.html's curves against scikit-learn. Expected values come from
/// `python3 scripts/expected/expected_curves.py` (scikit-learn 1.9.1: roc_curve with
/// its default drop_intermediate=True, precision_recall_curve, then the
/// same downsampling rule), written here as literals.
struct CurveTests {
    static let scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.1, 0.05]
    static let labels: [UInt8] = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    static let weights = [1, 2, 1, 0.5, 1, 1, 3, 0, 1, 2, 1, 1, 1, 0.5]

    /// Rows in descending score order, ties in row order, as the ranking keeps them.
    static func curves(_ scores: [Double], _ labels: [UInt8], _ weights: [Double]) -> BinaryCurves {
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return Curves.binary(
            scores: order.map { scores[$0] }, positive: order.map { labels[$0] == 1 },
            weights: order.map { weights[$0] })
    }

    static func expectPoints(
        _ actual: [CurvePoint]?, _ expected: [(Double, Double)],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let actual else {
            Issue.record("no curve", sourceLocation: sourceLocation)
            return
        }
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a.x - e.0) <= 1e-12 && abs(a.y - e.1) <= 1e-12, "\(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func weightedCurvesWithTiesAndAZeroWeightMatchScikitLearn() {
        let c = Self.curves(Self.scores, Self.labels, Self.weights)
        Self.expectPoints(
            c.roc,
            [
                (0.0, 0.0), (0.0, 0.15384615384615385), (0.10526315789473684, 0.46153846153846156),
                (0.10526315789473684, 0.5384615384615384), (0.5263157894736842, 0.6923076923076923),
                (0.5263157894736842, 0.8461538461538461), (0.8421052631578947, 0.8461538461538461),
                (0.9473684210526315, 0.8461538461538461), (0.9473684210526315, 1.0), (1.0, 1.0),
            ])
        Self.expectPoints(
            c.pr,
            [
                (1.0, 0.40625), (1.0, 0.41935483870967744), (0.8461538461538461, 0.3793103448275862),
                (0.8461538461538461, 0.4074074074074074), (0.8461538461538461, 0.5238095238095238),
                (0.6923076923076923, 0.47368421052631576), (0.5384615384615384, 0.7777777777777778),
                (0.46153846153846156, 0.75),
                (0.15384615384615385, 1.0), (0.0, 1.0),
            ])
        #expect(c.rocPoints == 10 && c.prPoints == 10)
    }

    @Test func unweightedCurvesDropCollinearROCPointsAsScikitLearn() {
        let c = Self.curves(Self.scores, Self.labels, [Double](repeating: 1, count: Self.scores.count))
        Self.expectPoints(
            c.roc,
            [
                (0.0, 0.0), (0.0, 0.16666666666666666), (0.125, 0.3333333333333333), (0.125, 0.5),
                (0.375, 0.6666666666666666), (0.5, 0.6666666666666666), (0.5, 0.8333333333333334),
                (0.75, 0.8333333333333334),
                (0.875, 0.8333333333333334), (0.875, 1.0), (1.0, 1.0),
            ])
        Self.expectPoints(
            c.pr,
            [
                (1.0, 0.42857142857142855), (1.0, 0.46153846153846156), (0.8333333333333334, 0.4166666666666667),
                (0.8333333333333334, 0.45454545454545453), (0.8333333333333334, 0.5555555555555556),
                (0.6666666666666666, 0.5),
                (0.6666666666666666, 0.5714285714285714), (0.5, 0.75), (0.3333333333333333, 0.6666666666666666),
                (0.16666666666666666, 1.0), (0.0, 1.0),
            ])
    }

    /// 6,000 weighted rows (every 50th weight 0), about two per distinct
    /// score: 1,526 ROC and 3,001 PR points, drawn as 500 each.
    @Test func largeCurvesAreDownsampledToFiveHundredPointsKeepingTheEnds() {
        let n = 6000
        let scores: [Double] = (0..<n).map { i in
            let numerator = (i * 7919) % 3001
            return Double(numerator) / 3001.0
        }
        let labels: [UInt8] = (0..<n).map { i in
            let a = (i * 7919) % 3001
            let b = (i * 104729) % 1000
            return a + b > 2600 ? 1 : 0
        }
        let weights: [Double] = (0..<n).map { i in
            let quarters = Double(i % 4) * 0.25
            return i % 50 == 0 ? 0.0 : 1.0 + quarters
        }
        let c = Self.curves(scores, labels, weights)
        #expect(c.rocPoints == 1526 && c.prPoints == 3001)
        guard let roc = c.roc, let pr = c.pr, roc.count == 500, pr.count == 500 else {
            Issue.record("expected 500 drawn points each, got \(c.roc?.count ?? 0) and \(c.pr?.count ?? 0)")
            return
        }
        let rocExpected: [Int: (Double, Double)] = [
            0: (0.0, 0.0), 1: (0.0, 0.0035960135621082912), 2: (0.0, 0.007911229836638242),
            137: (0.03401420567344598, 0.7810541456899209), 250: (0.16027705474919487, 0.9810952429877735),
            498: (0.9958088851634534, 1.0), 499: (1.0, 1.0),
        ]
        let prExpected: [Int: (Double, Double)] = [
            0: (1.0, 0.30040123456790124), 1: (1.0, 0.30092134553549343), 2: (1.0, 0.3015927119484383),
            137: (1.0, 0.4141173467216951), 250: (1.0, 0.6031480448658363), 498: (0.007911229836638242, 1.0),
            499: (0.0, 1.0),
        ]
        for (i, e) in rocExpected { #expect(abs(roc[i].x - e.0) <= 1e-12 && abs(roc[i].y - e.1) <= 1e-12, "roc[\(i)]") }
        for (i, e) in prExpected { #expect(abs(pr[i].x - e.0) <= 1e-12 && abs(pr[i].y - e.1) <= 1e-12, "pr[\(i)]") }
        #expect(abs(roc.reduce(0) { $0 + $1.x } - 150.80747341950843) < 1e-9)
        #expect(abs(roc.reduce(0) { $0 + $1.y } - 414.1435323127504) < 1e-9)
        #expect(abs(pr.reduce(0) { $0 + $1.x } - 416.5294359395871) < 1e-9)
        #expect(abs(pr.reduce(0) { $0 + $1.y } - 322.8516742306492) < 1e-9)
    }

    @Test func downsamplingKeepsShortCurvesAndBothEnds() {
        #expect(Curves.sampledIndices(500) == Array(0..<500))
        let drawn = Curves.sampledIndices(1001)
        #expect(drawn.count == 500 && drawn.first == 0 && drawn.last == 1000)
        #expect(drawn[1] == 2)  // ⌊1 · 1000 / 499⌋
    }

    /// roc_auc_score and the best precision at recall ≥ 0.5 come from every
    /// threshold, not from the drawn points (scikit-learn 1.9.1).
    @Test func areaAndPrecisionAreOfTheWholeCurve() {
        let small = Self.curves(Self.scores, Self.labels, Self.weights)
        #expect(abs(small.rocArea! - 0.7004048582995951) < 1e-12)
        #expect(abs(small.precisionFromHalfRecall! - 0.7777777777777778) < 1e-12)
        let n = 6000
        let scores: [Double] = (0..<n).map { i in Double((i * 7919) % 3001) / 3001.0 }
        let labels: [UInt8] = (0..<n).map { i in
            let a = (i * 7919) % 3001
            let b = (i * 104729) % 1000
            return a + b > 2600 ? 1 : 0
        }
        let weights: [Double] = (0..<n).map { i in
            let quarters = Double(i % 4) * 0.25
            return i % 50 == 0 ? 0.0 : 1.0 + quarters
        }
        let large = Self.curves(scores, labels, weights)
        #expect(abs(large.rocArea! - 0.9775046868248154) < 1e-12)
        #expect(abs(large.precisionFromHalfRecall! - 0.9946555819477435) < 1e-12)
    }

    @Test func aSliceWithoutOneClassHasNoROCAndNoPRWithoutPositives() {
        let c = Self.curves([0.9, 0.4, 0.2], [0, 0, 0], [1, 1, 1])
        #expect(c.roc == nil && c.pr == nil && c.prevalence == 0)
        let p = Self.curves([0.9, 0.4], [1, 1], [1, 1])
        #expect(p.roc == nil)
        #expect(p.pr != nil)
    }

    /// The ECE bins (edges i/10, the last closed), as crosscheck_metrics.py's ece.
    @Test func reliabilityBinsAreTheWeightedECEBins() {
        let bins = Self.curves(Self.scores, Self.labels, Self.weights).reliability
        let expected: [(Int, Int, Double, Double?, Double?)] = [
            (0, 1, 0.5, 0.05, 0.0), (1, 1, 1.0, 0.1, 1.0), (2, 1, 1.0, 0.2, 0.0), (3, 2, 3.0, 0.3, 0.0),
            (4, 1, 1.0, 0.4, 1.0),
            (5, 1, 0.0, nil, nil), (6, 3, 5.0, 0.6, 0.2), (7, 1, 0.5, 0.7, 1.0),
            (8, 2, 3.0, 0.8000000000000002, 0.6666666666666666),
            (9, 1, 1.0, 0.9, 1.0),
        ]
        for (b, rows, weight, mean, rate) in expected {
            #expect(bins[b].rows == rows && bins[b].weight == weight, "bin \(b)")
            #expect(bins[b].meanScore.map { abs($0 - mean!) < 1e-12 } ?? (mean == nil), "bin \(b) mean")
            #expect(bins[b].observedRate.map { abs($0 - rate!) < 1e-12 } ?? (rate == nil), "bin \(b) rate")
        }
    }

    /// sklearn.metrics.confusion_matrix(actual, predicted, sample_weight=w).
    @Test func confusionMatrixIsWeightedAsScikitLearn() {
        let matrix = Curves.confusion(
            rows: (0..<12).map { $0 }, labels: [0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0],
            predicted: [0, 2, 2, 1, 1, 0, 1, 2, 1, 0, 2, 0],
            classes: ["a", "b", "c"], weights: [1, 2, 0.5, 1, 1, 3, 1, 1, 2, 0.25, 1, 1])
        #expect(matrix.counts == [[5.0, 1.0, 0.0], [0.25, 3.0, 2.0], [0.0, 1.0, 2.5]])
    }

    @Test func regressionGridAndResidualsShareRangesAndKeepEveryRow() {
        let actual = [1.0, 2, 3, 4, 5]
        let a = [1.0, 2.5, 3, 3, 9]
        let b = [0.0, 2, 3, 4, 5]
        let figures = Curves.regression(
            rows: [0, 1, 2, 3, 4], actual: actual, models: [a, b], weights: [1, 1, 2, 1, 0.5])
        #expect(figures.count == 2)
        #expect(figures.allSatisfy { $0.range == 0...9 && $0.residualRange == -4...4 })
        for figure in figures {
            #expect(figure.grid.joined().reduce(0, +) == 5.5)
            #expect(figure.residuals.reduce(0, +) == 5.5)
        }
        // Model a: residual +4 (row 4) lands in the last bin; actual 5 / predicted 9 in
        // grid cell (⌊5/9·24⌋, 23) = (13, 23).
        #expect(figures[0].residuals[29] == 0.5)
        #expect(figures[0].grid[13][23] == 0.5)
        #expect(figures[1].residuals[15] == 4.5)  // four exact predictions (0 is bin 15 of 30) and
        #expect(figures[1].residuals[11] == 1)  // −1 in [−1.07, −0.8)
    }
}
