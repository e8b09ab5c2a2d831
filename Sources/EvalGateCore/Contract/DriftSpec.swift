/// `drift:`: the population stability index of the golden set's columns
/// against a reference sample (e.g. the training data), one result each.
package struct DriftSpec: Sendable {
    /// The reference file, read like the dataset (CSV, JSON Lines, SQLite).
    package var path: String
    package var sqlite: SQLiteSource?
    /// `format:`, where the file's name does not say (a pipe).
    package var format: InputFile.Format? = nil
    /// `delimiter:` of a CSV-like file, when it is not the format's own.
    package var delimiter: UInt8? = nil
    /// `dvc:`, the `.dvc` file whose md5 the file must have.
    package var dvc: String? = nil
    package var columns: [String]
    /// A column drifts when its PSI is above this (0.2: "significant drift").
    package var maxPSI: Double
    package var severity: Severity
}
