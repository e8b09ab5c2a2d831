/// Bootstrap resamples scored on the ranking computed once per model: a
/// resample changes the rows' weights (their Poisson counts), never the
/// order of their scores, so each resample is one sequential pass over the
/// ranking, like scoring, and nothing is sorted again.
extension BinaryRanking {
    /// The order in which a resample visits the positions, and each
    /// visited position's slice in every pass.
    struct ResampleOrder: Sendable {
        /// Rank order, with the positives of each group of tied scores
        /// moved before its negatives (`CountingAccumulator` relies on it).
        var positions: [Int32]
        /// The row at each visit (`order[positions[k]]`), for the draws.
        var rows: [Int32]
        /// Whether the scores' tie groups average 16 rows or more.
        var longGroups: Bool
        /// `width` entries per visited position: the slice's index in pass
        /// order (as `accumulate` numbers them, flattened), or the number
        /// of slices (a spare accumulator that nothing reads) where the row
        /// is in none of the pass's slices, so that every row is added
        /// without a branch.
        var slots: [UInt16]
    }

    func resampleOrder(_ codes: [[UInt8]], sliceCounts: [Int]) -> ResampleOrder {
        let n = order.count
        var positions = [Int32](repeating: 0, count: n)
        var k = 0
        var groupStart = 0
        var groups = 0
        while groupStart < n {
            groups += 1
            var groupEnd = groupStart + 1
            while groupEnd < n, score[groupEnd] == score[groupStart] { groupEnd += 1 }
            for i in groupStart..<groupEnd where positive[i] {
                positions[k] = Int32(i)
                k += 1
            }
            for i in groupStart..<groupEnd where !positive[i] {
                positions[k] = Int32(i)
                k += 1
            }
            groupStart = groupEnd
        }
        let width = codes.count
        let spare = UInt16(sliceCounts.reduce(0, +))
        var slots = [UInt16](repeating: spare, count: n * width)
        var offset = 0
        slots.withUnsafeMutableBufferPointer { slots in
            for (j, passCodes) in codes.enumerated() {
                defer { offset += sliceCounts[j] }
                if passCodes.isEmpty {  // every row is in the pass's one slice
                    for k in 0..<n { slots[k * width + j] = UInt16(offset) }
                    continue
                }
                passCodes.withUnsafeBufferPointer { passCodes in
                    for k in 0..<n {
                        let code = passCodes[Int(order[Int(positions[k])])]
                        if code != SlicePlan.none { slots[k * width + j] = UInt16(offset + Int(code)) }
                    }
                }
            }
        }
        return ResampleOrder(
            positions: positions, rows: positions.map { order[Int($0)] }, longGroups: n >= 16 * groups, slots: slots)
    }

    /// Reusable buffers of one worker: the visits of the rows drawn at
    /// least once, and their counts in each of the two resamples.
    struct ResampleScratch {
        var visits: [Int32]
        var counts: [SIMD2<UInt8>]

        init(rowCount: Int) {
            visits = [Int32](repeating: 0, count: rowCount)
            counts = [SIMD2<UInt8>](repeating: .zero, count: rowCount)
        }
    }

    /// The slices' statistics on two resamples at once, each in pass order
    /// (as `accumulate`, flattened); `first[row]` and `second[row]` are the
    /// row's Poisson counts in them. The rows drawn by neither are dropped
    /// first, in one branch-free pass; a row drawn k times counts with
    /// weight k·w. The two resamples are the two lanes of every sum, so
    /// each slice's running sums form two independent chains.
    func resample(
        _ first: [UInt8], _ second: [UInt8], visit: ResampleOrder, sliceCounts: [Int], threshold: Double,
        scratch: inout ResampleScratch
    ) -> (first: [BinarySliceStats], second: [BinarySliceStats]) {
        let total = sliceCounts.reduce(0, +)
        let drawn = Self.keepDrawn(first, second, visit: visit, scratch: &scratch)
        var accumulators = [LaneAccumulator](repeating: LaneAccumulator(), count: total + 1)
        // Calibration bins of each slice (and the spare): weight, positive weight, weight × score.
        var calibration = [SIMD2<Double>](
            repeating: .zero, count: needs.probabilities ? (total + 1) * Calibration.sumsPerSlice : 0)
        let cut = predictedPositives(threshold)
        accumulators.withUnsafeMutableBufferPointer { acc in
            calibration.withUnsafeMutableBufferPointer { ece in
                scratch.visits.withUnsafeBufferPointer { visits in
                    scratch.counts.withUnsafeBufferPointer { counts in
                        addDrawn(
                            visits, drawn: drawn, counts: counts, visit: visit, width: sliceCounts.count, cut: cut,
                            total: total, into: acc, calibration: ece)
                    }
                }
            }
        }
        func finished(_ lane: Int) -> [BinarySliceStats] {
            (0..<total).map { k in
                var stats = accumulators[k].finished(lane: lane, averagePrecision: needs.averagePrecision)
                if needs.probabilities { Calibration.copy(slice: k, into: &stats) { calibration[$0][lane] } }
                return stats
            }
        }
        return (finished(0), finished(1))
    }

    /// Keeps the visits of the rows drawn at least once, with their counts
    /// in both resamples, in one branch-free pass; returns how many.
    private static func keepDrawn(
        _ first: [UInt8], _ second: [UInt8], visit: ResampleOrder, scratch: inout ResampleScratch
    ) -> Int {
        var drawn = 0
        scratch.visits.withUnsafeMutableBufferPointer { visits in
            scratch.counts.withUnsafeMutableBufferPointer { counts in
                visit.rows.withUnsafeBufferPointer { rows in
                    first.withUnsafeBufferPointer { first in
                        second.withUnsafeBufferPointer { second in
                            for k in 0..<rows.count {
                                let row = Int(rows[k])
                                let pair = SIMD2(first[row], second[row])
                                visits[drawn] = Int32(truncatingIfNeeded: k)
                                counts[drawn] = pair
                                drawn &+= pair == .zero ? 0 : 1
                            }
                        }
                    }
                }
            }
        }
        return drawn
    }

    /// The rows predicted positive are the ranking's first positions, up
    /// to the first score below the threshold (found by bisection), so TP
    /// and FP are the positive and negative weight seen there, read once
    /// per slice instead of summed per row.
    private func predictedPositives(_ threshold: Double) -> Int {
        var cut = 0
        var upper = score.count
        while cut < upper {
            let middle = (cut + upper) / 2
            if score[middle] >= threshold { cut = middle + 1 } else { upper = middle }
        }
        return cut
    }

    /// Adds every drawn row, in rank order, to each of its slices' sums:
    /// first the predicted positives, then the threshold is marked, then
    /// the rest.
    private func addDrawn(
        _ visits: UnsafeBufferPointer<Int32>, drawn: Int, counts: UnsafeBufferPointer<SIMD2<UInt8>>,
        visit: ResampleOrder, width: Int, cut: Int, total: Int, into acc: UnsafeMutableBufferPointer<LaneAccumulator>,
        calibration ece: UnsafeMutableBufferPointer<SIMD2<Double>>
    ) {
        visit.positions.withUnsafeBufferPointer { positions in
            visit.slots.withUnsafeBufferPointer { slots in
                // Read once here, not per row.
                let flags = RowFlags(
                    probabilities: needs.probabilities, averagePrecision: needs.averagePrecision,
                    flips: !flipped.isEmpty, longGroups: visit.longGroups)
                var d = 0
                for phase in 0..<2 {
                    while d < drawn, phase == 1 || Int(positions[Int(visits[d])]) < cut {
                        let k = Int(visits[d])
                        addRow(
                            Int(positions[k]), count: counts[d], slots: slots.baseAddress! + k * width, width: width,
                            flags: flags, into: acc, calibration: ece)
                        d += 1
                    }
                    if phase == 0 {
                        for k in 0..<total { acc[k].markThreshold() }
                    }
                }
            }
        }
    }

    /// What every row of a resample's pass shares.
    private struct RowFlags {
        var probabilities: Bool
        var averagePrecision: Bool
        var flips: Bool
        var longGroups: Bool
    }

    /// One drawn row (ranking position `i`, drawn `count` times in each
    /// resample) added to each of its slices.
    @inline(__always)
    private func addRow(
        _ i: Int, count: SIMD2<UInt8>, slots rowSlots: UnsafePointer<UInt16>, width: Int, flags: RowFlags,
        into acc: UnsafeMutableBufferPointer<LaneAccumulator>,
        calibration ece: UnsafeMutableBufferPointer<SIMD2<Double>>
    ) {
        let w = weight[i] * SIMD2<Double>(Double(count.x), Double(count.y))
        let pw = positive[i] ? w : .zero
        let nw = w - pw
        let s = score[i]
        let flip = flags.flips && flipped[i] ? w : .zero
        let averagePrecision = flags.averagePrecision
        let longGroups = flags.longGroups
        guard flags.probabilities else {
            for j in 0..<width {
                acc[Int(rowSlots[j])].add(
                    score: s, positiveWeight: pw, negativeWeight: nw, flip: flip, averagePrecision: averagePrecision,
                    longGroups: longGroups)
            }
            return
        }
        let y: Double = positive[i] ? 1 : 0
        let logLoss = w * logTerm[i]
        let brier = w * ((s - y) * (s - y))
        let weightedScore = w * s
        let binOffset = Int(bin[i]) * Calibration.sumsPerBin
        for j in 0..<width {
            let slot = Int(rowSlots[j])
            acc[slot].add(
                score: s, positiveWeight: pw, negativeWeight: nw, flip: flip, averagePrecision: averagePrecision,
                longGroups: longGroups)
            acc[slot].logLossSum += logLoss
            acc[slot].brierSum += brier
            let cell = slot * Calibration.sumsPerSlice + binOffset
            ece[cell] += w
            ece[cell + 1] += pw
            ece[cell + 2] += weightedScore
        }
    }

    /// The running sums of one slice on two resamples (the two lanes), for
    /// rows visited in rank order with each tie group's positives first:
    /// a negative then sees the positives above its group (noted when the
    /// group starts) and those through its group (all added already), and
    /// counts the mean of the two, which is the ties-count-one-half rule;
    /// when a group starts, the previous one is complete, and adds its
    /// recall step times its precision to the average precision.
    struct LaneAccumulator {
        var previousScore = Double.nan
        var positivesBeforeGroup = SIMD2<Double>.zero
        var positives = SIMD2<Double>.zero
        var negatives = SIMD2<Double>.zero
        /// Σ negative weight × (positives before its group + through it).
        var twiceAUC = SIMD2<Double>.zero
        var averagePrecisionSum = SIMD2<Double>.zero
        var flipWeight = SIMD2<Double>.zero
        var logLossSum = SIMD2<Double>.zero, brierSum = SIMD2<Double>.zero
        var truePositives = SIMD2<Double>.zero, falsePositives = SIMD2<Double>.zero

        /// A group start is applied by arithmetic (times 1 or 0, exact)
        /// when groups are short, where a branch would be unpredictable,
        /// and by a branch when they are long (scores with few distinct
        /// values), where it is mostly not taken and saves the work.
        @inline(__always)
        mutating func add(
            score: Double, positiveWeight pw: SIMD2<Double>, negativeWeight nw: SIMD2<Double>, flip: SIMD2<Double>,
            averagePrecision: Bool, longGroups: Bool
        ) {
            if longGroups {
                // Groups span many rows: a branch that is mostly not taken.
                if score != previousScore {
                    if averagePrecision { averagePrecisionSum += closedGroupTerm() }
                    positivesBeforeGroup = positives
                }
            } else {
                let start: Double = score != previousScore ? 1 : 0
                // A division per closed group: taken only when a group closes.
                if averagePrecision, start == 1 { averagePrecisionSum += closedGroupTerm() }
                positivesBeforeGroup = start * positives + (1 - start) * positivesBeforeGroup
            }
            previousScore = score
            positives += pw
            negatives += nw
            twiceAUC += nw * (positivesBeforeGroup + positives)
            flipWeight += flip
        }

        /// The last group's recall step (unnormalised) times the precision
        /// through it; 0 before any weight.
        @inline(__always)
        func closedGroupTerm() -> SIMD2<Double> {
            let predicted = positives + negatives
            let precision = positives / predicted.replacing(with: 1, where: predicted .== 0)
            return (positives - positivesBeforeGroup) * precision
        }

        /// Every row so far is predicted positive, every row after negative.
        mutating func markThreshold() {
            truePositives = positives
            falsePositives = negatives
        }

        func finished(lane: Int, averagePrecision: Bool) -> BinarySliceStats {
            var stats = BinarySliceStats()
            stats.aucNumerator = twiceAUC[lane] / 2
            stats.apNumerator = averagePrecision ? (averagePrecisionSum + closedGroupTerm())[lane] : 0
            stats.tp = truePositives[lane]
            stats.fn = positives[lane] - truePositives[lane]
            stats.fp = falsePositives[lane]
            stats.tn = negatives[lane] - falsePositives[lane]
            stats.flipWeight = flipWeight[lane]
            stats.logLossSum = logLossSum[lane]
            stats.brierSum = brierSum[lane]
            return stats
        }
    }
}
