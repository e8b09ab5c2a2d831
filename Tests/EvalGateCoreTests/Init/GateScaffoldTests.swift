import Testing

@testable import EvalGateCore

struct GateScaffoldTests {
    /// Bin edges print as a person writes them (shortest round trip of the
    /// two-digit decimal), never with a binary-scaling tail.
    @Test(arguments: [
        (0.0861, "0.086"), (0.00912, "0.0091"), (-0.00263, "-0.0026"), (1812.0, "1800"), (137.4, "140"),
        (0.1, "0.1"), (-0.0314, "-0.031"),
    ])
    func binEdgesRoundToTwoSignificantDigits(value: Double, shown: String) {
        #expect(formatNumber(GateScaffold.roundToTwoDigits(value)) == shown)
    }

    @Test func bootstrapSizeAndCommentWidth() {
        #expect(GateScaffold.bootstrapSize(family: 40) == 1000)
        #expect(GateScaffold.bootstrapSize(family: 220) == 5000)
        #expect(GateScaffold.wrapped(String(repeating: "word ", count: 50)).allSatisfy { $0.count <= 100 })
    }
}
