/// The joined, validated data every later stage reads: one entry per
/// golden-set row, in the golden set's order, predictions aligned to it.
package struct EvaluationData: Sendable {
    package var rowCount: Int
    /// The golden set's slice columns, typed.
    package var columns: SliceColumns
    /// nil when the dataset has no weight column.
    package var weights: [Double]?
    package var labels: Labels
    package var candidate: Predictions
    package var champion: Predictions?
    package var inputs: [InputSummary]
    /// The golden set's `drift:` columns, in the gate file's order.
    package var driftColumns: [CategoryColumn] = []

    package enum Labels: Sendable {
        /// 1 = positive, 0 = negative.
        case binary([UInt8])
        /// Index into `classes`.
        case multiclass([Int32], classes: [String])
        case regression([Double])
    }

    package enum Predictions: Sendable {
        /// binary: P(positive); regression: predicted value.
        case scores([Double])
        /// multiclass: predicted class index (argmax of `probabilities` when given,
        /// class-major: probabilities[class][row]).
        case classes([Int32], probabilities: [[Double]]?)
    }
}

/// What the report says of an input file.
package struct InputSummary: Sendable, Equatable {
    package var role: String
    package var path: String
    package var sha256: String
    package var rows: Int
    /// The md5 a DVC file recorded for it, when the gate pins it with `dvc:`.
    package var dvcMD5: String? = nil
}
