extension Scorer {
    /// ROC, precision-recall and reliability of a binary model on each of
    /// `slices`; nil for other tasks. A slice of every row reads the
    /// ranking as it is; the others' positions in it are gathered in one
    /// sweep, each row carrying a bit per slice (64 slices a sweep), so no
    /// slice is sorted again.
    func binaryCurves(_ slices: [SliceRows], limit: Int = Curves.maxPoints) -> [BinaryCurves]? {
        guard let ranking else { return nil }
        let n = ranking.order.count
        var curves = [BinaryCurves?](repeating: nil, count: slices.count)
        var partial: [Int] = []
        for (i, slice) in slices.enumerated() {
            if slice.rows.count == n {
                curves[i] = Curves.binary(
                    scores: ranking.score, positive: ranking.positive, weights: ranking.weight, limit: limit)
            } else {
                partial.append(i)
            }
        }
        for start in stride(from: 0, to: partial.count, by: 64) {
            let members = Array(partial[start..<min(start + 64, partial.count)])
            var masks = [UInt64](repeating: 0, count: n)
            for (bit, i) in members.enumerated() {
                for row in slices[i].rows { masks[Int(row)] |= 1 << UInt64(bit) }
            }
            // Each member's positions in one flat array (its sizes are known), written through cursors.
            var offsets = [0]
            for i in members { offsets.append(offsets.last! + slices[i].rows.count) }
            var positions = [Int32](repeating: 0, count: offsets.last!)
            var cursors = Array(offsets.dropLast())
            positions.withUnsafeMutableBufferPointer { out in
                cursors.withUnsafeMutableBufferPointer { cursor in
                    for (position, row) in ranking.order.enumerated() {
                        var mask = masks[Int(row)]
                        while mask != 0 {
                            let bit = mask.trailingZeroBitCount
                            out[cursor[bit]] = Int32(position)
                            cursor[bit] += 1
                            mask &= mask - 1
                        }
                    }
                }
            }
            // One slice at a time, so only one slice's thresholds are held.
            for (bit, i) in members.enumerated() {
                var accumulator = CurveAccumulator(capacity: offsets[bit + 1] - offsets[bit])
                for position in positions[offsets[bit]..<offsets[bit + 1]] {
                    let p = Int(position)
                    accumulator.add(ranking.score[p], ranking.positive[p], ranking.weight[p])
                }
                curves[i] = accumulator.curves(limit: limit)
            }
        }
        return curves.map { $0! }
    }
}
