import CResampleKernel

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
        /// Slots per visit: the passes.
        var width: Int
        /// `width` entries per visited position: the slice's index in pass
        /// order (as `accumulate` numbers them, flattened), or, where the
        /// row is in none of pass j's slices, the spare accumulator
        /// `slices + j` that nothing reads, so that every row is added
        /// without a branch (one spare per pass, so that the passes' spares
        /// are not one chain of dependent sums).
        var slots: [UInt16]
        /// Per visit: 1 when it is the last of its tie group in visit order
        /// (so it closes its group in every slice it is in), 2 when the
        /// first; 3 for a score no other row has.
        var edges: [UInt8]
    }

    func resampleOrder(_ codes: [[UInt8]], sliceCounts: [Int]) -> ResampleOrder {
        let n = order.count
        var positions = [Int32](repeating: 0, count: n)
        var k = 0
        var groupStart = 0
        while groupStart < n {
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
        let spare = sliceCounts.reduce(0, +)
        var slots = [UInt16](repeating: 0, count: n * width)
        var offset = 0
        slots.withUnsafeMutableBufferPointer { slots in
            for (j, passCodes) in codes.enumerated() {
                defer { offset += sliceCounts[j] }
                for k in 0..<n { slots[k * width + j] = UInt16(spare + j) }
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
        let edges = (0..<n).map { k -> UInt8 in
            let i = Int(positions[k])
            let last = k == n - 1 || score[Int(positions[k + 1])] != score[i]
            let first = k == 0 || score[Int(positions[k - 1])] != score[i]
            return (last ? 1 : 0) | (first ? 2 : 0)
        }
        return ResampleOrder(
            positions: positions, rows: positions.map { order[Int($0)] }, width: width, slots: slots, edges: edges)
    }

    /// Reusable buffers of one worker: the visits of the rows drawn at
    /// least once, and their counts in each of the four resamples.
    struct ResampleScratch {
        var visits: [Int32]
        var counts: [UInt8]

        init(rowCount: Int) {
            visits = [Int32](repeating: 0, count: rowCount)
            counts = [UInt8](repeating: 0, count: rowCount * ResampleKernel.lanes)
        }
    }

    /// The slices' statistics on up to four resamples at once, each in pass
    /// order (as `accumulate`, flattened); `draws[row * 4 + r]` is the
    /// row's Poisson count in resample r (0 in the lanes past `lanes`). The
    /// rows drawn by none are dropped first, in one branch-free pass; a row
    /// drawn k times counts with weight k·w. The resamples are the lanes of
    /// every sum (`ResampleKernel`), so each slice's running sums form
    /// independent chains, and a lane's sums do not depend on the others'.
    func resample(
        draws: [UInt8], lanes: Int, visit: ResampleOrder, sliceCounts: [Int], threshold: Double,
        kernel: ResampleKernel, scratch: inout ResampleScratch
    ) -> [[BinarySliceStats]] {
        let total = sliceCounts.reduce(0, +)
        let drawn = Self.keepDrawn(draws, visit: visit, scratch: &scratch)
        let fields = EG_FIELDS
        let perLane = ResampleKernel.lanes
        let slotCount = total + visit.width  // the slices, then each pass's spare
        var sums = [Double](repeating: 0, count: slotCount * fields * perLane)
        var previous = [Double](repeating: .nan, count: slotCount)
        var calibration = [Double](
            repeating: 0, count: needs.probabilities ? slotCount * Calibration.sumsPerSlice * perLane : 0)
        let cut = predictedPositives(threshold)
        withPass(visit: visit, scratch: scratch, drawn: drawn, cut: cut, total: total) { pass in
            sums.withUnsafeMutableBufferPointer { sums in
                previous.withUnsafeMutableBufferPointer { previous in
                    calibration.withUnsafeMutableBufferPointer { calibration in
                        pass.sums = sums.baseAddress
                        pass.previous = previous.baseAddress
                        pass.calibration = needs.probabilities ? calibration.baseAddress : nil
                        kernel.add(&pass)
                    }
                }
            }
        }
        return (0..<lanes).map { lane in
            (0..<total).map { k in
                var stats = Self.finished(sums, slice: k, lane: lane, averagePrecision: needs.averagePrecision)
                if needs.probabilities {
                    Calibration.copy(slice: k, into: &stats) { calibration[$0 * perLane + lane] }
                }
                return stats
            }
        }
    }

    /// Fills a kernel pass with the ranking's and the visit's arrays, which
    /// stay pinned while `body` runs; `body` adds the output buffers.
    private func withPass(
        visit: ResampleOrder, scratch: ResampleScratch, drawn: Int, cut: Int, total: Int,
        _ body: (inout eg_resample_pass) -> Void
    ) {
        // Kept whole: one nest of pinned buffers, each level a single line.
        score.withUnsafeBufferPointer { score in
            weight.withUnsafeBufferPointer { weight in
                positive.withUnsafeBufferPointer { positive in
                    flipped.withUnsafeBufferPointer { flipped in
                        logTerm.withUnsafeBufferPointer { logTerm in
                            bin.withUnsafeBufferPointer { bin in
                                visit.positions.withUnsafeBufferPointer { positions in
                                    visit.slots.withUnsafeBufferPointer { slots in
                                        visit.edges.withUnsafeBufferPointer { edges in
                                            scratch.visits.withUnsafeBufferPointer { visits in
                                                scratch.counts.withUnsafeBufferPointer { counts in
                                                    var pass = eg_resample_pass()
                                                    pass.visits = visits.baseAddress
                                                    pass.drawn = Int64(drawn)
                                                    pass.counts = counts.baseAddress
                                                    pass.positions = positions.baseAddress
                                                    pass.slots = slots.baseAddress
                                                    pass.edges = edges.baseAddress
                                                    pass.width = Int64(visit.width)
                                                    pass.cut = Int64(cut)
                                                    pass.total = Int64(total)
                                                    pass.score = score.baseAddress
                                                    pass.weight = weight.baseAddress
                                                    pass.positive = positive.baseAddress
                                                    pass.flipped = flipped.isEmpty ? nil : flipped.baseAddress
                                                    pass.log_term = logTerm.baseAddress
                                                    pass.bin = bin.baseAddress
                                                    pass.average_precision = needs.averagePrecision
                                                    body(&pass)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One lane of one slice's sums as the metrics read them: the last
    /// tie group closed as `close_group` does, lane by lane.
    private static func finished(_ sums: [Double], slice k: Int, lane: Int, averagePrecision: Bool)
        -> BinarySliceStats
    {
        let base = k * EG_FIELDS * ResampleKernel.lanes + lane
        func sum(_ field: Int) -> Double { sums[base + field * ResampleKernel.lanes] }
        let positives = sum(EG_POSITIVES)
        let negatives = sum(EG_NEGATIVES)
        var stats = BinarySliceStats()
        stats.aucNumerator = sum(EG_TWICE_AUC) / 2
        if averagePrecision {
            let predicted = positives + negatives
            let step = positives - sum(EG_POSITIVES_BEFORE_GROUP)
            stats.apNumerator =
                sum(EG_AVERAGE_PRECISION) + step * (positives / (predicted == 0 ? 1 : predicted))
        }
        stats.tp = sum(EG_TRUE_POSITIVES)
        stats.fn = positives - stats.tp
        stats.fp = sum(EG_FALSE_POSITIVES)
        stats.tn = negatives - stats.fp
        stats.flipWeight = sum(EG_FLIP)
        stats.logLossSum = sum(EG_LOG_LOSS)
        stats.brierSum = sum(EG_BRIER)
        return stats
    }

    /// Keeps the visits of the rows drawn at least once, with their counts
    /// in the four resamples, in one branch-free pass; returns how many.
    private static func keepDrawn(_ draws: [UInt8], visit: ResampleOrder, scratch: inout ResampleScratch) -> Int {
        var drawn = 0
        scratch.visits.withUnsafeMutableBufferPointer { visits in
            scratch.counts.withUnsafeMutableBytes { counts in
                visit.rows.withUnsafeBufferPointer { rows in
                    draws.withUnsafeBytes { draws in
                        for k in 0..<rows.count {
                            let quad = draws.loadUnaligned(fromByteOffset: Int(rows[k]) * 4, as: UInt32.self)
                            visits[drawn] = Int32(truncatingIfNeeded: k)
                            counts.storeBytes(of: quad, toByteOffset: drawn * 4, as: UInt32.self)
                            drawn &+= quad == 0 ? 0 : 1
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
}
