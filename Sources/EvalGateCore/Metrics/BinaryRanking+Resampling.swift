/// Bootstrap resamples scored on the ranking computed once per model: a
/// resample changes the rows' weights (their Poisson counts), never the
/// order of their scores, so each resample is one sequential pass over the
/// ranking, like scoring, and nothing is sorted again.
extension BinaryRanking {
    /// Each position's slice in every pass, in rank order, `codes.count`
    /// entries per position: the slice's index in pass order (as
    /// `accumulate` numbers them, flattened), or the number of slices (a
    /// spare accumulator that nothing reads) where the row is in none of the
    /// pass's slices, so that a resample adds every row without a branch.
    func slotsInRankOrder(_ codes: [[UInt8]], sliceCounts: [Int]) -> [UInt16] {
        let width = codes.count
        let spare = UInt16(sliceCounts.reduce(0, +))
        var laidOut = [UInt16](repeating: spare, count: order.count * width)
        var offset = 0
        laidOut.withUnsafeMutableBufferPointer { laidOut in
            for (j, passCodes) in codes.enumerated() {
                defer { offset += sliceCounts[j] }
                if passCodes.isEmpty {  // every row is in the pass's one slice
                    for i in 0..<order.count { laidOut[i * width + j] = UInt16(offset) }
                    continue
                }
                passCodes.withUnsafeBufferPointer { passCodes in
                    for (i, row) in order.enumerated() {
                        let code = passCodes[Int(row)]
                        if code != SlicePlan.none { laidOut[i * width + j] = UInt16(offset + Int(code)) }
                    }
                }
            }
        }
        return laidOut
    }

    /// Reusable buffers of one worker: the positions drawn at least once
    /// and their counts.
    struct ResampleScratch {
        var positions: [Int32]
        var counts: [UInt8]

        init(rowCount: Int) {
            positions = [Int32](repeating: 0, count: rowCount)
            counts = [UInt8](repeating: 0, count: rowCount)
        }
    }

    /// The slices' statistics on one resample, in pass order (as
    /// `accumulate`, flattened). Rows drawn zero times are dropped first
    /// (about 37% of them), in one branch-free pass; a row drawn k times
    /// counts with weight k·w.
    func resample(
        _ draws: PoissonDraws, slots: [UInt16], sliceCounts: [Int], threshold: Double, scratch: inout ResampleScratch
    ) -> [BinarySliceStats] {
        var offsets = [0]
        for count in sliceCounts { offsets.append(offsets.last! + count) }
        let total = offsets.last!
        let width = sliceCounts.count
        let n = order.count
        var drawn = 0
        scratch.positions.withUnsafeMutableBufferPointer { positions in
            scratch.counts.withUnsafeMutableBufferPointer { counts in
                order.withUnsafeBufferPointer { order in
                    for i in 0..<n {
                        let k = draws.count(row: Int(order[i]))
                        positions[drawn] = Int32(truncatingIfNeeded: i)
                        counts[drawn] = k
                        drawn &+= k == 0 ? 0 : 1
                    }
                }
            }
        }
        if needs.probabilities || needs.averagePrecision {
            return resampleAllSums(drawn: drawn, scratch: scratch, slots: slots, width: width, total: total, threshold: threshold)
        }
        // Only the confusion counts and the AUC: the rows predicted positive
        // are the ranking's first `cut` positions, so TP and FP are the
        // positive and negative weight seen when the scores fall below
        // the threshold, read once per slice instead of summed per row.
        var cut = 0, upper = score.count  // the first position scored below the threshold
        while cut < upper {
            let middle = (cut + upper) / 2
            if score[middle] >= threshold { cut = middle + 1 } else { upper = middle }
        }
        var accumulators = [CountingAccumulator](repeating: CountingAccumulator(), count: total + 1)
        let flips = !flipped.isEmpty
        accumulators.withUnsafeMutableBufferPointer { acc in
            scratch.positions.withUnsafeBufferPointer { positions in
                scratch.counts.withUnsafeBufferPointer { counts in
                    slots.withUnsafeBufferPointer { slots in
                            var d = 0
                            for phase in 0..<2 {
                                while d < drawn, phase == 1 || Int(positions[d]) < cut {
                                    let i = Int(positions[d])
                                    let w = weight[i] * Double(counts[d])
                                    let pw: Double = positive[i] ? w : 0, nw = w - pw
                                    let s = score[i]
                                    let flip: Double = flips && flipped[i] ? w : 0
                                    let rowSlots = slots.baseAddress! + i * width
                                    for j in 0..<width {
                                        acc[Int(rowSlots[j])].add(score: s, positiveWeight: pw, negativeWeight: nw, flip: flip)
                                    }
                                    d += 1
                                }
                                if phase == 0 {
                                    for k in 0..<total { acc[k].markThreshold() }
                                }
                            }
                    }
                }
            }
        }
        return accumulators.prefix(total).map { $0.finished() }
    }

    /// A resample of a gate that reads calibration or average precision:
    /// every sum, row by row, as `accumulate` does.
    private func resampleAllSums(
        drawn: Int, scratch: ResampleScratch, slots: [UInt16], width: Int, total: Int, threshold: Double
    ) -> [BinarySliceStats] {
        // One spare accumulator (and calibration cells) past the slices.
        var accumulators = [Accumulator](repeating: Accumulator(averagePrecision: needs.averagePrecision), count: total + 1)
        var calibration = [Double](repeating: 0, count: needs.probabilities ? (total + 1) * 30 : 0)
        let zeros = [Int](repeating: 0, count: width)
        scratch.positions.withUnsafeBufferPointer { positions in
            scratch.counts.withUnsafeBufferPointer { counts in
                accumulators.withUnsafeMutableBufferPointer { acc in
                    calibration.withUnsafeMutableBufferPointer { ece in
                        slots.withUnsafeBufferPointer { slots in
                            zeros.withUnsafeBufferPointer { zeros in
                                for d in 0..<drawn {
                                    let i = Int(positions[d])
                                    addRow(
                                        i, multiplicity: Double(counts[d]), codes: slots.baseAddress! + i * width, none: UInt16.max, width: width,
                                        offsets: zeros.baseAddress!, acc.baseAddress!, ece.baseAddress, threshold: threshold)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<total).map { finished(accumulators[$0], calibration: calibration, slice: $0) }
    }

    /// The AUC's running sums (ties count one half, as `Accumulator`) and
    /// the negative weight; the confusion counts come from the sums at the
    /// threshold.
    struct CountingAccumulator {
        var previousScore = Double.nan
        var aucNumerator = 0.0
        var positivesAbove = 0.0
        var groupPositives = 0.0, groupNegatives = 0.0
        var negatives = 0.0
        var flipWeight = 0.0
        var truePositives = 0.0, falsePositives = 0.0

        /// Closing a tie group is arithmetic (times 1 or 0, which is
        /// exact), not a branch: ties are common and unpredictable.
        @inline(__always)
        mutating func add(score: Double, positiveWeight pw: Double, negativeWeight nw: Double, flip: Double) {
            let close: Double = score != previousScore ? 1 : 0
            let keep = 1 - close
            aucNumerator += close * (groupNegatives * (positivesAbove + groupPositives / 2))
            positivesAbove += close * groupPositives
            groupPositives = groupPositives * keep + pw
            groupNegatives = groupNegatives * keep + nw
            previousScore = score
            negatives += nw
            flipWeight += flip
        }

        /// Every row so far is predicted positive, every row after negative.
        mutating func markThreshold() {
            truePositives = positivesAbove + groupPositives
            falsePositives = negatives
        }

        func finished() -> BinarySliceStats {
            var stats = BinarySliceStats()
            stats.aucNumerator = aucNumerator + groupNegatives * (positivesAbove + groupPositives / 2)
            let positives = positivesAbove + groupPositives
            stats.tp = truePositives
            stats.fn = positives - truePositives
            stats.fp = falsePositives
            stats.tn = negatives - falsePositives
            stats.flipWeight = flipWeight
            return stats
        }
    }
}
