import Foundation
import Yams

/// Strict decoding of a gate file (YAML or JSON; JSON is read by the same
/// YAML 1.2 parser so both get line and column in every message). Unknown
/// keys, wrong types, bad names and broken cross-references are contract
/// errors (exit 2) naming the key path, the line and column, and a fix.
package struct ContractDecoder {
    /// The gate file's path as the user wrote it; used in messages.
    package var displayPath: String
    package var text: String
    /// Folder the relative paths inside the file are resolved against.
    package var baseDirectory: String

    package init(displayPath: String, text: String, baseDirectory: String) {
        self.displayPath = displayPath
        self.text = text
        self.baseDirectory = baseDirectory
    }

    /// Reads and decodes the gate file at `path`.
    package static func load(path: String) throws(EvalGateError) -> Contract {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .gateFile(
                path,
                exists
                    ? "cannot read the gate file; check its permissions" : "gate file not found; check the path")
        }
        let bytes = [UInt8](data)
        if let bad = UTF8Check.firstInvalid(bytes) {
            let found = UTF8Check.locate(bytes, offset: bad)
            if let encoding = found.encoding {
                throw .gateFile(
                    path,
                    """
                    the gate file is \(encoding) text; save it as UTF-8, e.g. iconv -f \(encoding) -t UTF-8 \(path) > \
                    utf8-\((path as NSString).lastPathComponent)
                    """
                )
            }
            throw .gateFile(
                path, line: found.line, column: found.column,
                """
                byte offset \(bad): the bytes \(found.shown) are not valid UTF-8; save the gate file as \
                UTF-8, e.g. iconv -f latin1 -t utf-8 \(path) > utf8-\((path as NSString).lastPathComponent)
                """
            )
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let base = (path as NSString).deletingLastPathComponent
        return try ContractDecoder(displayPath: path, text: text, baseDirectory: base).decode()
    }

    package func decode() throws(EvalGateError) -> Contract {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw EvalGateError.gateFile(
                    displayPath,
                    "the gate file is empty; start with 'version: 1'")
            }
            root = node
        } catch let error as EvalGateError {
            throw error
        } catch let error as YamlError {
            throw yamlSyntaxError(error)
        } catch {
            throw .gateFile(
                displayPath,
                "cannot parse the gate file: \(error)")
        }
        return try decodeRoot(Field(node: root, path: ""))
    }

    // MARK: - Sections

    private func decodeRoot(_ root: Field) throws(EvalGateError) -> Contract {
        let keys = [
            "version", "name", "revision", "description", "task", "dataset", "models",
            "decision_threshold", "min_slice_size", "max_slices_per_group", "slices", "checks", "statistics", "drift",
        ]
        // The version decides how the rest is read, so it is checked first.
        let raw = try rawMapping(root)
        guard let versionField = raw["version"] else {
            throw fail(root, "missing required key 'version'; add 'version: 1' at the top")
        }
        let version = try int(versionField)
        guard version == 1 else {
            throw fail(
                versionField, "this gate file needs evalgate for version \(version); this evalgate reads version 1")
        }
        let map = try mapping(root, allowed: keys)
        let name = try required(map, "name", in: root, string)
        try checkName(name, map["name"]!, what: "gate name")
        let task = try optional(map["task"]) { (f) throws(EvalGateError) in try choice(f, ModelTask.self) } ?? .binary
        let dataset = try decodeDataset(try required(map, "dataset", in: root, { $0 }), task: task)
        let (candidate, champion) = try decodeModels(try required(map, "models", in: root, { $0 }), task: task)
        if let field = map["decision_threshold"], task != .binary {
            throw fail(field, "decision_threshold applies to task binary only; remove it")
        }
        let threshold = try optional(map["decision_threshold"], double) ?? 0.5
        if let field = map["decision_threshold"], !(0...1).contains(threshold) {
            throw fail(field, "decision_threshold must be between 0 and 1, got \(formatNumber(threshold))")
        }
        let minSliceSize = try optional(map["min_slice_size"], int) ?? 1
        if minSliceSize < 0, let field = map["min_slice_size"] {
            throw fail(field, "min_slice_size must be 0 or more, got \(minSliceSize)")
        }
        let maxSlices = try optional(map["max_slices_per_group"], int) ?? Contract.defaultMaxSlicesPerGroup
        if maxSlices < 1, let field = map["max_slices_per_group"] {
            throw fail(field, "max_slices_per_group must be 1 or more, got \(maxSlices)")
        }
        var sliceSources: [String: EvalGateError.Location] = [:]
        let slices =
            try optional(map["slices"]) { (f) throws(EvalGateError) in try decodeSlices(f, sources: &sliceSources) }
            ?? []
        guard let checksField = map["checks"] else {
            throw fail(
                root, "missing required key 'checks'; a gate needs at least one check, e.g. '- {metric: auc, min: 0.8}'"
            )
        }
        var warnings: [String] = []
        let checks = try decodeChecks(
            checksField, task: task, slices: slices, candidate: candidate, champion: champion, warnings: &warnings)
        let statistics =
            try optional(map["statistics"]) { (f) throws(EvalGateError) in try decodeStatistics(f) } ?? StatisticsSpec()
        let drift = try optional(map["drift"]) { (f) throws(EvalGateError) in try decodeDrift(f) }
        return Contract(
            version: version, name: name,
            revision: try optional(map["revision"], string),
            description: try optional(map["description"], string),
            task: task, dataset: dataset, candidate: candidate, champion: champion,
            decisionThreshold: threshold, minSliceSize: minSliceSize, maxSlicesPerGroup: maxSlices,
            slices: slices, sliceSources: sliceSources, checks: checks, statistics: statistics, drift: drift,
            baseDirectory: baseDirectory, warnings: warnings)
    }

    private func decodeDrift(_ field: Field) throws(EvalGateError) -> DriftSpec {
        let map = try mapping(field, allowed: ["reference", "columns", "max_psi", "severity"])
        let referenceField = try required(map, "reference", in: field, { $0 })
        let reference = try mapping(
            referenceField, allowed: ["path", "table", "query", "format", "delimiter", "dvc"])
        let path = try required(reference, "path", in: referenceField, string)
        let format = try fileFormat(reference)
        let columnsField = try required(map, "columns", in: field, { $0 })
        let columns = try stringList(columnsField)
        if columns.isEmpty {
            throw fail(
                columnsField,
                "'columns' is empty; list the golden-set columns to compare with the reference, e.g. [amount, merchant]"
            )
        }
        if let repeated = columns.first(where: { column in columns.filter { $0 == column }.count > 1 }) {
            throw fail(columnsField, "\(quote(repeated)) is listed twice; list each column once")
        }
        let maxPSI = try optional(map["max_psi"], double) ?? 0.2
        if let limitField = map["max_psi"], !(maxPSI > 0) || !maxPSI.isFinite {
            throw fail(
                limitField,
                """
                max_psi must be a number above 0 (0.1: some drift, 0.2: significant drift), got \
                \(formatNumber(maxPSI))
                """
            )
        }
        return DriftSpec(
            path: path, sqlite: try sqliteSource(reference, path: path, format: format, in: referenceField),
            format: format, delimiter: try delimiter(reference, path: path, format: format),
            dvc: try optional(reference["dvc"], string), columns: columns, maxPSI: maxPSI,
            severity: try optional(map["severity"]) { (f) throws(EvalGateError) in try choice(f, Severity.self) }
                ?? .block)
    }

    private func decodeDataset(_ field: Field, task: ModelTask) throws(EvalGateError) -> DatasetSpec {
        let map = try mapping(
            field,
            allowed: [
                "path", "id", "label", "positive", "weight", "sha256", "table", "query", "format", "delimiter", "dvc",
            ])
        if let positive = map["positive"], task != .binary {
            throw fail(positive, "'positive' applies to task binary only; remove it")
        }
        let sha = try optional(map["sha256"], string)?.lowercased()
        if let sha, let shaField = map["sha256"],
            sha.count != 64 || !sha.allSatisfy({ $0.isHexDigit })
        {
            throw fail(shaField, "sha256 must be 64 hexadecimal characters; compute it with 'sha256sum FILE'")
        }
        let path = try required(map, "path", in: field, string)
        let format = try fileFormat(map)
        return DatasetSpec(
            path: path,
            id: try required(map, "id", in: field, string),
            label: try required(map, "label", in: field, string),
            positive: try optional(map["positive"], string),
            weight: try optional(map["weight"], string),
            sha256: sha,
            sqlite: try sqliteSource(map, path: path, format: format, in: field),
            format: format, delimiter: try delimiter(map, path: path, format: format),
            dvc: try optional(map["dvc"], string))
    }

    private func decodeModels(_ field: Field, task: ModelTask) throws(EvalGateError) -> (ModelSpec, ModelSpec?) {
        let map = try mapping(field, allowed: ["candidate", "champion"])
        let candidate = try decodeModel(try required(map, "candidate", in: field, { $0 }), task: task)
        let champion = try optional(map["champion"]) { (f) throws(EvalGateError) in try decodeModel(f, task: task) }
        return (candidate, champion)
    }

    private func decodeModel(_ field: Field, task: ModelTask) throws(EvalGateError) -> ModelSpec {
        let map = try mapping(
            field,
            allowed: [
                "path", "score", "scores", "prediction", "table", "query", "format", "delimiter", "id",
                "probability_tolerance", "dvc",
            ])
        var spec = ModelSpec(path: try optional(map["path"], string))
        spec.format = try fileFormat(map)
        for key in ["format", "delimiter", "id", "dvc"] where spec.path == nil {
            if let extra = map[key] {
                throw fail(
                    extra,
                    """
                    \(quote(key)) describes the file in 'path', and this model has none (its columns are read from \
                    the dataset file); add the path or remove \(quote(key))
                    """
                )
            }
        }
        spec.sqlite = try sqliteSource(map, path: spec.path, format: spec.format, in: field)
        spec.delimiter = try delimiter(map, path: spec.path, format: spec.format)
        spec.id = try optional(map["id"], string)
        spec.dvc = try optional(map["dvc"], string)
        spec.probabilityTolerance = try probabilityTolerance(map["probability_tolerance"], task: task)
        switch task {
        case .binary, .regression:
            for key in ["scores", "prediction"] {
                if let extra = map[key] {
                    throw fail(
                        extra,
                        "\(quote(key)) is for task multiclass; a \(task.rawValue) model names its column with 'score'")
                }
            }
            spec.score = try required(map, "score", in: field, string)
        case .multiclass:
            if let extra = map["score"] {
                throw fail(
                    extra, "a multiclass model uses 'scores: {class: column, ...}' or 'prediction: column', not 'score'"
                )
            }
            switch (map["scores"], map["prediction"]) {
            case (let scoresField?, nil):
                let pairs = try rawPairs(scoresField)
                guard pairs.count >= 2 else {
                    throw fail(scoresField, "'scores' needs at least two classes, one probability column each")
                }
                spec.scores = try pairs.map { (pair) throws(EvalGateError) in (pair.key, try string(pair.value)) }
            case (nil, let predictionField?):
                spec.prediction = try string(predictionField)
            case (.some, .some):
                throw fail(field, "give either 'scores' or 'prediction', not both")
            case (nil, nil):
                throw fail(field, "missing 'scores: {class: column, ...}' or 'prediction: column'")
            }
        }
        return spec
    }

    /// `probability_tolerance:`, multiclass only, in [0, 0.5).
    private func probabilityTolerance(_ field: Field?, task: ModelTask) throws(EvalGateError) -> Double {
        guard let field else { return 1e-6 }
        guard task == .multiclass else {
            throw fail(field, "'probability_tolerance' applies to task multiclass with 'scores'; remove it")
        }
        let tolerance = try double(field)
        guard tolerance >= 0, tolerance < 0.5 else {
            throw fail(
                field,
                """
                probability_tolerance must be at least 0 and below 0.5, got \(formatNumber(tolerance)); 0.001 \
                allows probabilities printed with three decimals
                """
            )
        }
        return tolerance
    }

    /// `delimiter:` of a CSV-like file: ",", "\t" (also written `tab` or
    /// '\t'), ";" or "|".
    private func delimiter(
        _ map: [String: Field], path: String?, format: InputFile.Format?
    ) throws(EvalGateError) -> UInt8? {
        guard let field = map["delimiter"] else { return nil }
        let text = try string(field)
        let named: [String: UInt8] = [",": 0x2C, "\t": 0x09, "\\t": 0x09, "tab": 0x09, ";": 0x3B, "|": 0x7C]
        guard let byte = named[text] else {
            throw fail(
                field,
                """
                delimiter must be one of ",", "\\t" (a tab), ";" or "|", got \(quote(escapingControls(text))); \
                quote it in YAML, e.g. delimiter: ";"
                """
            )
        }
        let name = (path ?? "").lowercased()
        if format == .jsonLines || format == .sqlite || (format == nil && path.map(SQLiteReader.isSQLite) ?? false)
            || name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
        {
            throw fail(field, "'delimiter' applies to CSV-like files (.csv, .tsv); remove it")
        }
        return byte
    }

    /// `format: csv|tsv|jsonl|parquet|sqlite`, for a file whose name does not say.
    private func fileFormat(_ map: [String: Field]) throws(EvalGateError) -> InputFile.Format? {
        try optional(map["format"]) { (f) throws(EvalGateError) in try choice(f, InputFile.Format.self) }
    }

    /// `table:` or `query:`, required for a SQLite path and refused otherwise.
    private func sqliteSource(
        _ map: [String: Field], path: String?, format: InputFile.Format?, in parent: Field
    ) throws(EvalGateError) -> SQLiteSource? {
        let isSQLite = format.map { $0 == .sqlite } ?? path.map(SQLiteReader.isSQLite) ?? false
        switch (map["table"], map["query"]) {
        case (let table?, nil):
            guard isSQLite else {
                throw fail(
                    table,
                    "'table' applies to SQLite files (\(SQLiteReader.extensions.joined(separator: ", "))); remove it")
            }
            return .table(try string(table))
        case (nil, let query?):
            guard isSQLite else {
                throw fail(
                    query,
                    "'query' applies to SQLite files (\(SQLiteReader.extensions.joined(separator: ", "))); remove it")
            }
            return .query(try string(query))
        case (.some, .some):
            throw fail(parent, "give either 'table' or 'query', not both")
        case (nil, nil):
            if isSQLite {
                throw fail(
                    parent,
                    "\(quote(path!)) is a SQLite database: name the rows with 'table: NAME' or 'query: SELECT ...'")
            }
            return nil
        }
    }

    private func decodeSlices(_ field: Field, sources: inout [String: EvalGateError.Location]) throws(EvalGateError)
        -> [SliceSpec]
    {
        var slices: [SliceSpec] = []
        for item in try sequence(field) {
            let map = try mapping(item, allowed: ["name", "where", "by", "bins"])
            let name = try required(map, "name", in: item, string)
            try checkName(name, map["name"]!, what: "slice name")
            if name == "overall" {
                throw fail(map["name"]!, "'overall' always exists and needs no entry; choose another name")
            }
            if slices.contains(where: { $0.name == name }) {
                throw fail(map["name"]!, "slice name \(quote(name)) is used twice; slice names must be unique")
            }
            switch (map["where"], map["by"]) {
            case (let whereField?, nil):
                if let bins = map["bins"] { throw fail(bins, "'bins' goes with 'by: COLUMN', not with 'where'") }
                slices.append(.filter(name: name, expression: try whereExpression(whereField)))
            case (nil, let byField?):
                sources[name] = location(byField.node, key: byField.path)
                let columns = try stringList(byField)
                guard !columns.isEmpty else { throw fail(byField, "'by' needs at least one column") }
                if let binsField = map["bins"] {
                    guard columns.count == 1 else {
                        throw fail(binsField, "'bins' needs a single 'by' column, got \(columns.count)")
                    }
                    let edges = try sequence(binsField).map { (f) throws(EvalGateError) in try double(f) }
                    guard !edges.isEmpty else { throw fail(binsField, "'bins' needs at least one edge") }
                    for (a, b) in zip(edges, edges.dropFirst()) where !(a < b) {
                        throw fail(
                            binsField,
                            "bin edges must increase strictly; \(formatNumber(a)) is followed by \(formatNumber(b))")
                    }
                    slices.append(.bins(name: name, column: columns[0], edges: edges))
                } else {
                    slices.append(.by(name: name, columns: columns))
                }
            case (.some, .some):
                throw fail(item, "slice \(quote(name)) has both 'where' and 'by'; use one")
            case (nil, nil):
                throw fail(item, "slice \(quote(name)) needs 'where: EXPRESSION' or 'by: COLUMN'")
            }
        }
        return slices
    }

    private func decodeChecks(
        _ field: Field, task: ModelTask, slices: [SliceSpec], candidate: ModelSpec, champion: ModelSpec?,
        warnings: inout [String]
    ) throws(EvalGateError) -> [CheckSpec] {
        let ruleKeys = RuleKind.allCases.map(\.rawValue)
        var checks: [CheckSpec] = []
        let items = try sequence(field)
        guard !items.isEmpty else {
            throw fail(field, "'checks' is empty; a gate needs at least one check, e.g. '- {metric: auc, min: 0.8}'")
        }
        for item in items {
            let map = try mapping(
                item, allowed: ["metric", "class", "slices", "across", "severity", "unusual"] + ruleKeys)
            let metricField = try required(map, "metric", in: item, { $0 })
            var metric = try string(metricField)
            let definition: MetricDefinition
            if let classField = map["class"] {
                metric = try perClassMetric(
                    metric, field: metricField, classField: classField, task: task, models: [candidate, champion])
                definition = PerClassMetrics.definition(metric)!
            } else {
                definition = try metricDefinition(
                    metric, field: metricField, task: task, candidate: candidate, champion: champion)
            }
            let rules = try decodeRules(map, metric: metric, definition: definition)
            let unusual = try optional(map["unusual"], bool) ?? false
            for rule in rules {
                if let warning = try lint(rule, field: map[rule.kind.rawValue]!, definition, unusual: unusual) {
                    warnings.append(warning)
                }
            }
            guard !rules.isEmpty else {
                throw fail(
                    item, "check on \(quote(metric)) has no rule; add one of: \(ruleKeys.joined(separator: ", "))")
            }
            let across = try decodeAcross(map, rules: rules, slices: slices)
            let selectors = try optional(map["slices"], stringList) ?? ["*"]
            if selectors.isEmpty, let selectorsField = map["slices"] {
                throw fail(selectorsField, "'slices' is empty; omit it to check every slice, or name slices or globs")
            }
            let severity = try optional(map["severity"]) { (f) throws(EvalGateError) in try choice(f, Severity.self) }
            checks.append(
                CheckSpec(
                    id: "checks[\(checks.count)]", metric: metric, selectors: selectors, across: across, rules: rules,
                    severity: severity ?? .block))
        }
        return checks
    }

    /// `class: LABEL` turns precision, recall, f1, auc or pr_auc of a
    /// multiclass task into the one-vs-rest metric of that class, `recall[7]`.
    private func perClassMetric(
        _ metric: String, field: Field, classField: Field, task: ModelTask, models: [ModelSpec?]
    ) throws(EvalGateError) -> String {
        guard task == .multiclass else {
            throw fail(classField, "'class' picks one class of a multiclass task; remove it for task \(task.rawValue)")
        }
        guard PerClassMetrics.bases.contains(metric) else {
            throw fail(
                field,
                """
                \(quote(metric)) has no per-class form; with 'class', use one of: \
                \(PerClassMetrics.bases.joined(separator: ", "))
                """
            )
        }
        let label = try string(classField)
        let scored = models.compactMap { $0 }
        if PerClassMetrics.ranked.contains(metric), scored.contains(where: { $0.scores == nil }) {
            throw fail(
                field,
                """
                \(metric) of one class ranks that class's probability: give the models 'scores: {class: column, \
                ...}' instead of 'prediction'
                """
            )
        }
        if let classes = scored.first?.scores?.map(\.label),
            !classes.contains(where: { DataLoader.sameValue($0, label) })
        {
            throw fail(
                classField,
                """
                class \(quote(label)) is not one of the classes in 'scores' (\(classes.joined(separator: ", "))).\
                \(didYouMean(label, among: classes))
                """
            )
        }
        return PerClassMetrics.name(metric, label: label)
    }

    /// The metric a check names, known for the task and computable from the
    /// models' columns.
    private func metricDefinition(
        _ metric: String, field: Field, task: ModelTask, candidate: ModelSpec, champion: ModelSpec?
    ) throws(EvalGateError) -> MetricDefinition {
        guard let definition = MetricRegistry.definition(metric, task: task) else {
            let names = MetricRegistry.names(for: task)
            if MetricRegistry.allNames.contains(metric) {
                throw fail(
                    field,
                    """
                    metric \(quote(metric)) does not apply to task \(task.rawValue); use one of: \
                    \(names.joined(separator: ", "))
                    """
                )
            }
            throw fail(
                field,
                """
                unknown metric \(quote(metric)).\(didYouMean(metric, among: names)) \
                Metrics for task \(task.rawValue): \(names.joined(separator: ", "))
                """
            )
        }
        if metric == "log_loss", task == .multiclass,
            candidate.scores == nil || (champion.map { $0.scores == nil } ?? false)
        {
            throw fail(
                field,
                """
                log_loss needs class probabilities: give the models 'scores: {class: column, ...}' instead of \
                'prediction'
                """
            )
        }
        return definition
    }

    /// A check's rules, in `RuleKind` order, each limit in its range.
    private func decodeRules(
        _ map: [String: Field], metric: String, definition: MetricDefinition
    ) throws(EvalGateError) -> [Rule] {
        var rules: [Rule] = []
        for kind in RuleKind.allCases {
            guard let ruleField = map[kind.rawValue] else { continue }
            let limit = try double(ruleField)
            if kind.isChange, definition.direction == .none {
                throw fail(
                    ruleField,
                    """
                    \(quote(kind.rawValue)) compares with the champion, but \(quote(metric)) has no better \
                    direction; use min or max
                    """
                )
            }
            if [.maxDrop, .maxDropPct, .maxGap].contains(kind), limit < 0 {
                throw fail(ruleField, "\(quote(kind.rawValue)) must be 0 or more, got \(formatNumber(limit))")
            }
            if kind == .minRatio, !(0...1).contains(limit) {
                throw fail(ruleField, "'min_ratio' must be between 0 and 1, got \(formatNumber(limit))")
            }
            rules.append(Rule(kind: kind, limit: limit))
        }
        return rules
    }

    /// SPEC.md section 3: a limit that can only mean the opposite of what
    /// the user meant, or that no value can meet or miss, is an error; a
    /// `_pct` rule on a metric that can be zero or negative is a warning.
    private func lint(
        _ rule: Rule, field: Field, _ definition: MetricDefinition, unusual: Bool
    ) throws(EvalGateError) -> String? {
        let metric = definition.name
        let range = definition.range
        let limit = formatNumber(rule.limit)
        let bounds =
            range.upperBound.isInfinite
            ? "at least \(formatNumber(range.lowerBound))"
            : range.lowerBound.isInfinite
                ? "at most \(formatNumber(range.upperBound))"
                : "between \(formatNumber(range.lowerBound)) and \(formatNumber(range.upperBound))"
        // A percentage written where a share is meant: 95 for 0.95.
        let percent =
            range.upperBound == 1 && rule.limit > 1 && rule.limit <= 100
            ? " Did you mean \(formatNumber(rule.limit / 100))?" : ""
        switch rule.kind {
        case .min, .max:
            let isMin = rule.kind == .min
            if !range.contains(rule.limit) {
                let outcome = isMin == (rule.limit > range.upperBound) ? "no model can pass it" : "it can never fail"
                throw fail(
                    field,
                    """
                    \(metric) is \(bounds), so a \(rule.kind.rawValue) of \(limit) means \(outcome).\(percent) \
                    Write the limit on the metric's own scale
                    """
                )
            }
            if definition.direction == (isMin ? .lower : .higher), !unusual {
                throw fail(
                    field,
                    """
                    \(metric) is \(isMin ? "lower" : "higher")-is-better: a \(rule.kind.rawValue) of \(limit) only \
                    fails a model that is too good; did you mean \(isMin ? "max" : "min"): \(limit)? If you mean \
                    it (a leakage check, say), add 'unusual: true' to the check
                    """
                )
            }
        case .maxDrop, .minGain, .maxGap:
            if rule.limit > range.upperBound - range.lowerBound {
                let outcome = rule.kind == .minGain ? "no model can pass it" : "it can never fail"
                throw fail(
                    field,
                    """
                    a \(rule.kind.rawValue) of \(limit) is more than the whole range of \(metric) (\(bounds)), so \
                    \(outcome).\(percent) Write the change on the metric's own scale
                    """
                )
            }
        case .maxDropPct, .minGainPct:
            if definition.canBeNegative {
                return """
                    \(field.path): \(metric) can be zero or negative, so \(rule.kind.rawValue) (a share of the \
                    champion's value) is huge near zero and turns round below it; use \
                    \(rule.kind == .maxDropPct ? "max_drop" : "min_gain") (an absolute change) instead
                    """
            }
        case .minRatio:
            break
        }
        return nil
    }

    /// `across: GROUP` names a `by` or `bins` group and goes with the
    /// disparity rules (max_gap, min_ratio) only, and they only with it.
    private func decodeAcross(
        _ map: [String: Field], rules: [Rule], slices: [SliceSpec]
    ) throws(EvalGateError) -> String? {
        guard let acrossField = map["across"] else {
            if let rule = rules.first(where: { $0.kind.isDisparity }) {
                throw fail(
                    map[rule.kind.rawValue]!,
                    "\(quote(rule.kind.rawValue)) compares the slices of one group; add 'across: GROUP'")
            }
            return nil
        }
        let across = try string(acrossField)
        let groups = slices.compactMap { spec -> String? in
            if case .filter = spec { return nil }
            return spec.name
        }
        if !groups.contains(across) {
            let hint =
                slices.contains { $0.name == across }
                ? " \(quote(across)) is a where slice, which is a single slice, not a group."
                : didYouMean(across, among: groups)
            throw fail(
                acrossField,
                """
                \(quote(across)) is not a slice group defined in 'slices' (groups are the 'by' \
                entries).\(hint)
                """
            )
        }
        if let extra = map["slices"] {
            throw fail(extra, "a check with 'across' compares the slices of its group; remove 'slices'")
        }
        if let rule = rules.first(where: { !$0.kind.isDisparity }) {
            throw fail(
                map[rule.kind.rawValue]!,
                """
                a check with 'across' takes 'max_gap' or 'min_ratio'; move \(quote(rule.kind.rawValue)) \
                to its own check
                """
            )
        }
        return across
    }

    private func decodeStatistics(_ field: Field) throws(EvalGateError) -> StatisticsSpec {
        let map = try mapping(field, allowed: ["bootstrap", "confidence", "seed", "fail_on", "correction"])
        var spec = StatisticsSpec()
        spec.bootstrap = try optional(map["bootstrap"], int) ?? 0
        if let bootstrapField = map["bootstrap"] {
            if spec.bootstrap < 0 { throw fail(bootstrapField, "bootstrap must be 0 or more") }
            if spec.bootstrap > 100_000 {
                throw fail(
                    bootstrapField,
                    "bootstrap is \(spec.bootstrap) resamples; use at most 100000 (1000 to 10000 is usual)")
            }
        }
        spec.confidence = try optional(map["confidence"], double) ?? 0.95
        if let confidenceField = map["confidence"], !(spec.confidence > 0 && spec.confidence < 1) {
            throw fail(confidenceField, "confidence must be between 0 and 1 (exclusive), e.g. 0.95")
        }
        spec.seed = try optional(map["seed"], int) ?? 0
        spec.failOn = try optional(map["fail_on"]) { (f) throws(EvalGateError) in try choice(f, FailOn.self) } ?? .point
        spec.correction =
            try optional(map["correction"]) { (f) throws(EvalGateError) in try choice(f, Correction.self) } ?? .none
        // A correction that cannot apply would claim a control the gate does not have.
        if spec.correction != .none, let correctionField = map["correction"] {
            if spec.failOn != .significant {
                throw fail(
                    correctionField,
                    """
                    correction: \(spec.correction.rawValue) applies to decisions on significance; add 'fail_on: \
                    significant' or remove the correction
                    """
                )
            }
            if spec.bootstrap == 0 {
                throw fail(
                    correctionField,
                    """
                    correction: \(spec.correction.rawValue) needs bootstrap p-values; set 'bootstrap' (e.g. 1000) \
                    or remove the correction
                    """
                )
            }
        }
        return spec
    }

    // MARK: - Typed reads

    struct Field {
        var node: Node
        var path: String

        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    /// Where a node is in the gate file, under `key`.
    private func location(_ node: Node?, key: String?) -> EvalGateError.Location {
        EvalGateError.Location(file: displayPath, line: node?.mark?.line, column: node?.mark?.column, keyPath: key)
    }

    private func fail(_ field: Field, _ message: String) -> EvalGateError {
        EvalGateError(.gateFile, at: location(field.node, key: field.path.isEmpty ? nil : field.path), message)
    }

    private func yamlSyntaxError(_ error: YamlError) -> EvalGateError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let contextText = context.map { " \($0.text)" } ?? ""
            return .gateFile(
                displayPath, line: mark.line, column: mark.column,
                "not valid YAML/JSON: \(problem)\(contextText); fix the syntax at this position")
        case .reader(let problem, let offset, let value, _):
            let at = offset.map { " at byte offset \($0)" } ?? ""
            return .gateFile(
                displayPath,
                """
                not valid YAML/JSON: \(problem) (U+\(String(format: "%04X", value))\(at)); write such a \
                character as an escape inside double quotes, e.g. \"\\u0085\"
                """
            )
        default:
            return .gateFile(
                displayPath,
                "not valid YAML/JSON: \(excerpt("\(error)"))")
        }
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func typeName(_ node: Node) -> String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func rawPairs(_ field: Field) throws(EvalGateError) -> [(key: String, keyNode: Node, value: Field)] {
        guard case .mapping(let mapping) = field.node else {
            throw fail(field, "expected a mapping of keys to values, found \(typeName(field.node))")
        }
        var pairs: [(key: String, keyNode: Node, value: Field)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw fail(field, "keys must be plain names")
            }
            let key = keyScalar.string
            if pairs.contains(where: { $0.key == key }) {
                throw EvalGateError(
                    .gateFile, at: location(keyNode, key: field.child(key)), "key \(quote(key)) appears twice; keep one"
                )
            }
            pairs.append((key, keyNode, Field(node: valueNode, path: field.child(key))))
        }
        return pairs
    }

    private func rawMapping(_ field: Field) throws(EvalGateError) -> [String: Field] {
        Dictionary(uniqueKeysWithValues: try rawPairs(field).map { ($0.key, $0.value) })
    }

    /// A mapping whose keys must all be in `allowed`; null values count as absent.
    private func mapping(_ field: Field, allowed: [String]) throws(EvalGateError) -> [String: Field] {
        var result: [String: Field] = [:]
        for pair in try rawPairs(field) {
            guard allowed.contains(pair.key) else {
                let place = field.path.isEmpty ? "at the top level" : "in \(quote(field.path))"
                throw EvalGateError(
                    .gateFile, at: location(pair.keyNode, key: pair.value.path),
                    """
                    unknown key \(quote(pair.key)) \(place).\(didYouMean(pair.key, among: allowed)) Allowed \
                    keys: \(allowed.joined(separator: ", "))
                    """
                )
            }
            if !isNull(pair.value.node) { result[pair.key] = pair.value }
        }
        return result
    }

    private func sequence(_ field: Field) throws(EvalGateError) -> [Field] {
        guard case .sequence(let sequence) = field.node else {
            throw fail(field, "expected a list, found \(typeName(field.node))")
        }
        return sequence.enumerated().map { Field(node: $0.element, path: "\(field.path)[\($0.offset)]") }
    }

    private func string(_ field: Field) throws(EvalGateError) -> String {
        guard case .scalar(let scalar) = field.node else {
            throw fail(field, "expected a single value, found \(typeName(field.node))")
        }
        return scalar.string
    }

    private func stringList(_ field: Field) throws(EvalGateError) -> [String] {
        if case .scalar = field.node { return [try string(field)] }
        return try sequence(field).map { (f) throws(EvalGateError) in try string(f) }
    }

    private func double(_ field: Field) throws(EvalGateError) -> Double {
        let text = try string(field)
        guard case .scalar(let scalar) = field.node, scalar.style == .plain,
            let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite
        else {
            throw fail(field, "expected a number, found \(quotedScalar(field, text))")
        }
        return value
    }

    private func bool(_ field: Field) throws(EvalGateError) -> Bool {
        let text = try string(field)
        guard case .scalar(let scalar) = field.node, scalar.style == .plain, text == "true" || text == "false" else {
            throw fail(field, "expected true or false, found \(quotedScalar(field, text))")
        }
        return text == "true"
    }

    private func int(_ field: Field) throws(EvalGateError) -> Int {
        let text = try string(field)
        guard case .scalar(let scalar) = field.node, scalar.style == .plain, let value = Int(text) else {
            throw fail(field, "expected a whole number, found \(quotedScalar(field, text))")
        }
        return value
    }

    /// "'high'", or "the string \"0.5\"; remove the quotes" for a quoted number.
    private func quotedScalar(_ field: Field, _ text: String) -> String {
        if case .scalar(let scalar) = field.node, scalar.style != .plain, Double(text) != nil {
            return "the string \"\(text)\"; write the number without quotes"
        }
        return quote(text)
    }

    private func choice<T: RawRepresentable & CaseIterable>(_ field: Field, _ type: T.Type) throws(EvalGateError) -> T
    where T.RawValue == String {
        let text = try string(field)
        guard let value = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue)
            throw fail(
                field,
                "\(quote(text)) is not one of: \(options.joined(separator: ", ")).\(didYouMean(text, among: options))")
        }
        return value
    }

    private func optional<T>(_ field: Field?, _ read: (Field) throws(EvalGateError) -> T) throws(EvalGateError) -> T? {
        guard let field else { return nil }
        return try read(field)
    }

    private func required<T>(
        _ map: [String: Field], _ key: String, in parent: Field, _ read: (Field) throws(EvalGateError) -> T
    ) throws(EvalGateError) -> T {
        guard let field = map[key] else {
            let place = parent.path.isEmpty ? "at the top level" : "in \(quote(parent.path))"
            throw fail(parent, "missing required key \(quote(key)) \(place)")
        }
        return try read(field)
    }

    private func checkName(_ name: String, _ field: Field, what: String) throws(EvalGateError) {
        guard isValidName(name) else {
            throw fail(field, "\(what) \(quote(name)) may use only letters, digits, '.', '_' and '-'")
        }
    }

    private func whereExpression(_ field: Field) throws(EvalGateError) -> WhereExpression {
        let source = try string(field)
        do {
            return try WhereExpression.parse(source)
        } catch {
            var place = location(field.node, key: field.path)
            if let mark = field.node.mark, case .scalar(let scalar) = field.node,
                scalar.style == .plain || scalar.style == .singleQuoted || scalar.style == .doubleQuoted,
                !source.contains("\n")
            {
                // Point at the character in the line, past the opening quote.
                let offset = scalar.style == .plain ? 0 : 1
                place.column = mark.column + offset + error.position - 1
            }
            throw EvalGateError(
                .gateFile, at: place,
                "cannot parse the where expression at character \(error.position): \(error.message)")
        }
    }
}
