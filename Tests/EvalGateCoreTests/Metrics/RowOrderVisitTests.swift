import Foundation
import Testing

@testable import EvalGateCore

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
