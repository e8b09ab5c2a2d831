import Foundation
import Testing

@testable import EvalGateCore

struct BinaryRankingTests {
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
