import Foundation
import Testing

@testable import EvalGateCore

struct SlicePlanTests {
    @Test func passesAreGroupedInOrderUnderTheLimit() {
        let plan = SlicePlan(
            passes: [SlicePass(slices: [0]), SlicePass(slices: [1, 2]), SlicePass(slices: [3, 4])],
            codes: [[], [0, 1], [1, 0]])
        #expect(plan.parts(ofFewerSlicesThan: 4).map { $0.passes.map(\.slices) } == [[[0], [1, 2]], [[3, 4]]])
        #expect(plan.parts(ofFewerSlicesThan: 3).map { $0.passes.map(\.slices) } == [[[0]], [[1, 2]], [[3, 4]]])
        #expect(plan.parts(ofFewerSlicesThan: 100).map(\.codes) == [[[], [0, 1], [1, 0]]])
    }
}
