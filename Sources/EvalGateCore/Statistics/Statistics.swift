import Foundation

/// Uncertainty of one metric on one slice (SPEC.md section 6, "Statistics").
package struct MetricUncertainty: Sendable, Equatable {
    /// Percentile interval of the candidate's value.
    package var candidate: ClosedRange<Double>?
    /// Percentile interval of the signed change d (positive = better).
    package var delta: ClosedRange<Double>?
    /// DeLong (auc) or McNemar mid-p (accuracy); nil when the test does not
    /// apply or the dataset has weights.
    package var pValue: Double?
}

/// Paired percentile bootstrap plus the exact paired tests, per slice.
package enum Statistics {
    /// Resamples come from SplitMix64 seeded by (seed, slice name, resample
    /// index), so each slice's intervals are the same whatever `--jobs` or
    /// the order in which slices are processed.
    struct SplitMix64 {
        var state: UInt64

        init(seed: Int, slice: String, resample: Int) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in slice.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            state = h ^ (UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(resample) &* 0xBF58_476D_1CE4_E5B9)
            _ = next()
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in 0..<n (Lemire's multiply-high).
        mutating func below(_ n: Int) -> Int {
            Int(next().multipliedFullWidth(by: UInt64(n)).high)
        }
    }

    /// For each metric, the bootstrap intervals and the paired test on the
    /// slice. The scorers must have run `prepareForResampling()`.
    package static func analyse(
        _ slice: Slice, candidate: Scorer, champion: Scorer?, metrics: [MetricDefinition], spec: StatisticsSpec, weighted: Bool
    ) -> [String: MetricUncertainty] {
        let n = slice.rows.count
        var candidateValues = Array(repeating: [Double](), count: metrics.count)
        var deltaValues = Array(repeating: [Double](), count: metrics.count)
        var resampled = [Int32](repeating: 0, count: n)
        for b in 0..<spec.bootstrap {
            var generator = SplitMix64(seed: spec.seed, slice: slice.name, resample: b)
            for i in 0..<n { resampled[i] = slice.rows[generator.below(n)] }
            let c = candidate.score(rows: resampled)
            let h = champion?.score(rows: resampled)
            for (k, metric) in metrics.enumerated() {
                guard let cv = c[k].number else { continue }
                candidateValues[k].append(cv)
                if let hv = h?[k].number {
                    deltaValues[k].append(metric.direction == .lower ? hv - cv : cv - hv)
                }
            }
        }
        var result: [String: MetricUncertainty] = [:]
        for (k, metric) in metrics.enumerated() {
            var uncertainty = MetricUncertainty()
            uncertainty.candidate = interval(candidateValues[k], resamples: spec.bootstrap, confidence: spec.confidence)
            if champion != nil {
                uncertainty.delta = interval(deltaValues[k], resamples: spec.bootstrap, confidence: spec.confidence)
            }
            if let champion, !weighted {
                switch metric.name {
                case "auc": uncertainty.pValue = delong(slice.rows, candidate, champion)
                case "accuracy": uncertainty.pValue = mcnemarMidP(slice.rows, candidate, champion)
                default: break
                }
            }
            result[metric.name] = uncertainty
        }
        return result
    }

    /// Percentile interval (numpy's default linear interpolation); nil when
    /// more than half of the resamples left the metric undefined.
    static func interval(_ values: [Double], resamples: Int, confidence: Double) -> ClosedRange<Double>? {
        guard resamples > 0, values.count * 2 >= resamples, !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let alpha = (1 - confidence) / 2
        return percentile(sorted, alpha)...percentile(sorted, 1 - alpha)
    }

    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// McNemar's exact mid-p test on the paired correctness of the two
    /// models: b = only the candidate right, c = only the champion right,
    /// mid-p = 2·P(X ≤ min(b, c)) − P(X = min(b, c)), X ~ Binomial(b + c, ½).
    static func mcnemarMidP(_ rows: [Int32], _ candidate: Scorer, _ champion: Scorer) -> Double? {
        var b = 0, c = 0
        for row in rows {
            guard let x = candidate.isCorrect(row: Int(row)), let y = champion.isCorrect(row: Int(row)) else { return nil }
            if x && !y { b += 1 } else if y && !x { c += 1 }
        }
        let n = b + c
        if n == 0 { return 1 }
        let k = min(b, c)
        // log-space binomial probabilities: exact enough for any n here.
        func logProbability(_ i: Int) -> Double {
            lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * log(2)
        }
        var cumulative = 0.0
        for i in 0...k { cumulative += exp(logProbability(i)) }
        return min(1, 2 * cumulative - exp(logProbability(k)))
    }

    /// DeLong's test for two correlated ROC AUCs on the same rows (fast
    /// version of Sun & Xu, 2014, with midranks for ties): two-sided p of
    /// auc(candidate) = auc(champion).
    static func delong(_ rows: [Int32], _ candidate: Scorer, _ champion: Scorer) -> Double? {
        guard let a = candidate.binaryScores(rows: rows), let b = champion.binaryScores(rows: rows) else { return nil }
        let positives = a.positive.indices.filter { a.positive[$0] }
        let negatives = a.positive.indices.filter { !a.positive[$0] }
        let m = positives.count, n = negatives.count
        guard m > 1, n > 1 else { return nil }
        func components(_ scores: [Double]) -> (auc: Double, v01: [Double], v10: [Double]) {
            let x = positives.map { scores[$0] }, y = negatives.map { scores[$0] }
            let tx = midranks(x), ty = midranks(y), tz = midranks(x + y)
            let auc = (tz[0..<m].reduce(0, +) - Double(m) * Double(m + 1) / 2) / Double(m) / Double(n)
            let v01 = (0..<m).map { (tz[$0] - tx[$0]) / Double(n) }
            let v10 = (0..<n).map { 1 - (tz[m + $0] - ty[$0]) / Double(m) }
            return (auc, v01, v10)
        }
        let ca = components(a.scores), cb = components(b.scores)
        func covariance(_ u: [Double], _ v: [Double]) -> Double {
            let mu = u.reduce(0, +) / Double(u.count), mv = v.reduce(0, +) / Double(v.count)
            return zip(u, v).reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mv) } / Double(u.count - 1)
        }
        let variance = (covariance(ca.v01, ca.v01) + covariance(cb.v01, cb.v01) - 2 * covariance(ca.v01, cb.v01)) / Double(m)
            + (covariance(ca.v10, ca.v10) + covariance(cb.v10, cb.v10) - 2 * covariance(ca.v10, cb.v10)) / Double(n)
        guard variance > 0 else { return ca.auc == cb.auc ? 1 : nil }
        let z = abs(ca.auc - cb.auc) / variance.squareRoot()
        return erfc(z / 2.0.squareRoot())
    }

    /// 1-based ranks, ties sharing their mean rank.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
