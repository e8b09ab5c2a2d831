extension Scorer {
    /// ROC, precision-recall and reliability of a binary model on each
    /// slice `slices[drawn[k]]`; nil for other tasks. A slice of every row
    /// reads the ranking as it is; the others' positions in it are gathered
    /// pass by pass of the plan (one scan of the ranking per pass, reading
    /// the row's code in the pass), so no slice is sorted again and at most
    /// one pass's positions are held.
    func binaryCurves(_ drawn: [Int], slices: [SliceRows], plan: SlicePlan, limit: Int = Curves.maxPoints)
        -> [BinaryCurves]?
    {
        guard let ranking else { return nil }
        let n = ranking.order.count
        // Each drawn slice's pass and its code there.
        var place: [Int: (pass: Int, code: Int)] = [:]
        for (j, pass) in plan.passes.enumerated() {
            for (code, index) in pass.slices.enumerated() { place[index] = (j, code) }
        }
        var curves = [BinaryCurves?](repeating: nil, count: drawn.count)
        var wanted: [Int: [(drawn: Int, code: Int)]] = [:]
        for (d, index) in drawn.enumerated() {
            if slices[index].rows.count == n {
                curves[d] = Curves.binary(
                    scores: ranking.score, positive: ranking.positive, weights: ranking.weight, limit: limit)
            } else {
                let (pass, code) = place[index]!
                wanted[pass, default: []].append((d, code))
            }
        }
        for pass in wanted.keys.sorted() {
            let members = wanted[pass]!
            let positions = ranking.positions(
                of: members.map(\.code), sizes: members.map { slices[drawn[$0.drawn]].rows.count },
                codes: plan.codes[pass])
            // One slice at a time, so only one slice's thresholds are held.
            var start = 0
            for member in members {
                let end = start + slices[drawn[member.drawn]].rows.count
                var accumulator = CurveAccumulator(capacity: end - start)
                for position in positions[start..<end] {
                    let p = Int(position)
                    accumulator.add(ranking.score[p], ranking.positive[p], ranking.weight[p])
                }
                curves[member.drawn] = accumulator.curves(limit: limit)
                start = end
            }
        }
        return curves.map { $0! }
    }
}

extension BinaryRanking {
    /// The rank positions of the rows of each slice `wanted[k]` of one pass
    /// (`codes[row]`: the row's slice in the pass), ascending, one slice
    /// after the other in one flat array (`sizes[k]` positions each): one
    /// scan of the ranking, reading each row's code in rank order.
    func positions(of wanted: [Int], sizes: [Int], codes: [UInt8]) -> [Int32] {
        var bucket = [Int](repeating: -1, count: 256)
        var cursors: [Int] = []
        var offset = 0
        for (k, code) in wanted.enumerated() {
            bucket[code] = k
            cursors.append(offset)
            offset += sizes[k]
        }
        var positions = [Int32](repeating: 0, count: offset)
        positions.withUnsafeMutableBufferPointer { out in
            cursors.withUnsafeMutableBufferPointer { cursor in
                bucket.withUnsafeBufferPointer { bucket in
                    codes.withUnsafeBufferPointer { codes in
                        order.withUnsafeBufferPointer { order in
                            for position in 0..<order.count {
                                let k = bucket[Int(codes[Int(order[position])])]
                                guard k >= 0 else { continue }
                                out[cursor[k]] = Int32(position)
                                cursor[k] += 1
                            }
                        }
                    }
                }
            }
        }
        return positions
    }
}
