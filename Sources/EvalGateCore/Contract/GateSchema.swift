/// The JSON Schema (draft 2020-12) of gate file version 1, printed by
/// `evalgate schema` for editors (e.g. `# yaml-language-server: $schema=...`).
/// It mirrors `ContractDecoder`; the decoder stays the authority on
/// cross-references (metric fits task, `across` names a group, ...).
package enum GateSchema {
    package static func render() -> String { schema.rendered() }

    private static func object(
        _ properties: [(String, JSONValue)], required: [String] = [], extra: [(String, JSONValue)] = []
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("object")), ("properties", .object(properties))]
        if !required.isEmpty { fields.append(("required", .array(required.map { .string($0) }))) }
        fields.append(("additionalProperties", .bool(false)))
        return .object(fields + extra)
    }

    private static func typed(_ type: String, _ description: String, _ extra: [(String, JSONValue)] = []) -> JSONValue {
        .object([("type", .string(type)), ("description", .string(description))] + extra)
    }

    private static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    private static let namePattern: (String, JSONValue) = ("pattern", .string("^[A-Za-z0-9._-]+$"))

    private static let fileFormat: (String, JSONValue) = (
        "format",
        .object([
            (
                "description",
                .string(
                    """
                    csv | tsv | jsonl | parquet | sqlite: the file's format where its name does not say (a pipe, \
                    /dev/stdin).
                    """
                )
            ),
            ("enum", strings(InputFile.Format.allCases.map(\.rawValue))),
        ])
    )

    private static let delimiter: (String, JSONValue) = (
        "delimiter",
        .object([
            ("description", .string("CSV-like files: the field separator, when not the format's own.")),
            ("enum", strings([",", "\t", ";", "|"])),
        ])
    )

    private static let dvcPin: (String, JSONValue) = (
        "dvc",
        .object([
            ("type", .string("string")),
            (
                "description",
                .string("A .dvc file (relative to the gate file): the file must have the md5 DVC recorded.")
            ),
        ])
    )

    private static let model: JSONValue = object([
        (
            "path",
            typed(
                "string",
                """
                Predictions file (id column + prediction columns), relative to the gate file; omit to read the \
                columns from the dataset file.
                """
            )
        ),
        ("score", typed("string", "binary: column with P(positive); regression: column with the predicted value.")),
        (
            "scores",
            .object([
                ("type", .string("object")),
                ("description", .string("multiclass: class -> probability column, in class order.")),
                ("additionalProperties", .object([("type", .string("string"))])), ("minProperties", .number(2)),
            ])
        ),
        ("prediction", typed("string", "multiclass: column with the predicted class.")),
        ("id", typed("string", "This file's id column, when its name is not the dataset's id.")),
        (
            "probability_tolerance",
            typed(
                "number", "multiclass: how far a row's class probabilities may sum from 1 (default 1e-6).",
                [("minimum", .number(0)), ("exclusiveMaximum", .number(0.5))])
        ),
        fileFormat, delimiter, dvcPin,
        ("table", typed("string", "SQLite path only: the table to read.")),
        ("query", typed("string", "SQLite path only: a read-only SELECT to read.")),
    ])

    private static let scalarValue: JSONValue = .object([
        ("type", .array([.string("string"), .string("number"), .string("boolean")]))
    ])

    /// Kept whole: a literal, the JSON Schema itself, read top to bottom like
    /// the gate file it describes.
    private static var schema: JSONValue {
        let rules: [(String, JSONValue)] = [
            ("min", typed("number", "Passes when the candidate's value is at least this.")),
            ("max", typed("number", "Passes when the candidate's value is at most this.")),
            (
                "max_drop",
                typed(
                    "number", "May get at most this much worse than the champion (absolute).", [("minimum", .number(0))]
                )
            ),
            (
                "max_drop_pct",
                typed(
                    "number", "May get at most this many percent of the champion's value worse.",
                    [("minimum", .number(0))])
            ),
            ("min_gain", typed("number", "Must improve on the champion by at least this (absolute).")),
            (
                "min_gain_pct",
                typed("number", "Must improve on the champion by at least this many percent of its value.")
            ),
            (
                "max_gap",
                typed(
                    "number", "With across: max - min of the candidate's value over the group's slices.",
                    [("minimum", .number(0))])
            ),
            (
                "min_ratio",
                typed(
                    "number", "With across: min / max of the candidate's value over the group's slices.",
                    [("minimum", .number(0)), ("maximum", .number(1))])
            ),
        ]
        let check = object(
            [
                (
                    "metric",
                    .object([
                        ("enum", strings(MetricRegistry.allNames)),
                        ("description", .string("Metric to check (SPEC.md section 5).")),
                    ])
                ),
                (
                    "class",
                    .object([
                        ("type", .array([.string("string"), .string("number")])),
                        (
                            "description",
                            .string(
                                """
                                multiclass: one class, one-vs-rest, for precision, recall, f1, auc or pr_auc \
                                (reported as recall[CLASS]).
                                """
                            )
                        ),
                    ])
                ),
                (
                    "slices",
                    .object([
                        ("type", .array([.string("string"), .string("array")])),
                        ("items", .object([("type", .string("string"))])),
                        (
                            "description",
                            .string("Slice names or globs (* and ?); default [\"*\"] = overall and every slice.")
                        ),
                    ])
                ),
                (
                    "across",
                    typed(
                        "string", "A by/bins slice group: compare the candidate across its slices (max_gap, min_ratio)."
                    )
                ),
                ("severity", .object([("enum", strings(["block", "warn"])), ("default", .string("block"))])),
                (
                    "unusual",
                    typed(
                        "boolean",
                        """
                        Allow a min on a lower-is-better metric or a max on a higher-is-better one (a leakage \
                        check, say).
                        """
                    )
                ),
            ] + rules,
            required: ["metric"],
            extra: [("anyOf", .array(rules.map { .object([("required", strings([$0.0]))]) }))])
        let slice = object(
            [
                ("name", typed("string", "Slice name; a by slice is NAME/VALUE.", [namePattern])),
                (
                    "where",
                    typed(
                        "string",
                        """
                        Filter: comparisons (== != < <= > >=) of a column with a number or quoted string, in \
                        [..], not in [..], is missing, is not missing, and, or, not, parentheses.
                        """
                    )
                ),
                (
                    "by",
                    .object([
                        ("type", .array([.string("string"), .string("array")])),
                        ("items", .object([("type", .string("string"))])),
                        (
                            "description",
                            .string("One slice per distinct value (several columns: per observed combination).")
                        ),
                    ])
                ),
                (
                    "bins",
                    .object([
                        ("type", .string("array")), ("items", .object([("type", .string("number"))])),
                        ("minItems", .number(1)),
                        ("description", .string("Strictly increasing edges for a numeric by column.")),
                    ])
                ),
            ],
            required: ["name"],
            extra: [
                (
                    "oneOf",
                    .array([.object([("required", strings(["where"]))]), .object([("required", strings(["by"]))])])
                )
            ])
        return object(
            [
                (
                    "version",
                    .object([("const", .number(1)), ("description", .string("Schema version of the gate file."))])
                ),
                ("name", typed("string", "Gate name, used in reports.", [namePattern])),
                ("revision", typed("string", "Free label copied into reports.")),
                ("description", typed("string", "What the gate protects.")),
                (
                    "task",
                    .object([("enum", strings(ModelTask.allCases.map(\.rawValue))), ("default", .string("binary"))])
                ),
                (
                    "dataset",
                    object(
                        [
                            (
                                "path",
                                typed(
                                    "string",
                                    """
                                    Golden dataset (.csv .tsv .jsonl .ndjson, optionally .gz, or .sqlite .sqlite3 \
                                    .db with table or query), relative to the gate file.
                                    """
                                )
                            ),
                            ("id", typed("string", "Unique row key column.")),
                            ("label", typed("string", "Ground-truth column.")),
                            (
                                "positive",
                                .object([
                                    (
                                        "description",
                                        .string("binary: the positive label value (default 1 / true / yes).")
                                    ), ("type", .array([.string("string"), .string("number"), .string("boolean")])),
                                ])
                            ),
                            ("weight", typed("string", "Optional non-negative example-weight column.")),
                            (
                                "sha256",
                                typed(
                                    "string", "Pin of the dataset file; a mismatch is a data error.",
                                    [("pattern", .string("^[0-9a-fA-F]{64}$"))])
                            ),
                            ("table", typed("string", "SQLite path only (.sqlite .sqlite3 .db): the table to read.")),
                            fileFormat, delimiter, dvcPin,
                            ("query", typed("string", "SQLite path only: a read-only SELECT to read.")),
                        ],
                        required: ["path", "id", "label"])
                ),
                ("models", object([("candidate", model), ("champion", model)], required: ["candidate"])),
                (
                    "decision_threshold",
                    typed(
                        "number", "binary: predicted positive when score >= threshold.",
                        [("minimum", .number(0)), ("maximum", .number(1)), ("default", .number(0.5))])
                ),
                (
                    "min_slice_size",
                    typed(
                        "integer", "Slices with fewer rows are reported too_small and never gate.",
                        [("minimum", .number(0)), ("default", .number(1))])
                ),
                (
                    "max_slices_per_group",
                    typed(
                        "integer", "A 'by' group with more slices than this is refused; bin the column instead.",
                        [("minimum", .number(1)), ("default", .number(1000))])
                ),
                ("slices", .object([("type", .string("array")), ("items", slice)])),
                ("checks", .object([("type", .string("array")), ("items", check), ("minItems", .number(1))])),
                (
                    "statistics",
                    object([
                        (
                            "bootstrap",
                            typed(
                                "integer",
                                "Paired bootstrap resamples per slice; 0 (the default) turns statistics off.",
                                [("minimum", .number(0)), ("maximum", .number(100_000))])
                        ),
                        (
                            "confidence",
                            typed(
                                "number", "Interval confidence.",
                                [("exclusiveMinimum", .number(0)), ("exclusiveMaximum", .number(1))])
                        ),
                        ("seed", typed("integer", "Seed of the resampling stream.")),
                        ("fail_on", .object([("enum", strings(["point", "significant"]))])),
                        (
                            "correction",
                            .object([
                                (
                                    "description",
                                    .string(
                                        """
                                        Multiple-comparison control over the blocking tests under fail_on: \
                                        significant: none (default), holm (family-wise error) or bh (false \
                                        discovery rate).
                                        """
                                    )
                                ),
                                ("enum", strings(Correction.allCases.map(\.rawValue))),
                            ])
                        ),
                    ])
                ),
                (
                    "drift",
                    object(
                        [
                            (
                                "reference",
                                object(
                                    [
                                        (
                                            "path",
                                            typed(
                                                "string",
                                                """
                                                Reference sample (e.g. the training data) the golden set should \
                                                resemble, relative to the gate file.
                                                """
                                            )
                                        ),
                                        fileFormat, delimiter, dvcPin,
                                        ("table", typed("string", "SQLite path only: the table to read.")),
                                        ("query", typed("string", "SQLite path only: a read-only SELECT to read.")),
                                    ],
                                    required: ["path"])
                            ),
                            (
                                "columns",
                                .object([
                                    (
                                        "description",
                                        .string("Golden-set columns compared with the reference, one PSI result each.")
                                    ),
                                    ("type", .string("array")), ("items", .object([("type", .string("string"))])),
                                    ("minItems", .number(1)),
                                ])
                            ),
                            (
                                "max_psi",
                                typed(
                                    "number", "A column drifts when its PSI is above this (default 0.2).",
                                    [("exclusiveMinimum", .number(0))])
                            ),
                            ("severity", .object([("enum", strings(["block", "warn"]))])),
                        ],
                        required: ["reference", "columns"])
                ),
            ],
            required: ["version", "name", "checks", "dataset", "models"],
            extra: [
                ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                ("$id", .string("https://evalgate.dev/schema/gate-v1.json")),
                ("title", .string("evalgate gate file, version 1")),
            ])
    }
}
