import Foundation
import Testing

@testable import EvalGateCore

/// Every metric against scikit-learn 1.9; the expected literals come from
/// scripts/expected/expected_metrics.py (SklearnExpected.swift names each call).
struct MetricTests {
    @Test(arguments: SklearnExpected.smallBinary.indices)
    func smallBinaryCasesMatchScikitLearn(index: Int) {
        let c = SklearnExpected.smallBinary[index]
        let got = binaryMetrics(labels: c.labels, scores: c.scores, weights: c.weights)
        for (metric, expected) in c.expected {
            #expect(
                isClose(got[metric]?.number, expected),
                "\(c.name): \(metric) = \(String(describing: got[metric])), scikit-learn \(expected)")
        }
    }

    /// One check per metric of the task whose limit is the bottom of the
    /// metric's range, so that every value is reported and none fails.
    static func checksThatNeverFail(_ task: ModelTask) -> String {
        MetricRegistry.names(for: task).map { name in
            let lowest = MetricRegistry.definition(name, task: task)!.range.lowerBound
            return "  - {metric: \(name), min: \(lowest.isFinite ? lowest : -1e300), unusual: true}"
        }.joined(separator: "\n")
    }

    @Test func realisticBinaryWithWeightsTiesAndASliceWithoutPositives() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: realistic
            dataset: {path: \(repoRoot)/fixtures/metrics/binary.csv, id: id, label: label, weight: weight}
            models: {candidate: {score: score}}
            slices: [{name: group, by: group}]
            checks:
            \(Self.checksThatNeverFail(.binary))
            """
        ])
        let report = runGate(folder)
        #expect(report.error == nil)
        for (slice, expected) in SklearnExpected.realisticBinary {
            let name = slice == "overall" ? "overall" : "group/\(slice)"
            let values = try #require(report.slices.first { $0.name == name }).values
            let byName = Dictionary(uniqueKeysWithValues: values.map { ($0.metric, $0) })
            for (metric, value) in expected {
                #expect(
                    isClose(byName[metric]?.candidate, value),
                    "\(name) \(metric): \(String(describing: byName[metric]?.candidate)) vs \(value)")
            }
            // Metrics scikit-learn cannot define here are null, with a reason.
            // (flip_rate and score_psi need a champion; PairedMetricTests covers them.)
            for metric in MetricRegistry.names(for: .binary)
            where !["count", "flip_rate", "score_psi"].contains(metric) && !expected.contains(where: { $0.0 == metric })
            {
                #expect(byName[metric]?.candidate == nil, "\(name) \(metric) should be undefined")
                #expect(byName[metric]?.undefinedReason == "the slice has no positive labels")
            }
        }
    }

    @Test func realisticMulticlassWeightedAndUnweighted() throws {
        for weighted in [true, false] {
            let folder = try scratch([
                "gate.yaml": """
                version: 1
                name: realistic
                task: multiclass
                dataset: {path: \(repoRoot)/fixtures/metrics/multiclass.csv, id: id, label: label\(weighted ? ", weight: weight" : "")}
                models: {candidate: {scores: {low: p_low, mid: p_mid, high: p_high}}}
                checks:
                \(Self.checksThatNeverFail(.multiclass))
                """
            ])
            let report = runGate(folder)
            let values = try #require(report.slices.first).values
            let expected =
                weighted ? SklearnExpected.realisticMulticlass : SklearnExpected.realisticMulticlassUnweighted
            for (metric, value) in expected {
                let got = values.first { $0.metric == metric }?.candidate
                #expect(isClose(got, value), "\(metric) weighted=\(weighted): \(String(describing: got)) vs \(value)")
            }
        }
    }

    @Test func perClassMetricsMatchScikitLearnOneVsRest() throws {
        let checks = SklearnExpected.realisticMulticlassPerClass.map { name, _ in
            let (base, label) = PerClassMetrics.split(name)!
            return "  - {metric: \(base), class: \(label), min: 0}"
        }
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: realistic
            task: multiclass
            dataset: {path: \(repoRoot)/fixtures/metrics/multiclass.csv, id: id, label: label, weight: weight}
            models: {candidate: {scores: {low: p_low, mid: p_mid, high: p_high}}}
            checks:
            \(checks.joined(separator: "\n"))
            """
        ])
        let report = runGate(folder)
        #expect(report.error == nil)
        let values = try #require(report.slices.first).values
        for (metric, value) in SklearnExpected.realisticMulticlassPerClass {
            let got = values.first { $0.metric == metric }?.candidate
            #expect(isClose(got, value), "\(metric): \(String(describing: got)) vs \(value)")
        }
    }

    @Test func realisticRegressionWithAZeroLabel() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: realistic
            task: regression
            dataset: {path: \(repoRoot)/fixtures/metrics/regression.csv, id: id, label: label, weight: weight}
            models: {candidate: {score: prediction}}
            checks:
            \(Self.checksThatNeverFail(.regression))
            """
        ])
        let values = try #require(runGate(folder).slices.first).values
        for (metric, value) in SklearnExpected.realisticRegression {
            let got = values.first { $0.metric == metric }?.candidate
            #expect(isClose(got, value), "\(metric): \(String(describing: got)) vs \(value)")
        }
    }

    @Test func undefinedMetricsNameTheMissingClass() {
        let onlyNegatives = binaryMetrics(labels: [0, 0, 0], scores: [0.2, 0.6, 0.1], weights: nil)
        #expect(onlyNegatives["recall"] == .undefined("the slice has no positive labels"))
        #expect(onlyNegatives["auc"] == .undefined("the slice has no positive labels"))
        #expect(onlyNegatives["specificity"]?.number == 2.0 / 3)
        // precision and mcc have defined zero values.
        #expect(onlyNegatives["precision"] == .value(0))
        #expect(onlyNegatives["mcc"] == .value(0))
        let onlyPositives = binaryMetrics(labels: [1, 1], scores: [0.2, 0.6], weights: nil)
        #expect(onlyPositives["fpr"] == .undefined("the slice has no negative labels"))
        #expect(onlyPositives["recall"] == .value(0.5))
    }

    @Test func allZeroWeightsMakeWeightedMetricsUndefinedNotNaN() {
        let got = binaryMetrics(labels: [0, 1, 1], scores: [0.2, 0.6, 0.9], weights: [0, 0, 0])
        for metric in ["accuracy", "log_loss", "brier", "ece", "auc", "recall", "precision"] {
            #expect(got[metric] == .undefined("the weights on this slice sum to 0"), "\(metric)")
        }
        #expect(got["count"] == .value(3))
    }

    @Test func calibrationBinsFollowTheEdgesExactly() {
        #expect(BinarySliceStats.calibrationBin(0.0) == 0)
        #expect(BinarySliceStats.calibrationBin(0.3) == 3)
        #expect(BinarySliceStats.calibrationBin(0.7) == 7)
        #expect(BinarySliceStats.calibrationBin(0.3.nextDown) == 2, "just below the edge 3/10")
        #expect(BinarySliceStats.calibrationBin(0.9999) == 9)
        #expect(BinarySliceStats.calibrationBin(1.0) == 9)
    }

    @Test func everyMetricHasADirectionAndFitsATask() {
        for definition in MetricRegistry.all {
            #expect(ModelTask.allCases.contains { definition.fits($0) })
        }
        #expect(MetricRegistry.definition("log_loss", task: .binary)?.direction == .lower)
        #expect(MetricRegistry.definition("auc", task: .binary)?.direction == .higher)
        #expect(MetricRegistry.definition("positive_rate", task: .binary)?.direction == Direction.none)
        #expect(MetricRegistry.definition("mae", task: .binary) == nil)
    }
}
