import Foundation

/// One model's binary predictions sorted once for the whole dataset
/// (descending score, ties in row order), with every per-row quantity the
/// metrics need laid out in that order, so that scoring a slice is a
/// sequential pass and never a sort.
struct BinaryRanking: Sendable {
    /// What the gate's metrics read beyond the confusion counts and the AUC;
    /// what no metric reads is neither computed per row nor accumulated.
    struct Needs: Sendable {
        /// log_loss, brier, ece: per-row log terms and calibration bins.
        var probabilities: Bool
        /// pr_auc: one precision per distinct score.
        var averagePrecision: Bool

        static let all = Needs(probabilities: true, averagePrecision: true)

        init(probabilities: Bool, averagePrecision: Bool) {
            self.probabilities = probabilities
            self.averagePrecision = averagePrecision
        }

        init(metrics names: [String]) {
            probabilities = names.contains { ["log_loss", "brier", "ece"].contains($0) }
            averagePrecision = names.contains("pr_auc")
        }
    }

    /// Row at each position.
    var order: [Int32]
    var score: [Double]
    var positive: [Bool]
    var weight: [Double]
    /// −log of the clipped probability given to the true class (log_loss);
    /// empty unless `needs.probabilities`.
    var logTerm: [Double]
    /// Calibration bin; empty unless `needs.probabilities`.
    var bin: [UInt8]
    /// Whether the other model predicts the other label on the row at each
    /// position (flip_rate); empty unless the candidate's gate reads it.
    var flipped: [Bool] = []
    let needs: Needs

    init(scores: [Double], labels: [UInt8], weights: [Double]?, needs: Needs = .all) {
        let (order, sorted) = Self.descendingOrder(scores)
        self.order = order
        self.needs = needs
        score = sorted
        positive = order.map { labels[Int($0)] == 1 }
        weight = weights.map { w in order.map { w[Int($0)] } } ?? [Double](repeating: 1, count: order.count)
        if needs.probabilities {
            logTerm = zip(score, positive).map { s, p in
                let clipped = min(max(s, BinarySliceStats.eps), 1 - BinarySliceStats.eps)
                return p ? -log(clipped) : -log(1 - clipped)
            }
            bin = score.map { UInt8(BinarySliceStats.calibrationBin($0)) }
        } else {
            logTerm = []
            bin = []
        }
    }

    /// Rows by descending score, equal scores in row order: a stable LSD
    /// radix sort on the IEEE bits (byte digits, 8 passes, a pass skipped
    /// when every key has the same digit). Binary scores are in [0, 1],
    /// where the bit pattern orders like the number; -0.0 is folded into
    /// 0.0. Returns the rows and the scores in that order (read back from
    /// the sorted keys, which saves a gather).
    static func descendingOrder(_ scores: [Double]) -> (order: [Int32], scores: [Double]) {
        let n = scores.count
        var keys = scores.map { ~(($0 == 0 ? 0.0 : $0).bitPattern) }
        var order = (0..<Int32(n)).map { $0 }
        var keysOut = [UInt64](repeating: 0, count: n)
        var orderOut = [Int32](repeating: 0, count: n)
        var counts = RadixSort.counts(RadixSort.byteMask)
        for pass in 0..<8 {
            let moved = keys.withUnsafeBufferPointer { keys in
                order.withUnsafeBufferPointer { order in
                    keysOut.withUnsafeMutableBufferPointer { keysOut in
                        orderOut.withUnsafeMutableBufferPointer { orderOut in
                            RadixSort.pass(
                                keys: keys, payload: order, to: keysOut, orderOut, shift: UInt64(pass * 8),
                                mask: RadixSort.byteMask,
                                counts: &counts)
                        }
                    }
                }
            }
            guard moved else { continue }  // one digit value: nothing moves
            swap(&keys, &keysOut)
            swap(&order, &orderOut)
        }
        return (order, keys.map { Double(bitPattern: ~$0) })
    }

    /// Scores several passes of disjoint slices in one sequential traversal
    /// of the ranking. `codes[j][row]` is the index of the row's slice in
    /// the j-th pass scored, or `SlicePlan.none` (an empty `codes[j]`: every
    /// row is in slice 0); `sliceCounts` are the passes' sizes.
    /// Kept whole: one pass over a million rows per model, whose running
    /// sums must stay in registers across the slice lookups.
    func accumulate(
        codes: [[UInt8]], sliceCounts: [Int], threshold: Double, visitInRowOrderAbove: Int = 1 << 22
    ) -> [[BinarySliceStats]] {
        var offsets = [0]
        for count in sliceCounts { offsets.append(offsets.last! + count) }
        let total = offsets.last!
        var accumulators = [Accumulator](repeating: Accumulator(averagePrecision: needs.averagePrecision), count: total)
        var calibration = [Double](repeating: 0, count: needs.probabilities ? total * Calibration.sumsPerSlice : 0)
        // Rows arrive in score order, so their codes are scattered in memory.
        // Gather a block of them first, one pass at a time (a byte a row, so
        // at a million rows the random reads mostly hit the cache), then
        // accumulate the block from that dense copy. Past a few million rows
        // a pass's codes outgrow the caches and each one-byte read fetches a
        // 64-byte line from memory: there a block is a million rows, visited
        // in row order (radix sorted), so that each line fetched serves the
        // block's several rows in it. The visiting order changes where codes
        // are read from, never the order in which they are accumulated.
        let width = codes.count
        let large = order.count > visitInRowOrderAbove
        let blockSize = large ? 1 << 20 : 1 << 12
        var gathered = [UInt8](repeating: SlicePlan.none, count: blockSize * width)
        var visit = [UInt64](repeating: 0, count: blockSize)
        var scratch = [UInt64](repeating: 0, count: large ? blockSize : 0)
        accumulators.withUnsafeMutableBufferPointer { acc in
            calibration.withUnsafeMutableBufferPointer { ece in
                gathered.withUnsafeMutableBufferPointer { gathered in
                    order.withUnsafeBufferPointer { order in
                        for blockStart in Swift.stride(from: 0, to: order.count, by: blockSize) {
                            let blockEnd = min(order.count, blockStart + blockSize)
                            let m = blockEnd - blockStart
                            visit.withUnsafeMutableBufferPointer { visit in
                                for k in 0..<m {
                                    visit[k] = UInt64(UInt32(bitPattern: order[blockStart + k])) << 32 | UInt64(k)
                                }
                                if large {
                                    scratch.withUnsafeMutableBufferPointer { scratch in
                                        RadixSort.sortByUpperHalf(
                                            UnsafeMutableBufferPointer(rebasing: visit[0..<m]), scratch: scratch)
                                    }
                                }
                                for (j, passCodes) in codes.enumerated() {
                                    passCodes.withUnsafeBufferPointer { passCodes in
                                        if passCodes.isEmpty {  // a pass of one slice holding every row
                                            for k in 0..<m { gathered[k * width + j] = 0 }
                                        } else {
                                            for k in 0..<m {
                                                let v = visit[k]
                                                gathered[Int(v & 0xFFFF_FFFF) * width + j] = passCodes[Int(v >> 32)]
                                            }
                                        }
                                    }
                                }
                            }
                            offsets.withUnsafeBufferPointer { offsets in
                                for i in blockStart..<blockEnd {
                                    addRow(
                                        i, codes: gathered.baseAddress! + (i - blockStart) * width, width: width,
                                        offsets: offsets.baseAddress!, acc.baseAddress!, ece.baseAddress,
                                        threshold: threshold)
                                }
                            }
                        }
                    }
                }
            }
        }
        return sliceCounts.indices.map { pass in
            (offsets[pass]..<offsets[pass + 1]).map { finished(accumulators[$0], calibration: calibration, slice: $0) }
        }
    }

    /// A slice's statistics once all its rows are in: the last tie group
    /// closed, the calibration bins (`Calibration.sumsPerSlice` sums a slice) copied in.
    func finished(_ accumulator: Accumulator, calibration: [Double], slice k: Int) -> BinarySliceStats {
        var accumulator = accumulator
        var stats = accumulator.finish()
        if needs.probabilities { Calibration.copy(slice: k, into: &stats) { calibration[$0] } }
        return stats
    }

    /// Adds the row at ranking position `i` to the
    /// slice it falls in within each pass: `codes[j]` is its code in pass j
    /// (`SlicePlan.none`: in no slice of the pass), the slice's accumulator
    /// `offsets[j] + codes[j]`.
    @inline(__always)
    func addRow(
        _ i: Int, codes: UnsafePointer<UInt8>, width: Int, offsets: UnsafePointer<Int>,
        _ acc: UnsafeMutablePointer<Accumulator>, _ ece: UnsafeMutablePointer<Double>?, threshold: Double
    ) {
        let s = score[i]
        let w = weight[i]
        let predicted: Double = s >= threshold ? 1 : 0
        let flip: Double = flipped.isEmpty ? 0 : (flipped[i] ? w : 0)
        if needs.probabilities {
            // Branch-free sums: the positive weight is w or 0, the
            // prediction 1 or 0, so each sum adds w or an exact 0.
            let y: Double = positive[i] ? 1 : 0
            let pw = w * y
            let nw = w - pw
            let l = logTerm[i]
            let brier = w * (s - y) * (s - y)
            let binOffset = Int(bin[i]) * Calibration.sumsPerBin
            for j in 0..<width {
                let code = codes[j]
                if code == SlicePlan.none { continue }
                let k = offsets[j] + Int(code)
                acc[k].add(score: s, positiveWeight: pw, negativeWeight: nw, predicted: predicted)
                acc[k].stats.logLossSum += w * l
                acc[k].stats.brierSum += brier
                acc[k].stats.flipWeight += flip
                let cell = k * Calibration.sumsPerSlice + binOffset
                ece![cell] += w
                ece![cell + 1] += pw
                ece![cell + 2] += w * s
            }
        } else {
            let pw: Double = positive[i] ? w : 0
            let nw = w - pw
            for j in 0..<width {
                let code = codes[j]
                if code == SlicePlan.none { continue }
                let k = offsets[j] + Int(code)
                acc[k].add(score: s, positiveWeight: pw, negativeWeight: nw, predicted: predicted)
                acc[k].stats.flipWeight += flip
            }
        }
    }

    /// Running sums of one slice while its rows arrive in descending score
    /// order; equal scores form one group (one ROC / precision-recall point).
    struct Accumulator {
        var stats = BinarySliceStats()
        var previousScore = Double.nan
        var groupPositives = 0.0, groupNegatives = 0.0
        var positivesAbove = 0.0
        var cumulativeTP = 0.0, cumulativeFP = 0.0
        let averagePrecision: Bool

        init(averagePrecision: Bool) { self.averagePrecision = averagePrecision }

        mutating func add(score: Double, positiveWeight pw: Double, negativeWeight nw: Double, predicted: Double) {
            if averagePrecision {
                if score != previousScore {
                    closeGroup()
                    previousScore = score
                }
                groupPositives += pw
                groupNegatives += nw
            } else {
                // The same sums as closeGroup (an empty group adds exact
                // zeros), chosen by selects instead of a branch that scores
                // in random order would mispredict.
                let close = score != previousScore
                let auc = stats.aucNumerator + groupNegatives * (positivesAbove + groupPositives / 2)
                stats.aucNumerator = close ? auc : stats.aucNumerator
                positivesAbove = close ? positivesAbove + groupPositives : positivesAbove
                groupPositives = close ? pw : groupPositives + pw
                groupNegatives = close ? nw : groupNegatives + nw
                previousScore = score
            }
            stats.tp += pw * predicted
            stats.fn += pw - pw * predicted
            stats.fp += nw * predicted
            stats.tn += nw - nw * predicted
        }

        /// Ties count one half in the AUC; each distinct threshold adds its
        /// recall step times its precision to the average precision.
        mutating func closeGroup() {
            guard groupPositives > 0 || groupNegatives > 0 else { return }
            stats.aucNumerator += groupNegatives * (positivesAbove + groupPositives / 2)
            positivesAbove += groupPositives
            if averagePrecision {
                let previousTP = cumulativeTP
                cumulativeTP += groupPositives
                cumulativeFP += groupNegatives
                let predicted = cumulativeTP + cumulativeFP
                if predicted > 0 { stats.apNumerator += (cumulativeTP - previousTP) * (cumulativeTP / predicted) }
            }
            groupPositives = 0
            groupNegatives = 0
        }

        mutating func finish() -> BinarySliceStats {
            closeGroup()
            return stats
        }
    }
}
