import Foundation
import Testing

@testable import EvalGateCore

/// A resample must score exactly like its rows repeated: the one-pass
/// resampling of the ranking against the plain scoring of the expanded rows.
struct ResampleEquivalenceTests {
    /// Scores on a grid of 20 steps make long tie groups (20 rows each on
    /// average), 2,000 steps short ones.
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
        let layout = scorer.resampleLayout(plan)
        // Four resamples scored together (the lanes of one pass) on each
        // kernel, and the first alone: every lane is bit for bit the
        // resample scored alone, on either path.
        var four = ResampleDraws(rowCount: 400, perResample: false)
        four.draw(17..<21, seed: 4, golden: nil)
        var one = ResampleDraws(rowCount: 400, perResample: false)
        one.draw(17..<18, seed: 4, golden: nil)
        let counts = (0..<400).map { generator.count(row: $0) }
        #expect((0..<400).allSatisfy { one.interleaved[$0 * 4] == counts[$0] && one.interleaved[$0 * 4 + 1] == 0 })
        let kernels = ResampleKernel.allCases.filter(\.isSupported)
        let resampled = scorer.scoreResamples(
            one, plan: plan, slices: slices, layout: layout, kernel: .baseline, scratch: &scratch)[0]
        for kernel in kernels {
            let lanes = scorer.scoreResamples(
                four, plan: plan, slices: slices, layout: layout, kernel: kernel, scratch: &scratch)
            #expect(lanes.count == 4)
            #expect(lanes[0] == resampled, "\(kernel)")
            #expect(lanes[1] != resampled, "\(kernel)")
            for lane in 1..<4 {
                var alone = ResampleDraws(rowCount: 400, perResample: false)
                alone.draw((17 + lane)..<(18 + lane), seed: 4, golden: nil)
                let expected = scorer.scoreResamples(
                    alone, plan: plan, slices: slices, layout: layout, kernel: .baseline, scratch: &scratch)[0]
                #expect(lanes[lane] == expected, "\(kernel) lane \(lane)")
            }
        }
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
