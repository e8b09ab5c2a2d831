import Foundation
import Testing

@testable import EvalGateCore

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
        // fill reads most counts from a table by the draw's top byte; every
        // count (about 2% from the bytes that straddle a boundary, and the
        // odd last row) equals count(row:), written in place and four apart.
        let rows = 200_001
        var filled = [UInt8](repeating: 0, count: rows)
        filled.withUnsafeMutableBufferPointer { draws.fill($0.baseAddress!, rows: rows) }
        let expected = (0..<rows).map { draws.count(row: $0) }
        #expect(filled == expected)
        #expect(Set(expected).count >= 7)
        var interleaved = [UInt8](repeating: 9, count: rows * 4)
        interleaved.withUnsafeMutableBufferPointer { draws.fill($0.baseAddress! + 2, rows: rows, stride: 4) }
        #expect((0..<rows).allSatisfy { interleaved[$0 * 4 + 2] == expected[$0] && interleaved[$0 * 4] == 9 })
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
            // The family's bootstrap p-values in report order ((1 + k) / 601),
            // and their adjustment by statsmodels 0.15.0:
            // multipletests(p, method="holm" or "fdr_bh")[1].
            let pValues = [
                1.0, 0.09816971713810316, 1.0, 1.0, 0.9683860232945092, 0.9816971713810316, 1.0,
                0.7770382695507487, 1.0, 0.9800332778702163, 0.9966722129783694, 1.0, 0.0016638935108153079,
            ]
            let statsmodels: [String: [Double]] = [
                "holm": Array(repeating: 1.0, count: 12) + [0.021630615640599003],
                "bh": [1.0, 0.6381031613976705] + Array(repeating: 1.0, count: 10) + [0.021630615640599],
            ]
            #expect(family.map { $0.pValueLimit! } == pValues)
            for (result, expected) in zip(family, statsmodels[correction]!) {
                let adjusted = try #require(result.pValueAdjusted)
                #expect(abs(adjusted - expected) <= 1e-15, "\(result.slice) \(result.metric): \(adjusted)")
            }
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
