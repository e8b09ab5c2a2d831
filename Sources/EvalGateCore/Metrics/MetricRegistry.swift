/// Which way is better for a metric; change rules need a direction.
package enum Direction: String, Sendable {
    case higher, lower, none
}

/// What a metric reads from a slice. Binary metrics read `BinarySliceStats`
/// (confusion counts and the score ordering are computed once per slice and
/// shared by every metric); the other tasks read their own stats.
package enum MetricKind: Sendable {
    case binary(@Sendable (BinarySliceStats) -> MetricValue)
    case multiclass(@Sendable (MulticlassSliceStats) -> MetricValue)
    case regression(@Sendable (RegressionSliceStats) -> MetricValue)
    /// Rows in the slice, unweighted; any task.
    case count
    /// Candidate against champion, row by row (`PairedMetric`).
    case paired(PairedMetric)
}

/// A metric value, or the reason it is undefined on this slice.
package enum MetricValue: Sendable, Equatable {
    case value(Double)
    case undefined(String)

    package var number: Double? {
        if case .value(let v) = self { return v }
        return nil
    }
}

package struct MetricDefinition: Sendable {
    package var name: String
    package var direction: Direction
    package var kind: MetricKind
    /// Every value the metric can take; limits outside it are gate-file
    /// errors (SPEC.md section 3).
    package var range: ClosedRange<Double> = 0...1

    /// Near zero a percentage of the champion's value means nothing, and
    /// below zero its sign turns round: `_pct` rules on such a metric warn.
    package var canBeNegative: Bool { range.lowerBound < 0 }

    package func fits(_ task: ModelTask) -> Bool {
        switch (kind, task) {
        case (.count, _), (.binary, .binary), (.multiclass, .multiclass), (.regression, .regression): true
        case (.paired(let metric), _): metric.fits(task)
        default: false
        }
    }
}

/// Every metric of SPEC.md section 5. Adding a metric is one definition in
/// its family's file plus one line here.
package enum MetricRegistry {
    package static let all: [MetricDefinition] =
        [MetricDefinition(name: "count", direction: .none, kind: .count, range: 0...Double.infinity)]
        + BinaryMetrics.definitions
        + MulticlassMetrics.definitions
        + RegressionMetrics.definitions
        + PairedMetric.definitions

    package static func definition(_ name: String, task: ModelTask) -> MetricDefinition? {
        if task == .multiclass, let perClass = PerClassMetrics.definition(name) { return perClass }
        return all.first { $0.name == name && $0.fits(task) }
    }

    package static func names(for task: ModelTask) -> [String] {
        all.filter { $0.fits(task) }.map(\.name)
    }

    package static var allNames: [String] {
        var seen: [String] = []
        for d in all where !seen.contains(d.name) { seen.append(d.name) }
        return seen
    }
}
