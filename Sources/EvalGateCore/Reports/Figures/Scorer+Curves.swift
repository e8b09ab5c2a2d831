extension Scorer {
    /// ROC, precision-recall and reliability of a binary model on each
    /// slice `slices[drawn[k]]`; nil for other tasks. Every slice is drawn
    /// from the same two scans of the ranking (`CurveAccumulator`): a slice
    /// of every row takes every position, the others the positions whose
    /// row has their code in their pass of the plan. Nothing is sorted
    /// again, and nothing is held per row or per threshold.
    func binaryCurves(_ drawn: [Int], slices: [SliceRows], plan: SlicePlan, limit: Int = Curves.maxPoints)
        -> [BinaryCurves]?
    {
        guard let ranking else { return nil }
        let n = ranking.order.count
        var place: [Int: (pass: Int, code: Int)] = [:]
        for (j, pass) in plan.passes.enumerated() {
            for (code, index) in pass.slices.enumerated() { place[index] = (j, code) }
        }
        // Per pass with a drawn slice: its codes, and code -> accumulator (-1: none).
        var lookups: [(codes: [UInt8], accumulator: [Int])] = []
        var lookupOfPass: [Int: Int] = [:]
        var everyRow: [Int] = []
        for (k, index) in drawn.enumerated() {
            if slices[index].rows.count == n {
                everyRow.append(k)
                continue
            }
            let (pass, code) = place[index]!
            if lookupOfPass[pass] == nil {
                lookupOfPass[pass] = lookups.count
                lookups.append((plan.codes[pass], [Int](repeating: -1, count: 256)))
            }
            lookups[lookupOfPass[pass]!].accumulator[code] = k
        }
        var accumulators = [CurveAccumulator](repeating: CurveAccumulator(limit: limit), count: drawn.count)
        if !everyRow.isEmpty {
            let all = [UInt8](repeating: 0, count: n)
            var table = [Int](repeating: -1, count: 256)
            table[0] = everyRow[0]
            ranking.curves(
                rankedCodes: all, accumulatorOfCode: table, extra: Array(everyRow.dropFirst()), &accumulators)
        }
        for lookup in lookups {
            // The pass's codes in rank order: read at random once, then scanned twice in order.
            let ranked = ranking.order.map { lookup.codes[Int($0)] }
            ranking.curves(rankedCodes: ranked, accumulatorOfCode: lookup.accumulator, extra: [], &accumulators)
        }
        return accumulators.indices.map { accumulators[$0].curves() }
    }
}

extension BinaryRanking {
    /// Both scans of the accumulators of one pass: each position goes to
    /// the accumulator its code names (`accumulatorOfCode[code]`, -1 for
    /// none), and to those of `extra` (other slices of every row).
    func curves(
        rankedCodes: [UInt8], accumulatorOfCode: [Int], extra: [Int], _ accumulators: inout [CurveAccumulator]
    ) {
        let fed = Set(accumulatorOfCode.filter { $0 >= 0 } + extra)
        accumulators.withUnsafeMutableBufferPointer { accumulators in
            accumulatorOfCode.withUnsafeBufferPointer { accumulatorOfCode in
                rankedCodes.withUnsafeBufferPointer { codes in
                    for scan in 1...2 {
                        if scan == 2 { for k in fed { accumulators[k].startSecondScan() } }
                        for position in 0..<codes.count {
                            let (s, p, w) = (score[position], positive[position], weight[position])
                            let k = accumulatorOfCode[Int(codes[position])]
                            if k >= 0 { accumulators[k].add(s, p, w) }
                            for e in extra { accumulators[e].add(s, p, w) }
                        }
                    }
                }
            }
        }
    }
}
