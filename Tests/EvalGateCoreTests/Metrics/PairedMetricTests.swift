import Foundation
import Testing

@testable import EvalGateCore

/// flip_rate, score_psi, the drift: section and the multiple-comparison
/// adjustments against independent references: the literals come from
/// scripts/expected/expected_paired_and_drift.py (numpy quantiles and searchsorted,
/// statsmodels' multipletests), which also wrote fixtures/paired/.
struct PairedMetricTests {
    static let fixtures = "\(repoRoot)/fixtures/paired"

    func run(_ gate: String, jobs: Int = 2) throws -> Report {
        runGate(try scratch(["gate.yaml": gate]), jobs: jobs)
    }

    func value(_ report: Report, _ slice: String, _ metric: String) -> Report.MetricComparison? {
        report.slices.first { $0.name == slice }?.values.first { $0.metric == metric }
    }

    static let binaryGate = """
        version: 1
        name: paired
        dataset: {path: \(fixtures)/binary.csv, id: id, label: y, weight: w}
        models: {candidate: {score: candidate}, champion: {score: champion}}
        slices: [{name: segment, by: segment}]
        checks:
          - {metric: flip_rate, max: 0.16}
          - {metric: score_psi, max: 0.3}
        """

    @Test func binaryFlipRateAndScorePSIMatchNumpy() throws {
        let report = try run(Self.binaryGate)
        #expect(report.error == nil)
        #expect(isClose(value(report, "overall", "flip_rate")?.candidate, 0.18473895582329317))
        #expect(isClose(value(report, "segment/web", "flip_rate")?.candidate, 0.14516129032258066))
        #expect(isClose(value(report, "overall", "score_psi")?.candidate, 0.27890955892262276))
        #expect(isClose(value(report, "segment/web", "score_psi")?.candidate, 0.51417168120729))
        // One value per slice, the candidate's: no champion value, no change.
        let flips = try #require(value(report, "overall", "flip_rate"))
        #expect(flips.champion == nil && flips.delta == nil)
        let overall = report.results.filter { $0.slice == "overall" }.map(\.status)
        #expect(overall == [.fail, .pass])
        #expect(
            report.results.first { $0.slice == "overall" }?.reason
                == "flip_rate on overall is 0.1847, above the maximum 0.16")
    }

    @Test func multiclassFlipRateAndRegressionScorePSIMatchNumpy() throws {
        let multiclass = try run(
            """
            version: 1
            name: mc
            task: multiclass
            dataset: {path: \(Self.fixtures)/multiclass.csv, id: id, label: label}
            models: {candidate: {prediction: candidate}, champion: {prediction: champion}}
            checks: [{metric: flip_rate, max: 0.2}]
            """)
        #expect(isClose(value(multiclass, "overall", "flip_rate")?.candidate, 0.1111111111111111))
        let regression = try run(
            """
            version: 1
            name: rg
            task: regression
            dataset: {path: \(Self.fixtures)/regression.csv, id: id, label: target}
            models: {candidate: {score: candidate}, champion: {score: champion}}
            checks: [{metric: score_psi, max: 0.1}]
            """)
        #expect(isClose(value(regression, "overall", "score_psi")?.candidate, 0.1791110017895623))
        #expect(regression.exitCode == 1)
    }

    @Test func withoutAChampionThePairedMetricsCheckNothing() throws {
        let report = try run(
            """
            version: 1
            name: solo
            dataset: {path: \(Self.fixtures)/binary.csv, id: id, label: y}
            models: {candidate: {score: candidate}}
            checks: [{metric: flip_rate, max: 0.1}, {metric: score_psi, max: 0.1}]
            """)
        #expect(report.results.allSatisfy { $0.status == .skipped })
        #expect(
            report.results[0].reason.contains(
                "flip_rate compares the candidate's predictions with the champion's, and none were given"))
        #expect(report.exitCode == 2, "a gate that checks nothing never passes")
    }

    @Test func pairedMetricsHaveNoDirectionAndFitTheirTasks() {
        #expect(
            decodeError(
                """
                version: 1
                name: g
                dataset: {path: d.csv, id: id, label: y}
                models: {candidate: {score: s}, champion: {score: t}}
                checks: [{metric: flip_rate, max_drop: 0.01}]
                """)?.contains("max_drop") == true)
        #expect(
            decodeError(
                """
                version: 1
                name: g
                task: regression
                dataset: {path: d.csv, id: id, label: y}
                models: {candidate: {score: s}, champion: {score: t}}
                checks: [{metric: flip_rate, max: 0.1}]
                """) != nil)
        #expect(MetricRegistry.definition("score_psi", task: .multiclass) == nil)
        #expect(MetricRegistry.definition("score_psi", task: .regression)?.direction == Direction.none)
    }

    @Test func decileEdgesFollowNumpyQuantile() {
        // numpy.quantile(sorted([3,1,4,1,5,9,2,6,5,3,5]), arange(1,10)/10)
        #expect(PopulationStability.decileEdges([1, 1, 2, 3, 3, 4, 5, 5, 5, 6, 9]) == [1, 2, 3, 3, 4, 5, 5, 5, 6])
        // numpy.quantile(arange(1,12)*0.1, ...): the floating-point steps of its "linear" method.
        let edges = PopulationStability.decileEdges((1...11).map { Double($0) * 0.1 })
        #expect(edges == [0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1.0])
        // Bins are [lo, hi): a value on an edge goes up, as numpy.searchsorted(side="right").
        #expect(PopulationStability.bin(3, edges: [1, 2, 3, 3, 4]) == 4)
        #expect(PopulationStability.bin(0.5, edges: [1, 2]) == 0)
        // A zero share counts as 0.0001: (0.5 - 1e-4)·ln(0.5 / 1e-4) + (1e-4 - 0.5)·ln(1e-4 / 0.5) + 0.
        #expect(isClose(PopulationStability.index(actual: [1, 1, 0], expected: [2, 0, 2]), 2 * 0.4999 * log(5000)))
    }

    @Test func holmAndBenjaminiHochbergMatchStatsmodels() {
        let p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5, 0.0001]
        let holm = MultipleComparisons.adjust(p, .holm)
        let bh = MultipleComparisons.adjust(p, .bh)
        let expectedHolm = [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5, 0.0008]
        let expectedBH = [
            0.02666666666666667, 0.05333333333333334, 0.05333333333333334, 0.02, 0.2285714285714286,
            0.05333333333333334, 0.5, 0.0008,
        ]
        for (got, want) in zip(holm, expectedHolm) { #expect(isClose(got, want), "holm \(got) vs \(want)") }
        for (got, want) in zip(bh, expectedBH) { #expect(isClose(got, want), "bh \(got) vs \(want)") }
        #expect(MultipleComparisons.adjust(p, .none) == p)
    }

    // MARK: - drift:

    static func driftGate(_ drift: String) -> String {
        """
        version: 1
        name: drifting
        dataset: {path: \(fixtures)/binary.csv, id: id, label: y, weight: w}
        models: {candidate: {score: candidate}, champion: {score: champion}}
        checks: [{metric: auc, max_drop: 0.5}]
        drift: \(drift)
        """
    }

    @Test func driftMatchesNumpyAndGatesEachColumn() throws {
        let report = try run(
            Self.driftGate(
                "{reference: {path: \(Self.fixtures)/reference.csv}, columns: [amount, segment], max_psi: 0.25}"))
        let drift = try #require(report.drift)
        #expect(drift.columns.map(\.kind) == [.numeric, .text])
        #expect(isClose(drift.columns[0].psi, 0.21127239830875735))
        #expect(isClose(drift.columns[1].psi, 0.5336759243368094))
        #expect(drift.reference.rows == 120)
        #expect(drift.columns[0].bins.count == 11 && drift.columns[0].bins.last?.label == "(missing)")
        #expect(drift.columns[1].bins.map(\.label).sorted() == ["(missing)", "app", "kiosk", "pos", "web"])
        let results = report.results.filter { $0.check == "drift" }
        #expect(results.map(\.slice) == ["drift/amount", "drift/segment"])
        #expect(results.map(\.status) == [.pass, .fail])
        #expect(results[1].reason.hasPrefix("segment drifted: PSI 0.5337 against the reference"))
        #expect(results[1].reason.contains("the largest shift is segment = "))
        #expect(report.exitCode == 1)
        let json = JSONReport.render(report)
        #expect(json.contains("\"drift\": {") && json.contains("\"kind\": \"numeric\""))

        let warned = try run(
            Self.driftGate("{reference: {path: \(Self.fixtures)/reference.csv}, columns: [segment], severity: warn}"))
        #expect(warned.results.last?.status == .warn && warned.exitCode == 0)
    }

    @Test func badDriftSectionsAreRefused() throws {
        let reference = "\(Self.fixtures)/reference.csv"
        #expect(
            decodeError(Self.driftGate("{reference: {path: r.csv}, columns: []}"))?.contains("'columns' is empty")
                == true)
        #expect(
            decodeError(Self.driftGate("{reference: {path: r.csv}, columns: [a], max_psi: 0}"))?.contains(
                "max_psi must be a number above 0") == true)
        #expect(
            decodeError(Self.driftGate("{reference: {path: r.csv}, columns: [a, a]}"))?.contains("'a' is listed twice")
                == true)
        #expect(decodeError(Self.driftGate("{reference: {path: r.csv}, colums: [a]}"))?.contains("colums") == true)
        #expect(decodeError(Self.driftGate("{columns: [a]}"))?.contains("reference") == true)
        // A column the reference lacks, or an empty reference: data errors naming the file.
        let missing = try run(Self.driftGate("{reference: {path: \(reference)}, columns: [amount, w]}"))
        #expect(missing.exitCode == 3)
        #expect(missing.error?.description.contains("reference.csv") == true)
        #expect(missing.error?.description.contains("w") == true)
        let folder = try scratch([
            "empty.csv": "id,segment\n",
            "gate.yaml": Self.driftGate("{reference: {path: empty.csv}, columns: [segment]}"),
        ])
        let empty = runGate(folder)
        #expect(empty.exitCode == 3)
        #expect(empty.error?.description.contains("the drift reference has a header but no rows") == true)
    }
}
