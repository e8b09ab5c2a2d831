/// Everything a run decided, in report order. The reporters are pure
/// functions of this value; writing files is a separate, last step.
package struct Report: Sendable {
    package var gate: String
    package var revision: String?
    package var verdict: Verdict
    package var exitCode: Int32
    package var contract: FileSummary
    package var inputs: [InputSummary]
    package var task: ModelTask?
    package var metrics: [String]
    package var slices: [SliceReport]
    package var results: [CheckResult]
    /// Things the reader should know about how the gate was decided.
    package var notes: [String]
    /// Set when the gate did not run (exit 2 or 3).
    package var error: EvalGateError?
    /// The CI context and `--label`s of the run.
    package var lineage = Lineage()
    /// The ledger run whose candidate values stood in for the champion (`--baseline`).
    package var baseline: BaselineReference?
    /// The `drift:` section's measurements, when the gate has one.
    package var drift: DriftReport?
    /// report.html's curves: the overall slice, then each failing slice in
    /// slice order.
    package var figures: [SliceFigures] = []
    /// The dataset's `weight:` column, when the metrics are weighted.
    package var weightColumn: String?
    /// The gate's settings, as MLflow params: revision, task, decision
    /// threshold, min_slice_size and the bootstrap's.
    package var settings: [(String, String)] = []
    /// The MLflow experiment the run is logged to (`check --mlflow`); report.json
    /// then maps each MLflow metric key to its model, metric and slice.
    package var mlflowExperiment: String?

    package struct BaselineReference: Sendable, Equatable {
        package var run: Int
        package var datasetSha256: String
    }

    package enum Verdict: String, Sendable {
        case pass, fail, error
    }

    package struct FileSummary: Sendable {
        package var path: String
        package var sha256: String?
    }

    package struct SliceReport: Sendable {
        package var name: String
        package var group: String?
        package var key: [String]?
        package var rows: Int
        package var weight: Double
        package var evaluated: Bool
        /// In `Report.metrics` order.
        package var values: [MetricComparison]
        /// Rows per label (unweighted), so a reader can judge whether a
        /// change is noise: binary "positive" then "negative", multiclass
        /// one per class in class order; empty for regression.
        package var labelRows: [LabelRows] = []

        /// "45 positive, 1155 negative" or "a: 20, b: 19, c: 21".
        package var composition: String {
            labelRows.map {
                $0.label == "positive" || $0.label == "negative" ? "\($0.rows) \($0.label)" : "\($0.label): \($0.rows)"
            }
            .joined(separator: ", ")
        }
    }

    package struct LabelRows: Sendable, Equatable {
        package var label: String
        package var rows: Int
    }

    package struct MetricComparison: Sendable {
        package var metric: String
        package var candidate: Double?
        package var champion: Double?
        /// Signed change, positive = better (c − h, or h − c for lower-is-better).
        package var delta: Double?
        /// Why the candidate's value is null, when it is.
        package var undefinedReason: String?
        package var uncertainty = MetricUncertainty()
    }

    package struct Summary: Sendable, Equatable {
        package var results = 0, passed = 0, failed = 0, warned = 0, skipped = 0
    }

    /// Why a run with verdict `error` blocks the candidate, the sentence
    /// before the error in summary.md and report.html.
    package var whyBlocked: String {
        let s = summary
        return results.isEmpty
            ? "The gate did not run (exit \(exitCode)), so the candidate is blocked:"
            : s.skipped == s.results
                ? "The gate checked nothing (exit \(exitCode)): every result was skipped, so the candidate is blocked:"
                : "The gate ran but could not have failed (exit \(exitCode)), so the candidate is blocked:"
    }

    /// The result of the `drift:` check on one column.
    package func driftResult(_ column: String) -> CheckResult? {
        results.first { $0.check == "drift" && $0.slice == "drift/\(column)" }
    }

    package var summary: Summary {
        var s = Summary()
        for result in results {
            s.results += 1
            switch result.status {
            case .pass: s.passed += 1
            case .fail: s.failed += 1
            case .warn: s.warned += 1
            case .skipped: s.skipped += 1
            }
        }
        return s
    }

    /// A report for a gate that could not run.
    package static func failure(
        _ error: EvalGateError, gate: String, contract: FileSummary, revision: String? = nil,
        inputs: [InputSummary] = []
    ) -> Report {
        Report(
            gate: gate, revision: revision, verdict: .error, exitCode: error.exitCode, contract: contract,
            inputs: inputs,
            task: nil, metrics: [], slices: [], results: [], notes: [], error: error)
    }
}
