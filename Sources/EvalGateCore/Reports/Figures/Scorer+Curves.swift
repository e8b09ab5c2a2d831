extension Scorer {
    /// ROC, precision-recall and reliability of a binary model on each
    /// slice `slices[drawn[k]]`; nil for other tasks. Each pass of the plan
    /// with a drawn slice is scanned twice in rank order (`CurveAccumulator`),
    /// each position going to the slice its row has in the pass. Nothing is
    /// sorted again, and nothing is held per row or per threshold.
    func binaryCurves(_ drawn: [Int], slices: [SliceRows], plan: SlicePlan, limit: Int = Curves.maxPoints)
        -> [BinaryCurves]?
    {
        guard let ranking else { return nil }
        var accumulatorOf: [Int: Int] = [:]
        for (k, index) in drawn.enumerated() { accumulatorOf[index] = k }
        var accumulators = [CurveAccumulator](repeating: CurveAccumulator(limit: limit), count: drawn.count)
        for (j, pass) in plan.passes.enumerated() {
            var accumulatorOfCode = [Int](repeating: -1, count: 256)
            var members: [Int] = []
            for (code, index) in pass.slices.enumerated() {
                guard let k = accumulatorOf[index] else { continue }
                accumulatorOfCode[code] = k
                members.append(k)
            }
            guard !members.isEmpty else { continue }
            // The pass's codes in rank order: read at random once, then
            // scanned twice in order. A pass without codes (one slice of
            // every row) is code 0 throughout.
            let codes = plan.codes[j]
            let ranked = codes.isEmpty ? nil : ranking.order.map { codes[Int($0)] }
            ranking.scanForCurves(
                rankedCodes: ranked, accumulatorOfCode: accumulatorOfCode, members: members, &accumulators)
        }
        return accumulators.indices.map { accumulators[$0].curves() }
    }
}

extension BinaryRanking {
    /// Both scans of the accumulators `members` of one pass: each position
    /// goes to the accumulator its code names (`accumulatorOfCode[code]`,
    /// -1 for none); without codes, every position to that of code 0.
    func scanForCurves(
        rankedCodes: [UInt8]?, accumulatorOfCode: [Int], members: [Int], _ accumulators: inout [CurveAccumulator]
    ) {
        let codes = rankedCodes ?? []
        accumulators.withUnsafeMutableBufferPointer { accumulators in
            score.withUnsafeBufferPointer { score in
                positive.withUnsafeBufferPointer { positive in
                    weight.withUnsafeBufferPointer { weight in
                        codes.withUnsafeBufferPointer { codes in
                            accumulatorOfCode.withUnsafeBufferPointer { accumulatorOfCode in
                                for scan in 1...2 {
                                    if scan == 2 { for k in members { accumulators[k].startSecondScan() } }
                                    if rankedCodes == nil {
                                        let k = accumulatorOfCode[0]
                                        for i in 0..<score.count {
                                            accumulators[k].add(score[i], positive[i], weight[i])
                                        }
                                        continue
                                    }
                                    for i in 0..<codes.count {
                                        let k = accumulatorOfCode[Int(codes[i])]
                                        if k >= 0 { accumulators[k].add(score[i], positive[i], weight[i]) }
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
