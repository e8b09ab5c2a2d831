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

    @Test func realisticBinaryWithWeightsTiesAndASliceWithoutPositives() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: realistic
            dataset: {path: \(repoRoot)/fixtures/metrics/binary.csv, id: id, label: label, weight: weight}
            models: {candidate: {score: score}}
            slices: [{name: group, by: group}]
            checks:
            \(MetricRegistry.names(for: .binary).map { "  - {metric: \($0), min: -1.0e+300}" }.joined(separator: "\n"))
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
                \(MetricRegistry.names(for: .multiclass).map { "  - {metric: \($0), min: -1.0e+300}" }.joined(separator: "\n"))
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

    @Test func realisticRegressionWithAZeroLabel() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: realistic
            task: regression
            dataset: {path: \(repoRoot)/fixtures/metrics/regression.csv, id: id, label: label, weight: weight}
            models: {candidate: {score: prediction}}
            checks:
            \(MetricRegistry.names(for: .regression).map { "  - {metric: \($0), min: -1.0e+300}" }.joined(separator: "\n"))
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

struct MulticlassPredictionColumnTests {
    /// A `prediction:` column naming a class no label has ('d'): classes are
    /// the union of labels and predictions, as scikit-learn's unique_labels.
    /// Expected values: scikit-learn 1.9.1, y = [a,b,c,a,b,c,a],
    /// p = [a,c,c,d,b,a,a], w = [1,2,0.5,1,1,3,1].
    @Test func predictedClassesOutsideTheLabelsCount() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: mc
            task: multiclass
            dataset: {path: d.csv, id: id, label: y, weight: w}
            models: {candidate: {prediction: p}}
            checks:
            \(["accuracy", "macro_f1", "micro_f1", "weighted_f1", "macro_precision", "macro_recall"].map { "  - {metric: \($0), min: 0}" }.joined(separator: "\n"))
            """,
            "d.csv": "id,y,p,w\n1,a,a,1\n2,b,c,2\n3,c,c,0.5\n4,a,d,1\n5,b,b,1\n6,c,a,3\n7,a,a,1\n",
        ])
        let values = try #require(runGate(folder).slices.first).values
        let expected: [(String, Double)] = [
            ("accuracy", 0.3684210526315789),  // accuracy_score(y, p, sample_weight=w)
            ("macro_f1", 0.2916666666666667),  // f1_score(..., average='macro', zero_division=0)
            ("micro_f1", 0.3684210526315789),  // f1_score(..., average='micro')
            ("weighted_f1", 0.3771929824561403),  // f1_score(..., average='weighted', zero_division=0)
            ("macro_precision", 0.39999999999999997),  // precision_score(..., average='macro', zero_division=0)
            ("macro_recall", 0.2857142857142857),  // recall_score(..., average='macro', zero_division=0)
        ]
        for (metric, value) in expected {
            let got = values.first { $0.metric == metric }?.candidate
            #expect(isClose(got, value), "\(metric): \(String(describing: got)) vs \(value)")
        }
    }
}

struct RankingTests {
    /// The radix sort against a comparison sort: descending, ties in row order.
    @Test(arguments: [1, 2, 17, 5000, 70_000])
    func descendingOrderMatchesAComparisonSort(count: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count)
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var scores = (0..<count).map { i -> Double in
            switch i % 7 {
            case 0: return (next() * 100).rounded() / 100  // many ties
            case 1: return next() * 1e-6  // tiny exponents
            case 2: return 0
            case 3: return 1
            default: return next()
            }
        }
        if count > 3 { scores[3] = -0.0 }
        let (order, sorted) = BinaryRanking.descendingOrder(scores)
        let expected = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        #expect(order.map(Int.init) == expected)
        #expect(sorted == expected.map { scores[$0] == 0 ? 0 : scores[$0] })
    }
}

/// Past a few million rows, scoring reads each block's slice codes in row
/// order instead of rank order; the statistics must not change at all.
struct RowOrderVisitTests {
    @Test func visitingRowsInRowOrderGivesTheSameStatistics() {
        var seed: UInt64 = 42
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 11
        }
        let n = 20_000
        // Scores with ties (3 decimals), labels, weights, and two passes of slices.
        let scores = (0..<n).map { _ in Double(next() % 1000) / 1000 }
        let labels = (0..<n).map { _ in UInt8(next() % 3 == 0 ? 1 : 0) }
        let weights = (0..<n).map { _ in Double(next() % 200) / 100 }
        let passA = (0..<n).map { _ in UInt8(next() % 7) }
        let passB = (0..<n).map { row in row % 5 == 0 ? SlicePlan.none : UInt8(next() % 3) }
        let ranking = BinaryRanking(scores: scores, labels: labels, weights: weights)
        let direct = ranking.accumulate(codes: [[], passA, passB], sliceCounts: [1, 7, 3], threshold: 0.5)
        let visited = ranking.accumulate(
            codes: [[], passA, passB], sliceCounts: [1, 7, 3], threshold: 0.5, visitInRowOrderAbove: 0)
        #expect(direct.count == visited.count)
        for (a, b) in zip(direct.joined(), visited.joined()) {
            #expect(a.tp.bitPattern == b.tp.bitPattern && a.fp.bitPattern == b.fp.bitPattern)
            #expect(a.tn.bitPattern == b.tn.bitPattern && a.fn.bitPattern == b.fn.bitPattern)
            #expect(
                a.aucNumerator.bitPattern == b.aucNumerator.bitPattern
                    && a.apNumerator.bitPattern == b.apNumerator.bitPattern)
            #expect(a.logLossSum.bitPattern == b.logLossSum.bitPattern && a.eceWeight == b.eceWeight)
        }
        #expect(direct[1].map(\.total).reduce(0, +) > 0)
    }
}
