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
    /// `delimiter:` of a CSV-like file, when it is not the format's own.
    package var delimiter: UInt8? = nil
    /// `dvc:`, the `.dvc` file whose md5 the file must have.
    package var dvc: String? = nil
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
    /// `delimiter:` of a CSV-like file, when it is not the format's own.
    package var delimiter: UInt8? = nil
    /// `id:`, the column holding the id in this file, when it is not the dataset's.
    package var id: String? = nil
    /// `dvc:`, the `.dvc` file whose md5 the file must have.
    package var dvc: String? = nil
    /// multiclass: how far a row's class probabilities may sum from 1.
    package var probabilityTolerance: Double = 1e-6
}
