/// Rows fed in descending score order (ties in any order), twice, become a
/// model's curves on a slice, with nothing held per threshold. Zero-weight
/// rows are left out of the curves, as scikit-learn does; they still count
/// in a bin's rows. The first scan counts the thresholds (one per distinct
/// score), the ROC points that `roc_curve(drop_intermediate=True)` keeps,
/// the totals and the calibration bins; with those known, the second scan
/// computes the area and builds only the points that are drawn. So ten
/// million distinct scores cost two scans, not two arrays of ten million
/// sums per slice, and every number is computed as a one-scan loop over
/// those arrays would compute it.
struct CurveAccumulator {
    /// Cumulative (true positive, false positive) weight through a threshold.
    private typealias Threshold = (tp: Double, fp: Double)

    private var scan = 1
    private var tp = 0.0, fp = 0.0
    private var previous = Double.nan
    /// Thresholds emitted so far in this scan, and the last two of them.
    private var thresholds = 0
    private var last: Threshold = (0, 0), beforeLast: Threshold = (0, 0)
    /// ROC thresholds kept so far in this scan.
    private var kept = 0
    // Fixed-size bins kept inline: no heap array to check on every row.
    private var rows = InlineArray<10, Int>(repeating: 0)
    private var binWeight = InlineArray<10, Double>(repeating: 0)
    private var binLabel = InlineArray<10, Double>(repeating: 0)
    private var binScore = InlineArray<10, Double>(repeating: 0)
    private var bin = 9
    /// The current bin's lower edge, `Double(bin) / 10`, kept so that a row
    /// costs a comparison, not a division.
    private var binFloor = 0.9

    // What the first scan found, for the second.
    private var totalThresholds = 0
    private var positives = 0.0, negatives = 0.0
    private var reliability: [ReliabilityBin] = []
    private var rocCount = 0, prCount = 0
    // The second scan's results.
    private var rocDrawn: [Int] = [], prDrawn: [Int] = []
    private var nextROC = 0, nextPR = 0
    private var roc: [CurvePoint] = [], prReversed: [CurvePoint] = []
    private var area = 0.0, x = 0.0, y = 0.0
    private var fromHalfRecall: Double?
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    @inline(__always)
    mutating func add(_ s: Double, _ p: Bool, _ w: Double) {
        if scan == 1 {
            // Scores descend, so the calibration bin only ever moves down.
            while bin > 0, s < binFloor {
                bin -= 1
                binFloor = Double(bin) / 10
            }
            rows[bin] += 1
            binWeight[bin] += w
            binScore[bin] += w * s
            if p { binLabel[bin] += w }
        }
        guard w != 0 else { return }
        if s != previous, !previous.isNaN { emit() }
        if p { tp += w } else { fp += w }
        previous = s
    }

    /// Ends the first scan; the rows are then fed again, in the same order.
    mutating func startSecondScan() {
        finishScan()
        totalThresholds = thresholds
        positives = tp
        negatives = fp
        reliability = (0..<10).map { b in
            ReliabilityBin(
                lower: Double(b) / 10, upper: Double(b + 1) / 10, rows: rows[b], weight: binWeight[b],
                meanScore: binWeight[b] > 0 ? binScore[b] / binWeight[b] : nil,
                observedRate: binWeight[b] > 0 ? binLabel[b] / binWeight[b] : nil)
        }
        // Point 0 of the ROC curve is (0, 0); point k > 0 is the k-th kept
        // threshold. The PR curve's point k < m is threshold m − 1 − k
        // (recall decreasing), then (recall 0, precision 1).
        rocCount = kept + 1
        prCount = thresholds + 1
        rocDrawn = Curves.sampledIndices(rocCount, limit: limit)
        prDrawn = Curves.sampledIndices(prCount, limit: limit)
        nextROC = 1  // index 0 of rocDrawn is the origin
        nextPR = prDrawn.count - 2  // the last is (0, 1); walk the rest down as thresholds go up
        roc.append(CurvePoint(0, 0))  // rocDrawn[0] is 0: the origin is always drawn
        scan = 2
        tp = 0
        fp = 0
        previous = .nan
        thresholds = 0
        kept = 0
    }

    /// The curves, each through at most `limit` of its points, after the
    /// second scan.
    mutating func curves() -> BinaryCurves {
        finishScan()
        let hasROC = positives > 0 && negatives > 0
        let hasPR = positives > 0 && totalThresholds > 0
        var pr = Array(prReversed.reversed())
        pr.append(CurvePoint(0, 1))
        return BinaryCurves(
            roc: hasROC ? roc : nil, pr: hasPR ? pr : nil, rocPoints: hasROC ? rocCount : 0,
            prPoints: hasPR ? prCount : 0, rocArea: hasROC ? area : nil,
            precisionFromHalfRecall: hasPR ? fromHalfRecall : nil, reliability: reliability,
            prevalence: positives + negatives > 0 ? positives / (positives + negatives) : nil)
    }

    /// The last threshold of the scan, and the ROC's last point.
    private mutating func finishScan() {
        guard !previous.isNaN else { return }
        emit()
        previous = .nan
        if thresholds > 1 { keep(last) }
    }

    /// The cumulative weights at the end of a group of equal scores: a
    /// threshold. The first is always kept; a middle one is kept, once its
    /// successor is known, when either cumulative count bends there (a
    /// nonzero second difference), as `roc_curve` drops collinear points.
    @inline(__always)
    private mutating func emit() {
        let current: Threshold = (tp, fp)
        if thresholds == 0 {
            keep(current)
        } else if thresholds >= 2,
            current.fp - 2 * last.fp + beforeLast.fp != 0 || current.tp - 2 * last.tp + beforeLast.tp != 0
        {
            keep(last)
        }
        if scan == 2 { precisionRecallPoint(current) }
        beforeLast = last
        last = current
        thresholds += 1
    }

    /// A kept ROC point: its trapezoid (ties count one half, as
    /// roc_auc_score) and, when drawn, the point.
    @inline(__always)
    private mutating func keep(_ t: Threshold) {
        kept += 1
        guard scan == 2, positives > 0, negatives > 0 else { return }
        let (x2, y2) = (t.fp / negatives, t.tp / positives)
        area += (x2 - x) * (y + y2) / 2
        (x, y) = (x2, y2)
        if nextROC < rocDrawn.count, rocDrawn[nextROC] == kept {
            roc.append(CurvePoint(x2, y2))
            nextROC += 1
        }
    }

    /// Threshold j's precision and recall: drawn when its point
    /// (m − 1 − j) is, and the best precision from the first threshold
    /// whose recall reaches 0.5.
    @inline(__always)
    private mutating func precisionRecallPoint(_ t: Threshold) {
        guard positives > 0 else { return }
        let precision = t.tp + t.fp != 0 ? t.tp / (t.tp + t.fp) : 0
        if let best = fromHalfRecall {
            fromHalfRecall = max(best, precision)
        } else if t.tp / positives >= 0.5 {
            fromHalfRecall = precision
        }
        if nextPR >= 0, prDrawn[nextPR] == totalThresholds - 1 - thresholds {
            prReversed.append(CurvePoint(t.tp / positives, precision))
            nextPR -= 1
        }
    }
}
