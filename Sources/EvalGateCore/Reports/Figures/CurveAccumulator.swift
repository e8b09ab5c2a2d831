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

    /// Room for `rows` thresholds (all-distinct scores have one per row).
    init(capacity rows: Int) {
        tps.reserveCapacity(rows)
        fps.reserveCapacity(rows)
    }

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
