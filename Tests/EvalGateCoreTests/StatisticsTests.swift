import Foundation
import Testing

@testable import EvalGateCore

/// Paired tests and the bootstrap. Reference p-values from
/// scripts/expected/expected_statistics.py (DeLong by brute-force structural
/// components, McNemar mid-p with scipy.stats.binom), same 80 rows.
struct StatisticsTests {
    static let csv =
        "id,y,a,b\nr0,1,0.52,0.43\nr1,0,0.64,0.64\nr2,0,0.61,0.33\nr3,1,0.57,0.64\nr4,1,0.63,0.74\nr5,0,0.2,0.41\nr6,1,0.84,0.41\nr7,1,0.38,0.98\nr8,0,0.04,0.08\nr9,0,0.26,0.26\nr10,1,0.51,0.64\nr11,0,0.55,0.02\nr12,0,0.48,0.12\nr13,1,0.7,0.84\nr14,1,0.78,0.83\nr15,0,0.45,0.51\nr16,0,0.51,0.72\nr17,0,0.6,0.6\nr18,0,0.1,0.24\nr19,0,0.41,0.52\nr20,0,0.09,0.27\nr21,1,0.64,0.8\nr22,0,0.51,0.31\nr23,0,0.58,0.12\nr24,1,0.84,0.9\nr25,0,0.02,0.55\nr26,1,0.58,0.8\nr27,0,0.11,0.45\nr28,0,0.65,0.63\nr29,1,0.44,0.56\nr30,0,0.16,0.45\nr31,1,0.58,0.25\nr32,1,0.39,0.64\nr33,0,0.57,0.65\nr34,0,0.41,0.56\nr35,1,0.45,0.84\nr36,0,0.32,0.4\nr37,1,0.4,0.91\nr38,0,0.4,0.09\nr39,1,0.5,0.9\nr40,1,0.38,0.5\nr41,1,0.42,0.27\nr42,1,0.71,0.7\nr43,0,0.41,0.36\nr44,0,0.21,0.34\nr45,0,0.42,0.68\nr46,1,0.58,0.31\nr47,1,0.43,0.69\nr48,1,0.55,0.53\nr49,0,0.26,0.42\nr50,0,0.59,0.4\nr51,0,0.08,0.11\nr52,1,0.41,0.61\nr53,1,0.71,0.89\nr54,0,0.63,0.14\nr55,0,0.59,0.01\nr56,1,0.81,0.25\nr57,1,0.39,0.57\nr58,1,0.87,0.98\nr59,1,0.79,0.24\nr60,1,0.44,0.99\nr61,0,0.3,0.43\nr62,0,0.03,0.1\nr63,1,0.87,0.53\nr64,0,0.47,0.17\nr65,1,0.87,0.77\nr66,1,0.84,0.63\nr67,0,0.17,0.23\nr68,0,0.51,0.2\nr69,1,0.51,0.89\nr70,0,0.09,0.61\nr71,1,0.6,0.55\nr72,1,0.67,0.52\nr73,1,0.54,0.79\nr74,1,0.74,0.98\nr75,0,0.39,0.06\nr76,0,0.16,0.13\nr77,0,0.4,0.29\nr78,1,0.58,0.61\nr79,1,0.83,0.26\n"

    static func gate(_ statistics: String, weight: Bool = false) -> String {
        """
        version: 1
        name: st
        dataset: {path: d.csv, id: id, label: y\(weight ? ", weight: w" : "")}
        models: {candidate: {score: a}, champion: {score: b}}
        statistics: \(statistics)
        checks:
          - {metric: auc, max_drop: 0.01}
          - {metric: accuracy, max_drop: 0.0}
          - {metric: recall, min: 0.99}
        """
    }

    func run(_ statistics: String, jobs: Int = 2) throws -> Report {
        let folder = try scratch(["gate.yaml": Self.gate(statistics), "d.csv": Self.csv])
        return runGate(folder, jobs: jobs)
    }

    @Test func delongAndMcNemarMatchTheReferences() throws {
        let report = try run("{bootstrap: 50, seed: 3}")
        let overall = try #require(report.slices.first)
        let auc = try #require(overall.values.first { $0.metric == "auc" })
        let accuracy = try #require(overall.values.first { $0.metric == "accuracy" })
        #expect(isClose(auc.candidate, 0.798125))
        #expect(isClose(auc.champion, 0.8353125))
        #expect(isClose(auc.uncertainty.pValue, 0.5575067892113879))  // DeLong, brute force
        #expect(isClose(accuracy.uncertainty.pValue, 0.3770855874754488))  // McNemar mid-p, b=13 c=18
        #expect(overall.values.first { $0.metric == "recall" }?.uncertainty.pValue == nil)
    }

    @Test func intervalsAreSeededAndIndependentOfJobs() throws {
        let one = try run("{bootstrap: 200, seed: 7}", jobs: 1)
        let four = try run("{bootstrap: 200, seed: 7}", jobs: 4)
        #expect(JSONReport.render(one) == JSONReport.render(four))
        let other = try run("{bootstrap: 200, seed: 8}")
        #expect(one.slices[0].values[0].uncertainty.candidate != other.slices[0].values[0].uncertainty.candidate)
        let auc = one.slices[0].values[0]
        let ci = try #require(auc.uncertainty.candidate)
        #expect(ci.contains(auc.candidate!))
        #expect(try #require(auc.uncertainty.delta).contains(auc.delta!))
    }

    @Test func significantTurnsNoisyFailuresIntoWarnings() throws {
        let report = try run("{bootstrap: 300, seed: 1, fail_on: significant}")
        let aucResult = try #require(report.results.first { $0.metric == "auc" && $0.rule == .maxDrop })
        // The candidate's auc is 0.037 lower, but the interval of the change reaches 0.
        #expect(aucResult.status == .warn)
        #expect(aucResult.reason.contains("regression within noise: the 95% interval"))
        let point = try run("{bootstrap: 300, seed: 1}")
        #expect(point.results.first { $0.metric == "auc" && $0.rule == .maxDrop }?.status == .fail)
    }

    @Test func percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]
        let ci = Statistics.interval([4, 1, 3, 2], resamples: 4, confidence: 0.95)
        #expect(isClose(ci?.lowerBound, 1.075) && isClose(ci?.upperBound, 3.925))
        #expect(Statistics.interval([1], resamples: 4, confidence: 0.95) == nil)
    }

    @Test func midranksShareTies() {
        #expect(Statistics.midranks([0.5, 0.1, 0.5, 0.9]) == [2.5, 1, 2.5, 4])
    }
}

/// The Poisson bootstrap's draws and the multiple-comparison control.
struct ResamplingTests {
    @Test func poissonCountsHaveMeanAndVarianceOne() {
        let draws = PoissonDraws(seed: 7, resample: 3)
        let n = 1_000_000
        var sum = 0.0
        var squares = 0.0
        var zeros = 0
        for row in 0..<n {
            let k = Double(draws.count(row: row))
            sum += k
            squares += k * k
            if k == 0 { zeros += 1 }
        }
        let mean = sum / Double(n)
        // Poisson(1): mean 1, variance 1, P(0) = 1/e; a million draws put each within a few 0.001.
        #expect(abs(mean - 1) < 0.004)
        #expect(abs(squares / Double(n) - mean * mean - 1) < 0.008)
        #expect(abs(Double(zeros) / Double(n) - exp(-1)) < 0.002)
        // A row's count depends on (seed, resample, row) only, however it is read.
        #expect(PoissonDraws(seed: 7, resample: 3).count(row: 12345) == draws.count(row: 12345))
        var filled = [UInt8](repeating: 0, count: 1001)
        filled.withUnsafeMutableBufferPointer { draws.fill($0) }
        #expect(filled == (0..<1001).map { draws.count(row: $0) })
        let other = PoissonDraws(seed: 7, resample: 4)
        #expect((0..<1000).contains { other.count(row: $0) != draws.count(row: $0) })
    }

    static func fraudGate(_ statistics: String, checks: String, slices: String = "[]") -> String {
        """
        version: 1
        name: fraud-stats
        dataset: {path: \(repoRoot)/fixtures/fraud/golden.csv, id: txn_id, label: is_fraud}
        models:
          candidate: {path: \(repoRoot)/fixtures/fraud/candidate.csv, score: score}
          champion: {path: \(repoRoot)/fixtures/fraud/champion.csv, score: score}
        min_slice_size: 50
        slices: \(slices)
        statistics: \(statistics)
        checks: \(checks)
        """
    }

    static let highValue = #"[{name: high_value, where: "amount >= 10000 and channel != \"atm\""}]"#

    @Test func aClearRegressionSurvivesTheCorrection() throws {
        let gate = Self.fraudGate(
            "{bootstrap: 400, seed: 5, fail_on: significant, correction: holm}",
            checks: "[{metric: recall, slices: [high_value], max_drop_pct: 1}]", slices: Self.highValue)
        let report = runGate(try scratch(["gate.yaml": gate]))
        let result = try #require(report.results.first)
        #expect(result.status == .fail)
        #expect(result.reason.contains("significant after the holm correction over 1 blocking tests"))
        let p = try #require(result.pValueLimit)
        #expect(p < 0.01 && result.pValueAdjusted == p, "one test: the adjusted p-value is the p-value")
        #expect(report.notes.contains { $0.contains("correction: holm") && $0.contains("Holm (family-wise error)") })
    }

    @Test func failuresStandOnlyWhenTheirAdjustedPValueIsSmall() throws {
        for correction in ["holm", "bh"] {
            let gate = Self.fraudGate(
                "{bootstrap: 600, seed: 5, fail_on: significant, correction: \(correction)}",
                checks:
                    "[{metric: auc, max_drop: 0.01}, {metric: recall, slices: [high_value], max_drop_pct: 1}, {metric: precision, max_drop_pct: 5, severity: warn}]",
                slices: Self.highValue.dropLast()
                    + ", {name: merchant, by: merchant_category}, {name: region, by: region}]")
            let report = runGate(try scratch(["gate.yaml": gate]))
            #expect(report.error == nil, "\(String(describing: report.error))")
            let family = report.results.filter { $0.severity == .block && $0.pValueLimit != nil }
            #expect(family.count == 13, "auc on overall, high_value, 7 merchants and 3 regions; recall on high_value")
            let adjusted = MultipleComparisons.adjust(
                family.map { $0.pValueLimit! }, correction == "holm" ? .holm : .bh)
            #expect(family.map(\.pValueAdjusted) == adjusted.map { Optional($0) })
            for result in family
            where result.reason.contains("than the")
                && (result.reason.contains("more than") || result.reason.contains("less than"))
            {
                // A point failure: it stands exactly when its adjusted p-value is below 0.05.
                #expect((result.status == .fail) == (result.pValueAdjusted! < 0.05), "\(result.slice) \(result.metric)")
                #expect(
                    result.reason.contains(
                        result.status == .fail
                            ? "significant after the \(correction) correction"
                            : "did not survive the \(correction) correction"))
            }
            #expect(family.contains { $0.status == .warn && $0.reason.contains("did not survive") })
            // Warn-severity results are not in the family.
            #expect(
                report.results.filter { $0.severity == .warn }.allSatisfy {
                    $0.pValueAdjusted == nil && $0.pValueLimit != nil
                })
        }
    }

    @Test func aCorrectionNoFailureCouldSurviveIsAGateFileError() throws {
        let gate = Self.fraudGate(
            "{bootstrap: 100, seed: 5, fail_on: significant, correction: holm}",
            checks: "[{metric: auc, max_drop: 0.01}]", slices: "[{name: merchant, by: merchant_category}]")
        let report = runGate(try scratch(["gate.yaml": gate]))
        #expect(report.exitCode == 2 && report.verdict == .error)
        #expect(
            report.error?.description.contains(
                "100 resamples cannot show a failure under the holm correction over 8 blocking tests") == true)
        #expect(report.error?.description.contains("set bootstrap to at least 159") == true)
    }

    @Test func aBootstrapThatWouldNotFitInMemoryIsRefusedBeforeItStarts() throws {
        // 201 slices x 7 metrics x 2 models x 100,000 resamples x 16 bytes = 4.5 GB.
        let rows = (0..<400).map { "r\($0),\($0 % 2),\(Double($0 % 97) / 100),\(Double($0 % 89) / 100),g\($0 % 200)" }
        let gate = """
            version: 1
            name: huge
            dataset: {path: d.csv, id: id, label: y}
            models: {candidate: {score: a}, champion: {score: b}}
            slices: [{name: g, by: g}]
            statistics: {bootstrap: 100000}
            checks: [{metric: auc, max_drop: 1}, {metric: accuracy, max_drop: 1}, {metric: recall, max_drop: 1}, {metric: precision, max_drop: 1}, {metric: f1, max_drop: 1}, {metric: fpr, max_drop: 1}, {metric: mcc, max_drop: 1}]
            """
        let report = runGate(
            try scratch(["gate.yaml": gate, "d.csv": "id,y,a,b,g\n" + rows.joined(separator: "\n") + "\n"]))
        #expect(report.exitCode == 2)
        #expect(
            report.error?.description.contains(
                "100000 resamples of 201 slices x 7 metrics x 2 models would keep 4.193 GiB of resampled values (the limit is 4 GiB); use at most 95392 resamples, or gate fewer slices or metrics"
            ) == true, "\(String(describing: report.error))")
    }

    @Test func aCorrectionNeedsSignificanceAndResamples() {
        let base =
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {score: s}, champion: {score: t}}\nchecks: [{metric: auc, max_drop: 0.01}]\n"
        #expect(
            decodeError(base + "statistics: {bootstrap: 1000, correction: holm}")?.contains(
                "add 'fail_on: significant'") == true)
        #expect(
            decodeError(base + "statistics: {fail_on: significant, correction: bh}")?.contains(
                "needs bootstrap p-values") == true)
        #expect(
            decodeError(base + "statistics: {bootstrap: 1000, fail_on: significant, correction: bonferroni}")?.contains(
                "holm") == true)
        #expect(decodeError(base + "statistics: {bootstrap: 1000, fail_on: significant, correction: none}") == nil)
    }

    @Test func withoutACorrectionEachResultStillCarriesItsPValue() throws {
        let gate = Self.fraudGate(
            "{bootstrap: 200, seed: 5, fail_on: significant}",
            checks: "[{metric: recall, slices: [high_value], max_drop_pct: 1}]",
            slices: Self.highValue)
        let report = runGate(try scratch(["gate.yaml": gate]))
        let result = try #require(report.results.first)
        #expect(result.pValueLimit != nil && result.pValueAdjusted == nil)
        #expect(result.reason.contains("significant: the whole 95% interval"))
        let json = JSONReport.render(report)
        #expect(json.contains("\"p_value_limit\": ") && json.contains("\"p_value_adjusted\": null"))
    }

    @Test func multiclassAndRegressionResamplesAreIndependentOfJobs() throws {
        let multiclass = """
            version: 1
            name: mc
            task: multiclass
            dataset: {path: \(repoRoot)/fixtures/paired/multiclass.csv, id: id, label: label}
            models: {candidate: {prediction: candidate}, champion: {prediction: champion}}
            statistics: {bootstrap: 150, seed: 2}
            checks: [{metric: macro_f1, max_drop: 0.05}, {metric: flip_rate, max: 0.2}]
            """
        let regression = """
            version: 1
            name: rg
            task: regression
            dataset: {path: \(repoRoot)/fixtures/paired/regression.csv, id: id, label: target}
            models: {candidate: {score: candidate}, champion: {score: champion}}
            statistics: {bootstrap: 150, seed: 2}
            checks: [{metric: mae, max_drop: 0.5}, {metric: score_psi, max: 0.5}]
            """
        for gate in [multiclass, regression] {
            let folder = try scratch(["gate.yaml": gate])
            let one = runGate(folder, jobs: 1)
            let three = runGate(folder, jobs: 3)
            #expect(JSONReport.render(one) == JSONReport.render(three))
            let first = try #require(one.slices.first?.values.first)
            #expect(try #require(first.uncertainty.candidate).contains(first.candidate!))
            #expect(try #require(first.uncertainty.delta).contains(first.delta!))
        }
        // score_psi is not resampled: no interval, and the report says why a significance decision falls back.
        let psi = runGate(try scratch(["gate.yaml": regression])).slices.first?.values.last
        #expect(psi?.metric == "score_psi" && psi?.uncertainty.candidate == nil)
    }
}

/// A resample must score exactly like its rows repeated: the one-pass
/// resampling of the ranking against the plain scoring of the expanded rows.
struct ResampleEquivalenceTests {
    /// Scores on a grid of 20 steps make long tie groups (20 rows each on
    /// average: the branching path), 2,000 steps short ones (the
    /// arithmetic path).
    @Test(
        arguments: [
            ["auc", "accuracy", "recall", "precision", "f1"], ["auc", "pr_auc", "log_loss", "brier", "ece", "recall"],
        ], [20.0, 2000.0])
    func aResampleScoresLikeItsRowsRepeated(_ metricNames: [String], grid: Double) throws {
        // 400 rows: scores on a grid (ties), weights, two groups.
        var labels: [UInt8] = []
        var scores: [Double] = []
        var weights: [Double] = []
        var group: [UInt8] = []
        for row in 0..<400 {
            let u = Double(PoissonDraws.mix(UInt64(row) &* 0x9E37_79B9_7F4A_7C15) >> 11) / Double(1 << 53)
            labels.append(u < 0.35 ? 1 : 0)
            scores.append((min(1, max(0, u * 0.8 + Double(row % 7) / 20)) * grid).rounded() / grid)
            weights.append([0.5, 1, 2, 1.5][row % 4])
            group.append(UInt8(row % 3 == 0 ? 0 : 1))
        }
        let generator = PoissonDraws(seed: 4, resample: 17)
        let definitions = metricNames.map { MetricRegistry.definition($0, task: .binary)! }
        let data = EvaluationData(
            rowCount: 400,
            columns: SliceColumns(
                table: Table(file: "t", header: [], rowCount: 400, bytes: [], cells: [:], lines: []), uses: []),
            weights: weights, labels: .binary(labels), candidate: .scores(scores), champion: nil, inputs: [])
        let scorer = Scorer(data: data, predictions: .scores(scores), metrics: definitions, threshold: 0.5)
        let overall = SliceRows(name: "overall", group: nil, key: nil, rows: (0..<400).map { Int32($0) })
        let parts = (0..<2).map { g in
            SliceRows(
                name: "g/\(g)", group: "g", key: ["\(g)"], rows: (0..<400).filter { group[$0] == g }.map { Int32($0) })
        }
        let slices = [overall] + parts
        let plan = SlicePlan(slices, evaluated: [true, true, true], rowCount: 400)
        var scratch = BinaryRanking.ResampleScratch(rowCount: 400)
        // Two resamples scored together (the lanes of one pass), and the first alone.
        let counts = (0..<400).map { generator.count(row: $0) }
        let other = PoissonDraws(seed: 4, resample: 18)
        let layout = scorer.resampleLayout(plan)
        #expect(layout.visit?.longGroups == (grid == 20))
        let pair = scorer.scoreResamples(
            counts: [counts, (0..<400).map { other.count(row: $0) }], weights: [nil, nil], plan: plan, slices: slices,
            layout: layout,
            scratch: &scratch)
        let resampled = scorer.scoreResamples(
            counts: [counts], weights: [nil], plan: plan, slices: slices, layout: layout, scratch: &scratch)[0]
        #expect(pair[0] == resampled)
        #expect(pair[1] != resampled)
        let flat = plan.passes.flatMap(\.slices).map { slices[$0] }
        for (slice, values) in zip(flat, resampled) {
            var l: [UInt8] = []
            var s: [Double] = []
            var w: [Double] = []
            for row in slice.rows {
                for _ in 0..<Int(generator.count(row: Int(row))) {
                    l.append(labels[Int(row)])
                    s.append(scores[Int(row)])
                    w.append(weights[Int(row)])
                }
            }
            let expected = binaryMetrics(labels: l, scores: s, weights: w)
            for (metric, value) in zip(metricNames, values) {
                #expect(
                    isClose(value.number, expected[metric]!.number!, rel: 1e-12),
                    "\(slice.name) \(metric): \(String(describing: value.number)) vs \(String(describing: expected[metric]))"
                )
            }
        }
    }
}

struct SlicePlanPartsTests {
    @Test func passesAreGroupedInOrderUnderTheLimit() {
        let plan = SlicePlan(
            passes: [SlicePass(slices: [0]), SlicePass(slices: [1, 2]), SlicePass(slices: [3, 4])],
            codes: [[], [0, 1], [1, 0]])
        #expect(plan.parts(ofFewerSlicesThan: 4).map { $0.passes.map(\.slices) } == [[[0], [1, 2]], [[3, 4]]])
        #expect(plan.parts(ofFewerSlicesThan: 3).map { $0.passes.map(\.slices) } == [[[0]], [[1, 2]], [[3, 4]]])
        #expect(plan.parts(ofFewerSlicesThan: 100).map(\.codes) == [[[], [0, 1], [1, 0]]])
    }
}
