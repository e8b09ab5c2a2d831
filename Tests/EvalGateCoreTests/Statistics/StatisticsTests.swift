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
