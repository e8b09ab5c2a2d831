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
            var positions = members.map { i -> [Int32] in
                var list: [Int32] = []
                list.reserveCapacity(slices[i].rows.count)
                return list
            }
            for (position, row) in ranking.order.enumerated() {
                var mask = masks[Int(row)]
                while mask != 0 {
                    positions[mask.trailingZeroBitCount].append(Int32(position))
                    mask &= mask - 1
                }
            }
            // One slice at a time, so only one slice's thresholds are held.
            for (bit, i) in members.enumerated() {
                var accumulator = CurveAccumulator()
                for position in positions[bit] {
                    let p = Int(position)
                    accumulator.add(ranking.score[p], ranking.positive[p], ranking.weight[p])
                }
                curves[i] = accumulator.curves(limit: limit)
                positions[bit] = []
            }
        }
        return curves.map { $0! }
    }
}
