package enum FailOn: String, Sendable, CaseIterable {
    case point, significant
}

/// Multiple-comparison control over the blocking tests of a run.
package enum Correction: String, Sendable, CaseIterable {
    /// Each test on its own (an interval per test).
    case none
    /// Holm's step-down: the family-wise error rate stays below 1 − confidence.
    case holm
    /// Benjamini-Hochberg: the false discovery rate stays below 1 − confidence.
    case bh
}

package struct StatisticsSpec: Sendable {
    package var bootstrap: Int = 0
    package var confidence: Double = 0.95
    package var seed: Int = 0
    package var failOn: FailOn = .point
    package var correction: Correction = .none
}
