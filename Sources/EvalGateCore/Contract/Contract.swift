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
    package var sliceSources: [String: EvalGateError.Location]
    package var checks: [CheckSpec]
    package var statistics: StatisticsSpec
    /// The golden set's drift from a reference sample, when the gate checks it.
    package var drift: DriftSpec? = nil
    /// Folder of the gate file, used to resolve the relative paths inside it.
    package var baseDirectory: String
    /// Lint findings that do not make the file invalid (a `_pct` rule on a
    /// metric that can be negative), each with its key path.
    package var warnings: [String] = []
}

extension Contract {
    /// A `by` over an id-like column would make one slice per row; 1,000
    /// is more than any categorical column a team gates on.
    package static let defaultMaxSlicesPerGroup = 1000

    /// Whether a slice is scored and gated: it has rows, at least
    /// `min_slice_size` of them; smaller ones are reported too_small.
    package func evaluates(_ slice: SliceRows) -> Bool {
        slice.rows.count >= max(1, minSliceSize)
    }
}

package enum ModelTask: String, Sendable, CaseIterable {
    case binary, multiclass, regression
}
