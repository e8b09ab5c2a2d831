/// A named set of golden rows (ascending row indices), SPEC.md "Slice names".
package struct SliceRows: Sendable {
    package var name: String
    /// The slice group (`by`/`bins` entry) it belongs to; nil for overall and where slices.
    package var group: String?
    /// The values that define it within its group, one per `by` column.
    package var key: [String]?
    package var rows: [Int32]
}
