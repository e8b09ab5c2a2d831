/// `report.json`, SPEC.md section 7: fixed key order, full precision, no
/// timestamps or absolute paths.
package enum JSONReport {
    package static let schemaVersion = 1

    package static func render(_ report: Report) -> String {
        let summary = report.summary
        var inputs: [(String, JSONValue)] = []
        for role in ["dataset", "candidate", "champion"] {
            let input = report.inputs.first { $0.role == role }
            inputs.append(
                (
                    role,
                    input.map { input in
                        .object(
                            [
                                ("path", .string(input.path)), ("sha256", .string(input.sha256)),
                                ("rows", .number(Double(input.rows))),
                            ] + (input.dvcMD5.map { [("dvc_md5", JSONValue.string($0))] } ?? []))
                    } ?? .null
                ))
        }
        var root: [(String, JSONValue)] = [
            ("schema_version", .number(Double(schemaVersion))),
            ("gate", .string(report.gate)),
            ("revision", .string(report.revision)),
            ("verdict", .string(report.verdict.rawValue)),
            ("exit_code", .number(Double(report.exitCode))),
            (
                "contract",
                .object([("path", .string(report.contract.path)), ("sha256", .string(report.contract.sha256))])
            ),
            ("inputs", .object(inputs)),
            (
                "baseline",
                report.baseline.map {
                    .object([("run", .number(Double($0.run))), ("dataset_sha256", .string($0.datasetSha256))])
                } ?? .null
            ),
            ("lineage", lineage(report.lineage)),
            ("task", .string(report.task?.rawValue)),
            ("slices", .array(report.slices.map(slice))),
            ("drift", report.drift.map(drift) ?? .null),
            ("results", .array(report.results.map(result))),
            (
                "summary",
                .object([
                    ("results", .number(Double(summary.results))),
                    ("passed", .number(Double(summary.passed))),
                    ("failed", .number(Double(summary.failed))),
                    ("warned", .number(Double(summary.warned))),
                    ("skipped", .number(Double(summary.skipped))),
                ])
            ),
            ("notes", .array(report.notes.map { .string($0) })),
        ]
        if let experiment = report.mlflowExperiment { root.append(("mlflow", mlflow(report, experiment: experiment))) }
        if let error = report.error {
            root.append(
                ("error", .object([("kind", .string(error.kind.rawValue)), ("message", .string(error.description))])))
        }
        return JSONValue.object(root).rendered()
    }

    /// Each MLflow metric key and the value of report.json it holds.
    private static func mlflow(_ report: Report, experiment: String) -> JSONValue {
        let keys = MLflowMetricKeys.keys(report).map { entry in
            (
                entry.key,
                JSONValue.object([
                    ("model", .string(entry.model)), ("metric", .string(entry.metric)), ("slice", .string(entry.slice)),
                ])
            )
        }
        return .object([("experiment", .string(experiment)), ("metric_keys", .object(keys))])
    }

    private static func lineage(_ lineage: Lineage) -> JSONValue {
        let ci: JSONValue =
            lineage.ci.map { ci in
                .object([
                    ("system", .string(ci.system)), ("commit", .string(ci.commit)), ("ref", .string(ci.ref)),
                    ("repository", .string(ci.repository)), ("run_id", .string(ci.runID)),
                    ("run_url", .string(ci.runURL)),
                ])
            } ?? .null
        var fields: [(String, JSONValue)] = [
            ("ci", ci), ("labels", .object(lineage.labels.map { ($0.key, .string($0.value)) })),
        ]
        if !lineage.models.isEmpty {
            let models = lineage.models.map { model in
                (
                    model.role,
                    JSONValue.object([
                        ("name", .string(model.name)), ("version", .string(model.version)),
                        ("run_id", .string(model.runID)), ("source", .string(model.source)),
                        ("tags", .object(model.tags.map { ($0.key, .string($0.value)) })),
                    ])
                )
            }
            fields.append(("models", .object(models)))
        }
        return .object(fields)
    }

    private static func slice(_ s: Report.SliceReport) -> JSONValue {
        .object([
            ("name", .string(s.name)),
            ("group", .string(s.group)),
            ("key", s.key.map { .array($0.map { .string($0) }) } ?? .null),
            ("rows", .number(Double(s.rows))),
            ("label_rows", .object(s.labelRows.map { ($0.label, .number(Double($0.rows))) })),
            ("weight", .number(s.weight)),
            ("status", .string(s.evaluated ? "evaluated" : "too_small")),
            (
                "metrics",
                .object(
                    s.values.map { value in
                        var fields: [(String, JSONValue)] = [
                            ("candidate", .number(value.candidate)),
                            ("champion", .number(value.champion)),
                            ("delta", .number(value.delta)),
                            ("candidate_ci", range(value.uncertainty.candidate)),
                            ("delta_ci", range(value.uncertainty.delta)),
                            ("p_value", .number(value.uncertainty.pValue)),
                        ]
                        if let why = value.undefinedReason { fields.append(("undefined", .string(why))) }
                        return (value.metric, .object(fields))
                    })
            ),
        ])
    }

    private static func drift(_ d: DriftReport) -> JSONValue {
        .object([
            (
                "reference",
                .object([
                    ("path", .string(d.reference.path)), ("sha256", .string(d.reference.sha256)),
                    ("rows", .number(Double(d.reference.rows))),
                ])
            ),
            ("max_psi", .number(d.maxPSI)),
            (
                "columns",
                .array(
                    d.columns.map { column in
                        .object([
                            ("column", .string(column.column)),
                            ("kind", .string(column.kind.rawValue)),
                            ("psi", .number(column.psi)),
                            (
                                "bins",
                                .array(
                                    column.bins.map { bin in
                                        .object([
                                            ("bin", .string(bin.label)), ("reference", .number(bin.reference)),
                                            ("golden", .number(bin.golden)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }

    private static func range(_ r: ClosedRange<Double>?) -> JSONValue {
        r.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null
    }

    private static func result(_ r: CheckResult) -> JSONValue {
        .object([
            ("check", .string(r.check)),
            ("metric", .string(r.metric)),
            ("slice", .string(r.slice)),
            ("rule", .string(r.rule.rawValue)),
            ("limit", .number(r.limit)),
            ("status", .string(r.status.rawValue)),
            ("severity", .string(r.severity.rawValue)),
            ("candidate", .number(r.candidate)),
            ("champion", .number(r.champion)),
            ("delta", .number(r.delta)),
            ("reason", .string(r.reason)),
            ("p_value_limit", .number(r.pValueLimit)),
            ("p_value_adjusted", .number(r.pValueAdjusted)),
        ])
    }
}
