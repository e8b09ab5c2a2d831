/// The gate file ("evaluation contract"), version 1, as SPEC.md section 3
/// defines it. Built only by `ContractDecoder`, which has already validated
/// every key, type, name and cross-reference.
package struct Contract: Sendable {
    package var version: Int
    package var name: String
    package var revision: String?
    package var description: String?
    package var task: ModelTask
    package var dataset: DatasetSpec
    package var candidate: ModelSpec
    package var champion: ModelSpec?
    package var decisionThreshold: Double
    package var minSliceSize: Int
    /// A `by` group with more slices than this is refused (exit 2).
    package var maxSlicesPerGroup: Int
    package var slices: [SliceSpec]
    /// Where each `by` slice is defined in the gate file, for messages.
    package var sliceSources: [String: SourceLocation]
    package var checks: [CheckSpec]
    package var statistics: StatisticsSpec
    /// The golden set's drift from a reference sample, when the gate checks it.
    package var drift: DriftSpec? = nil
    /// Folder of the gate file, used to resolve the relative paths inside it.
    package var baseDirectory: String
}

extension Contract {
    /// A `by` over an id-like column would make one slice per row; 1,000
    /// is more than any categorical column a team gates on.
    package static let defaultMaxSlicesPerGroup = 1000

    /// Whether a slice is scored and gated: it has rows, at least
    /// `min_slice_size` of them; smaller ones are reported too_small.
    package func evaluates(_ slice: Slice) -> Bool {
        slice.rows.count >= max(1, minSliceSize)
    }
}

/// Names in a gate file (gate, slices), label keys and the like:
/// `[A-Za-z0-9._-]+`, so they are safe in file names, JUnit class names and
/// slice paths.
package func isNameCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-")
}

package func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.allSatisfy(isNameCharacter)
}

/// A place in the gate file: "path:line:column" and the key path.
package struct SourceLocation: Sendable, Equatable {
    package var location: String
    package var key: String
}

package enum ModelTask: String, Sendable, CaseIterable {
    case binary, multiclass, regression
}

package struct DatasetSpec: Sendable {
    package var path: String
    package var id: String
    package var label: String
    package var positive: String?
    package var weight: String?
    package var sha256: String?
    /// SQLite only: the table or read-only query to read.
    package var sqlite: SQLiteSource?
    /// `format:`, where the file's name does not say (a pipe).
    package var format: InputFile.Format? = nil
}

/// Where a model's predictions come from. `path == nil` means "the columns
/// are in the dataset file itself".
package struct ModelSpec: Sendable {
    package var path: String?
    package var score: String?
    /// multiclass: class -> probability column, in file order.
    package var scores: [(label: String, column: String)]?
    package var prediction: String?
    /// SQLite only: the table or read-only query to read.
    package var sqlite: SQLiteSource?
    /// `format:`, where the file's name does not say (a pipe).
    package var format: InputFile.Format? = nil
}

package enum SliceSpec: Sendable {
    case filter(name: String, expression: WhereExpression)
    case by(name: String, columns: [String])
    case bins(name: String, column: String, edges: [Double])

    package var name: String {
        switch self {
        case .filter(let name, _), .by(let name, _), .bins(let name, _, _): name
        }
    }
}

package enum Severity: String, Sendable, CaseIterable {
    case block, warn
}

/// One rule of a check: a kind and its limit.
package struct Rule: Sendable, Equatable {
    package var kind: RuleKind
    package var limit: Double
}

package enum RuleKind: String, Sendable, CaseIterable {
    case min, max
    case maxDrop = "max_drop"
    case maxDropPct = "max_drop_pct"
    case minGain = "min_gain"
    case minGainPct = "min_gain_pct"
    case maxGap = "max_gap"
    case minRatio = "min_ratio"

    /// Rules comparing candidate with champion.
    package var isChange: Bool {
        switch self {
        case .maxDrop, .maxDropPct, .minGain, .minGainPct: true
        default: false
        }
    }

    /// The change d (positive = better) a change rule requires, d ≥ this,
    /// given the champion's value h; nil for the other rules.
    package func requiredChange(limit: Double, champion h: Double) -> Double? {
        switch self {
        case .maxDrop: -limit
        case .maxDropPct: -(limit / 100 * abs(h))
        case .minGain: limit
        case .minGainPct: limit / 100 * abs(h)
        default: nil
        }
    }

    /// Rules over the slices of one group (`across:`).
    package var isDisparity: Bool { self == .maxGap || self == .minRatio }
}

package struct CheckSpec: Sendable {
    /// Position in `checks`, e.g. "checks[2]"; names the check in reports.
    package var id: String
    package var metric: String
    package var selectors: [String]
    package var across: String?
    package var rules: [Rule]
    package var severity: Severity
}

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

/// `drift:`: the population stability index of the golden set's columns
/// against a reference sample (e.g. the training data), one result each.
package struct DriftSpec: Sendable {
    /// The reference file, read like the dataset (CSV, JSON Lines, SQLite).
    package var path: String
    package var sqlite: SQLiteSource?
    /// `format:`, where the file's name does not say (a pipe).
    package var format: InputFile.Format? = nil
    package var columns: [String]
    /// A column drifts when its PSI is above this (0.2: "significant drift").
    package var maxPSI: Double
    package var severity: Severity
}

package struct StatisticsSpec: Sendable {
    package var bootstrap: Int = 0
    package var confidence: Double = 0.95
    package var seed: Int = 0
    package var failOn: FailOn = .point
    package var correction: Correction = .none
}
