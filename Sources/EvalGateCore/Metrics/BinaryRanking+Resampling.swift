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
        /// moved before its negatives (the kernel's AUC relies on it).
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
                if passCodes.isEmpty {  // every row is in the pass's one slice
                    for k in 0..<n { slots[k * width + j] = UInt16(offset) }
                    continue
                }
                passCodes.withUnsafeBufferPointer { passCodes in
                    for k in 0..<n {
                        let code = passCodes[Int(order[Int(positions[k])])]
                        slots[k * width + j] = UInt16(code == SlicePlan.none ? spare + j : offset + Int(code))
                    }
                }
            }
        }
        return ResampleOrder(
            positions: positions, rows: positions.map { order[Int($0)] }, width: width, slots: slots)
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
        let perLane = ResampleKernel.lanes
        let slotCount = total + visit.width  // the slices, then each pass's spare
        let sums = KernelBuffer(count: slotCount * EG_FIELDS * perLane, value: 0)
        let predicted = KernelBuffer(count: total * 2 * perLane, value: 0)
        let previous = KernelBuffer(count: slotCount, value: .nan)
        let calibration = KernelBuffer(
            count: needs.probabilities ? slotCount * Calibration.sumsPerSlice * perLane : 0, value: 0)
        defer { for buffer in [sums, predicted, previous, calibration] { buffer.deallocate() } }
        let cut = predictedPositives(threshold)
        withPass(visit: visit, scratch: scratch, drawn: drawn, cut: cut, total: total) { pass in
            pass.sums = sums.base
            pass.predicted = predicted.base
            pass.previous = previous.base
            pass.calibration = needs.probabilities ? calibration.base : nil
            kernel.add(&pass)
        }
        return (0..<lanes).map { lane in
            (0..<total).map { k in
                var stats = Self.finished(
                    sums, predicted, slice: k, lane: lane, averagePrecision: needs.averagePrecision)
                if needs.probabilities {
                    Calibration.copy(slice: k, into: &stats) { calibration.base[$0 * perLane + lane] }
                }
                return stats
            }
        }
    }

    /// The kernel's sums: 64-byte aligned, so that one slice's sums fill
    /// whole cache lines.
    private struct KernelBuffer {
        let base: UnsafeMutablePointer<Double>

        init(count: Int, value: Double) {
            base = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 8, alignment: 64)
                .initializeMemory(as: Double.self, repeating: value, count: count)
        }

        func deallocate() { base.deallocate() }
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
                                        scratch.visits.withUnsafeBufferPointer { visits in
                                            scratch.counts.withUnsafeBufferPointer { counts in
                                                var pass = eg_resample_pass()
                                                pass.visits = visits.baseAddress
                                                pass.drawn = Int64(drawn)
                                                pass.counts = counts.baseAddress
                                                pass.positions = positions.baseAddress
                                                pass.slots = slots.baseAddress
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

    /// One lane of one slice's sums as the metrics read them.
    private static func finished(
        _ sums: KernelBuffer, _ predicted: KernelBuffer, slice k: Int, lane: Int, averagePrecision: Bool
    ) -> BinarySliceStats {
        let lanes = ResampleKernel.lanes
        func sum(_ field: Int) -> Double { sums.base[(k * EG_FIELDS + field) * lanes + lane] }
        let positives = sum(EG_POSITIVES)
        let negatives = sum(EG_NEGATIVES)
        var stats = BinarySliceStats()
        stats.aucNumerator = sum(EG_TWICE_AUC) / 2
        // Every group, the last one too, was closed in the kernel.
        if averagePrecision { stats.apNumerator = sum(EG_AVERAGE_PRECISION) }
        stats.tp = predicted.base[(k * 2 + EG_TRUE_POSITIVES) * lanes + lane]
        stats.fn = positives - stats.tp
        stats.fp = predicted.base[(k * 2 + EG_FALSE_POSITIVES) * lanes + lane]
        stats.tn = negatives - stats.fp
        stats.flipWeight = sum(EG_FLIP)
        stats.logLossSum = sum(EG_LOG_LOSS)
        stats.brierSum = sum(EG_BRIER)
        return stats
    }

    /// Keeps the visits of the rows drawn at least once, with their counts
    /// in the four resamples (one 32-bit word a row), in one branch-free
    /// pass; returns how many.
    private static func keepDrawn(_ draws: [UInt8], visit: ResampleOrder, scratch: inout ResampleScratch) -> Int {
        var drawn = 0
        scratch.visits.withUnsafeMutableBufferPointer { visits in
            scratch.counts.withUnsafeMutableBytes { counts in
                visit.rows.withUnsafeBufferPointer { rows in
                    draws.withUnsafeBytes { draws in
                        let lanes = ResampleKernel.lanes
                        precondition(MemoryLayout<UInt32>.size == lanes, "a row's counts are one word")
                        for k in 0..<rows.count {
                            let quad = draws.loadUnaligned(fromByteOffset: Int(rows[k]) * lanes, as: UInt32.self)
                            visits[drawn] = Int32(truncatingIfNeeded: k)
                            counts.storeBytes(of: quad, toByteOffset: drawn * lanes, as: UInt32.self)
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
