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
    /// The candidate's value and the change on each resample on which they
    /// are defined, for the rules' one-sided p-values.
    package var candidateDraws: [Double] = []
    package var deltaDraws: [Double] = []
    /// Resamples drawn (B).
    package var resamples = 0
    /// Why the metric has no intervals at all, when it is not resampled.
    package var notResampled: String?

    /// One-sided bootstrap p-value of "the rule fails": the share of the
    /// resamples on which the value is on the passing side, with the usual
    /// +1 correction, (1 + passing) / (1 + resamples with a value); nil
    /// when more than half of the resamples left the metric undefined (as
    /// for the intervals).
    package func pValue(of draws: [Double], passes: (Double) -> Bool) -> Double? {
        guard resamples > 0, draws.count * 2 >= resamples, !draws.isEmpty else { return nil }
        let passing = draws.reduce(0) { $0 + (passes($1) ? 1 : 0) }
        return Double(1 + passing) / Double(1 + draws.count)
    }
}

/// Paired Poisson bootstrap plus the exact paired tests, per slice.
package enum Statistics {
    /// Every evaluated slice's intervals and paired tests, by slice index.
    /// Resample b gives each row the Poisson count `PoissonDraws(seed, b)`
    /// reads for it, for both models and every slice alike (a paired
    /// bootstrap); each model scores a resample in one pass over its
    /// ranking. Resamples are split among the workers in fixed ranges and
    /// every resample is scored the same way whichever worker takes it, so
    /// the result is the same whatever `--jobs` is.
    package static func bootstrap(
        plan: SlicePlan, slices: [SliceRows], candidate: Scorer, champion: Scorer?, metrics: [MetricDefinition],
        spec: StatisticsSpec, data: EvaluationData, jobs: Int
    ) -> [Int: [String: MetricUncertainty]] {
        let scorers = [candidate] + (champion.map { [$0] } ?? [])
        let flat = plan.passes.flatMap(\.slices)
        // Fixed ranges of resamples, several per worker to even out the load.
        let resamples = spec.bootstrap
        // Bounds on multiples of four, so that every pass but the last fills its lanes.
        let chunkCount = min(resamples, max(1, jobs) * 4)
        func bound(_ c: Int) -> Int {
            c == chunkCount ? resamples : resamples * c / chunkCount / ResampleKernel.lanes * ResampleKernel.lanes
        }
        let chunks = (0..<chunkCount).map { bound($0)..<bound($0 + 1) }.filter { !$0.isEmpty }
        let values = resampledValues(
            plan: plan, slices: slices, scorers: scorers, chunks: chunks, metricCount: metrics.count, seed: spec.seed,
            data: data, jobs: jobs)
        let tests = parallelMap(flat, jobs: jobs) { s in
            pairedTests(
                slices[s].rows, candidate: candidate, champion: champion, metrics: metrics,
                weighted: data.weights != nil)
        }
        let width = metrics.count * flat.count
        var result: [Int: [String: MetricUncertainty]] = [:]
        for (f, s) in flat.enumerated() {
            var perMetric: [String: MetricUncertainty] = [:]
            for (k, metric) in metrics.enumerated() {
                var uncertainty = MetricUncertainty(pValue: tests[f][k], resamples: resamples)
                for (chunk, range) in zip(values, chunks) {
                    for i in 0..<range.count {
                        let c = chunk[(i * scorers.count) * width + f * metrics.count + k]
                        guard !c.isNaN else { continue }
                        uncertainty.candidateDraws.append(c)
                        guard scorers.count > 1 else { continue }
                        let h = chunk[(i * scorers.count + 1) * width + f * metrics.count + k]
                        if !h.isNaN { uncertainty.deltaDraws.append(metric.direction == .lower ? h - c : c - h) }
                    }
                }
                if case .paired(.scorePSI) = metric.kind {
                    uncertainty.notResampled = PairedMetric.scorePSINotResampled
                }
                uncertainty.candidate = interval(
                    uncertainty.candidateDraws, resamples: resamples, confidence: spec.confidence)
                if champion != nil {
                    uncertainty.delta = interval(
                        uncertainty.deltaDraws, resamples: resamples, confidence: spec.confidence)
                }
                perMetric[metric.name] = uncertainty
            }
            result[s] = perMetric
        }
        return result
    }

    /// The bootstrap keeps every resample's value of every metric on every
    /// slice for each model (the intervals are percentiles of them), twice
    /// over while they are collected: 16 bytes each. Past this, a gate is
    /// refused before it starts rather than run out of memory on the way.
    static let memoryLimit = 4 << 30

    static func checkMemory(resamples: Int, slices: Int, metrics: Int, models: Int, contractPath: String)
        throws(EvalGateError)
    {
        let bytes = Double(resamples) * Double(slices) * Double(metrics) * Double(models) * 16
        guard bytes > Double(memoryLimit) else { return }
        let fitting = Int(Double(memoryLimit) / (Double(slices) * Double(metrics) * Double(models) * 16))
        throw .gateFile(
            contractPath, key: "statistics.bootstrap",
            """
            \(resamples) resamples of \(slices) slices x \(metrics) metrics x \(models) models would keep \
            \(formatForPeople(bytes / Double(1 << 30))) GiB of resampled values (the limit is 4 GiB); use at \
            most \(fitting) resamples, or gate fewer slices or metrics
            """
        )
    }

    /// Every metric of every slice of the plan on every resample, for each
    /// model: per chunk of resamples, the values at
    /// `((b − chunk start) · models + m) · slices · metrics + slice · metrics + metric`
    /// (slices in pass order), NaN where undefined.
    private static func resampledValues(
        plan: SlicePlan, slices: [SliceRows], scorers: [Scorer], chunks: [Range<Int>], metricCount: Int, seed: Int,
        data: EvaluationData, jobs: Int
    ) -> [[Double]] {
        // A 16-bit slot names each slice and each pass's spare (at most one per slice).
        let parts = plan.parts(ofFewerSlicesThan: Int(UInt16.max) / 2)
        let layouts = parallelMap(scorers.indices.flatMap { m in parts.indices.map { (m, $0) } }, jobs: jobs) {
            m, part in
            scorers[m].resampleLayout(parts[part])
        }
        let width = metricCount * plan.passes.reduce(0) { $0 + $1.slices.count }
        let perResample: Bool
        if case .binary = data.labels { perResample = false } else { perResample = true }
        let kernel = ResampleKernel.best
        return parallelMap(chunks, jobs: jobs) { range -> [Double] in
            var out = [Double](repeating: .nan, count: range.count * scorers.count * width)
            var scratch = BinaryRanking.ResampleScratch(rowCount: perResample ? 0 : data.rowCount)
            var draws = ResampleDraws(rowCount: data.rowCount, perResample: perResample)
            // Four resamples at a time: a binary model scores them in one pass.
            for start in stride(from: range.lowerBound, to: range.upperBound, by: ResampleKernel.lanes) {
                let lanes = start..<min(start + ResampleKernel.lanes, range.upperBound)
                // Drawn once, in row order, for both models and every slice.
                draws.draw(lanes, seed: seed, golden: data.weights)
                for (m, scorer) in scorers.enumerated() {
                    var perLane = lanes.map { _ in [[MetricValue]]() }
                    for part in parts.indices {
                        let scored = scorer.scoreResamples(
                            draws, plan: parts[part], slices: slices, layout: layouts[m * parts.count + part],
                            kernel: kernel, scratch: &scratch)
                        for lane in scored.indices { perLane[lane] += scored[lane] }
                    }
                    for (lane, b) in lanes.enumerated() {
                        let base = ((b - range.lowerBound) * scorers.count + m) * width
                        for (f, sliceValues) in perLane[lane].enumerated() {
                            for (k, value) in sliceValues.enumerated() {
                                out[base + f * metricCount + k] = value.number ?? .nan
                            }
                        }
                    }
                }
            }
            return out
        }
    }

    /// DeLong's test for auc and McNemar's for accuracy, per metric.
    private static func pairedTests(
        _ rows: [Int32], candidate: Scorer, champion: Scorer?, metrics: [MetricDefinition], weighted: Bool
    ) -> [Double?] {
        metrics.map { metric in
            guard let champion, !weighted else { return nil }
            switch metric.name {
            case "auc": return delong(rows, candidate, champion)
            case "accuracy": return mcnemarMidP(rows, candidate, champion)
            default: return nil
            }
        }
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
        var b = 0
        var c = 0
        for row in rows {
            guard let x = candidate.isCorrect(row: Int(row)), let y = champion.isCorrect(row: Int(row)) else {
                return nil
            }
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
        let m = positives.count
        let n = negatives.count
        guard m > 1, n > 1 else { return nil }
        func components(_ scores: [Double]) -> (auc: Double, v01: [Double], v10: [Double]) {
            let x = positives.map { scores[$0] }
            let y = negatives.map { scores[$0] }
            let tx = midranks(x)
            let ty = midranks(y)
            let tz = midranks(x + y)
            let auc = (tz[0..<m].reduce(0, +) - Double(m) * Double(m + 1) / 2) / Double(m) / Double(n)
            let v01 = (0..<m).map { (tz[$0] - tx[$0]) / Double(n) }
            let v10 = (0..<n).map { 1 - (tz[m + $0] - ty[$0]) / Double(m) }
            return (auc, v01, v10)
        }
        let ca = components(a.scores)
        let cb = components(b.scores)
        func covariance(_ u: [Double], _ v: [Double]) -> Double {
            let mu = u.reduce(0, +) / Double(u.count)
            let mv = v.reduce(0, +) / Double(v.count)
            return zip(u, v).reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mv) } / Double(u.count - 1)
        }
        let variance =
            (covariance(ca.v01, ca.v01) + covariance(cb.v01, cb.v01) - 2 * covariance(ca.v01, cb.v01)) / Double(m)
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
