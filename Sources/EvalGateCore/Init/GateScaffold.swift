import Foundation

/// `evalgate init`: reads the golden set and the predictions, proposes the
/// columns, the task, slices and checks, and writes a commented gate file.
/// Every guess can be overridden; an ambiguous guess is an error naming the
/// candidates and the flag that settles it, never a silent pick.
package enum GateScaffold {
    package struct Request {
        package var dataset: String
        package var candidate: String
        package var champion: String?
        package var out: String
        package var name: String?
        package var id: String?
        package var label: String?
        package var positive: String?
        package var score: String?
        package var task: ModelTask?
        /// The id column of the predictions files, when its name is not the dataset's.
        package var predictionsId: String?
        /// Columns never sliced by; with `onlyColumns`, the only ones sliced by.
        package var skipColumns: [String] = []
        package var onlyColumns: [String]?
        /// `out` was chosen by the user (its name then names the gate).
        package var outGiven = true

        package init(dataset: String, candidate: String, champion: String?, out: String) {
            self.dataset = dataset
            self.candidate = candidate
            self.champion = champion
            self.out = out
        }
    }

    /// What init decided, for the gate file and for the message.
    package struct Proposal {
        package var name: String
        /// Where the name came from, for the summary ("the dataset file's name").
        package var nameSource: String
        package var task: ModelTask
        package var id: String
        /// The predictions files' id column, when it is not `id`.
        package var modelId: String?
        package var label: String
        package var positive: String?
        package var weight: String?
        /// binary/regression: the score column; multiclass: class -> column, or a prediction column.
        package var score: String?
        package var scores: [(label: String, column: String)]?
        package var prediction: String?
        package var slices: [String]
        package var rows: Int
        package var mainMetric: String
    }

    // MARK: - Reading

    static func table(_ path: String) throws(EvalGateError) -> Table {
        let file = InputFile(displayPath: path, resolvedPath: path, fromCommandLine: true)
        if try file.format()?.0 == .sqlite {
            throw .usage(
                """
                \(path): init reads CSV, TSV and JSON Lines files; for SQLite, export the rows or write the gate \
                file by hand (see docs/reference.md)
                """
            )
        }
        return try file.loadEveryColumn()
    }

    // MARK: - Proposing

    package static func propose(_ request: Request) throws(EvalGateError) -> Proposal {
        let golden = try table(request.dataset)
        let candidate = try table(request.candidate)
        let (id, modelId) = try ids(request, golden: golden, candidate: candidate)
        if let id = request.id { try require(id, in: golden, file: request.dataset) }
        let goldenOnly = golden.header.filter { $0 != id && !candidate.header.contains($0) }
        let label = try pick(
            request.label, among: goldenOnly.filter(isLabelName), preferred: { _ in true }, what: "label column",
            flag: "--label",
            file: request.dataset,
            needs:
                """
                a column named like label, target, y, class or is_SOMETHING; the columns only the dataset has are \
                \(goldenOnly.prefix(12).map { "\(quote($0))" }.joined(separator: ", "))
                """
        )
        try require(label, in: golden, file: request.dataset)
        let labels = golden.categories(label)
        let task = request.task ?? guessTask(golden, label)
        let weight = goldenOnly.first { ["weight", "weights", "sample_weight", "w"].contains($0.lowercased()) }
        let predictionColumns = candidate.header.filter { $0 != (modelId ?? id) }
        let (name, nameSource) = request.name.map { ($0, "--name") } ?? defaultName(request)
        var proposal = Proposal(
            name: name, nameSource: nameSource, task: task, id: id, modelId: modelId, label: label, positive: nil,
            weight: weight, score: nil, scores: nil, prediction: nil, slices: [], rows: golden.rowCount,
            mainMetric: "auc")
        switch task {
        case .binary:
            try proposeBinary(&proposal, request, labels: labels, candidate: candidate, columns: predictionColumns)
        case .regression:
            proposal.score = try pick(
                request.score, among: predictionColumns.filter { isNumeric(candidate, $0) }, preferred: isScoreName,
                what: "prediction column", flag: "--score", file: request.candidate,
                needs: "a numeric column of predicted values")
            proposal.mainMetric = "r2"
        case .multiclass:
            try proposeMulticlass(&proposal, request, labels: labels, candidate: candidate, columns: predictionColumns)
        }
        let used = Set([id, label, weight].compactMap { $0 })
        for column in request.skipColumns + (request.onlyColumns ?? []) {
            try require(column, in: golden, file: request.dataset)
        }
        let sliceable = golden.header.filter { column in
            !used.contains(column) && !candidate.header.contains(column) && !request.skipColumns.contains(column)
                && (request.onlyColumns?.contains(column) ?? true)
        }
        proposal.slices = slices(golden, columns: sliceable)
        return proposal
    }

    /// The dataset's id column, and the predictions' when it has another
    /// name there (found by its values: most of them are golden ids).
    static func ids(
        _ request: Request, golden: Table, candidate: Table
    ) throws(EvalGateError) -> (id: String, modelId: String?) {
        let shared = golden.header.filter { candidate.header.contains($0) && isUnique(golden, $0) }
        if request.predictionsId == nil, request.id.map(candidate.hasColumn) ?? !shared.isEmpty {
            let id = try pick(
                request.id, among: shared, preferred: { isIDName($0) }, what: "id column", flag: "--id",
                file: request.dataset, needs: "a column with a unique value per row that is in both files")
            return (id, nil)
        }
        let id = try pick(
            request.id, among: golden.header.filter { isUnique(golden, $0) }, preferred: { isIDName($0) },
            what: "id column", flag: "--id", file: request.dataset, needs: "a column with a unique value per row")
        try require(id, in: golden, file: request.dataset)
        if let given = request.predictionsId {
            try require(given, in: candidate, file: request.candidate)
            return (id, given == id ? nil : given)
        }
        let goldenIds = Set(golden.categories(id).values)
        let matching = candidate.header.filter { column in
            let values = candidate.categories(column).values.prefix(200)
            return !values.isEmpty && values.filter(goldenIds.contains).count * 10 >= values.count * 9
        }
        let modelId = try pick(
            nil, among: matching, preferred: { isIDName($0) }, what: "id column", flag: "--predictions-id",
            file: request.candidate,
            needs: "no column of the predictions holds the values of the dataset's id column \(quote(id))")
        return (id, modelId)
    }

    /// A binary gate: the positive label value and a probability column.
    private static func proposeBinary(
        _ proposal: inout Proposal, _ request: Request, labels: CategoryColumn, candidate: Table, columns: [String]
    ) throws(EvalGateError) {
        let values = Set(labels.values)
        guard values.count <= 2 else {
            throw .usage(
                """
                \(request.dataset): label column \(quote(proposal.label)) holds \(values.count) values, so it is \
                not binary; pass --task multiclass or --label
                """
            )
        }
        if let positive = request.positive {
            proposal.positive = positive
        } else {
            proposal.positive = try positiveValue(values, label: proposal.label, file: request.dataset)
        }
        proposal.score = try pick(
            request.score, among: columns.filter { isProbability(candidate, $0) }, preferred: isScoreName,
            what: "score column", flag: "--score", file: request.candidate,
            needs: "a numeric column of probabilities in [0, 1]")
        proposal.mainMetric = "auc"
    }

    /// A multiclass gate: one probability column per class, or a column
    /// of predicted classes.
    private static func proposeMulticlass(
        _ proposal: inout Proposal, _ request: Request, labels: CategoryColumn, candidate: Table, columns: [String]
    ) throws(EvalGateError) {
        let classes = labels.values.sorted()
        let perClass = classes.compactMap { c in classColumn(c, among: columns).map { (label: c, column: $0) } }
        if let score = request.score {
            try require(score, in: candidate, file: request.candidate)
            proposal.prediction = score
        } else if perClass.count == classes.count {
            proposal.scores = perClass
        } else {
            proposal.prediction = try pick(
                nil,
                among: columns.filter { column in Set(candidate.categories(column).values).isSubset(of: Set(classes)) },
                preferred: isScoreName, what: "prediction column", flag: "--score", file: request.candidate,
                needs:
                    """
                    one probability column per class (\(classes.prefix(5).joined(separator: ", "))) or a \
                    column of predicted classes
                    """
            )
        }
        proposal.mainMetric = proposal.scores == nil ? "accuracy" : "macro_f1"
    }

    /// One of `among` (all preferred ones, if several), or the override; an
    /// ambiguous or empty choice is an error naming the flag.
    static func pick(
        _ override: String?, among candidates: [String], preferred: (String) -> Bool, what: String, flag: String,
        file: String, needs: String
    ) throws(EvalGateError) -> String {
        if let override { return override }
        let best = candidates.filter(preferred)
        let choice = best.isEmpty ? candidates : best
        guard choice.count == 1 else {
            if choice.isEmpty {
                throw .usage("\(file): no \(what) found (\(needs)); name it with \(flag) COLUMN")
            }
            throw .usage(
                """
                \(file): the \(what) is ambiguous: \(choice.map { "\(quote($0))" }.joined(separator: ", ")) all \
                fit; choose one with \(flag) COLUMN
                """
            )
        }
        return choice[0]
    }

    static func require(_ column: String, in table: Table, file: String) throws(EvalGateError) {
        guard table.hasColumn(column) else {
            throw .usage(
                """
                \(file): column \(quote(column)) not found.\(didYouMean(column, among: table.header)) The file \
                has: \(table.header.prefix(20).joined(separator: ", "))
                """
            )
        }
    }

    static func isIDName(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "id" || n == "key" || n == "uuid" || n.hasSuffix("_id") || n.hasSuffix("id") && n.count <= 12
    }

    static func isLabelName(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["label", "labels", "y", "target", "class", "outcome", "truth", "ground_truth", "actual"].contains(n)
            || n.hasPrefix("is_") || n.hasPrefix("has_") || n.hasSuffix("_label") || n.hasSuffix("_target")
    }

    static func isScoreName(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["score", "scores", "prob", "proba", "probability", "prediction", "pred", "y_pred", "y_score", "yhat"]
            .contains(n)
            || n.hasPrefix("p_") || n.hasPrefix("prob_") || n.hasPrefix("score_")
    }

    static func isUnique(_ table: Table, _ column: String) -> Bool {
        let categories = table.categories(column)
        return categories.values.count == table.rowCount && !categories.codes.contains(-1)
    }

    /// The column's numbers (NaN where missing) when every present value is
    /// a number and at least one is present; nil otherwise.
    static func numbers(_ table: Table, _ column: String) -> [Double]? {
        let numbers = table.numbers(column)
        return numbers.firstInvalid == nil && numbers.missingCount < table.rowCount ? numbers.values : nil
    }

    static func isNumeric(_ table: Table, _ column: String) -> Bool { numbers(table, column) != nil }

    static func isProbability(_ table: Table, _ column: String) -> Bool {
        numbers(table, column)?.allSatisfy { $0.isNaN || (0...1).contains($0) } ?? false
    }

    static func guessTask(_ table: Table, _ label: String) -> ModelTask {
        let categories = table.categories(label)
        if categories.values.count <= 2 { return .binary }
        let numbers = table.numbers(label)
        let integral = numbers.values.allSatisfy { $0.isNaN || $0 == $0.rounded() }
        if numbers.firstInvalid == nil, !integral || categories.values.count > 20 { return .regression }
        return .multiclass
    }

    static func positiveValue(_ values: Set<String>, label: String, file: String) throws(EvalGateError) -> String {
        for candidate in ["1", "true", "yes", "True", "Yes", "TRUE", "YES", "1.0"] where values.contains(candidate) {
            return candidate
        }
        if values.count == 1, let only = values.first { return only }
        throw .usage(
            """
            \(file): which value of \(quote(label)) is positive: \
            \(values.sorted().map { "\(quote($0))" }.joined(separator: " or "))? Say it with --positive VALUE
            """
        )
    }

    /// A probability column for class `c`: `c`, `p_c`, `prob_c`, `proba_c`, `score_c`, `c_prob`, ...
    static func classColumn(_ c: String, among columns: [String]) -> String? {
        let names = [c, "p_\(c)", "prob_\(c)", "proba_\(c)", "score_\(c)", "\(c)_prob", "\(c)_proba", "\(c)_score"].map
        { $0.lowercased() }
        return columns.first { names.contains($0.lowercased()) }
    }

    /// `by` for text columns of 2 to 20 values; quartile `bins` (rounded to
    /// two significant digits) for numeric columns of more than 20 values.
    /// Slice names are unique: a `_band` that is taken (a column `ink` beside
    /// `ink_band`) becomes `_bins`, then gets a number.
    static func slices(_ table: Table, columns: [String]) -> [String] {
        var categorical: [(String) -> String] = []
        var numeric: [(String) -> String] = []
        var wanted: [(isBand: Bool, name: String)] = []
        for column in columns {
            let categories = table.categories(column)
            let distinct = categories.values.count
            if distinct > 20, let numbers = numbers(table, column) {
                let values = numbers.filter { !$0.isNaN }.sorted()
                var edges: [Double] = []
                for q in [0.25, 0.5, 0.75] {
                    let edge = roundToTwoDigits(values[Int(Double(values.count - 1) * q)])
                    if edges.last.map({ edge > $0 }) ?? true, edge > values.first!, edge <= values.last! {
                        edges.append(edge)
                    }
                }
                if !edges.isEmpty {
                    numeric.append { name in
                        """
                          - {name: \(yamlKey(name)), by: \(yamlKey(column)), bins: \
                        [\(edges.map(formatNumber).joined(separator: ", "))]}
                        """
                    }
                    wanted.append((true, sliceName(column)))
                }
            } else if (2...20).contains(distinct) {
                categorical.append { name in "  - {name: \(yamlKey(name)), by: \(yamlKey(column))}" }
                wanted.append((false, sliceName(column)))
            }
        }
        // Categorical first, then numeric, at most 8; names given in that order.
        let chosen = Array((categorical.indices.map { (false, $0) } + numeric.indices.map { (true, $0) }).prefix(8))
        var taken: Set<String> = ["overall"]
        var names = wanted.filter { !$0.isBand }.map(\.name) + wanted.filter(\.isBand).map(\.name)
        for (i, (isBand, _)) in chosen.enumerated() {
            let base = names[i]
            let options = isBand ? [base + "_band", base + "_bins"] : [base]
            var name = options.first { !taken.contains($0) } ?? options[0]
            var n = 2
            while taken.contains(name) {
                name = "\(options[0])_\(n)"
                n += 1
            }
            taken.insert(name)
            names[i] = name
        }
        return chosen.enumerated().map { i, pick in
            pick.0 ? numeric[pick.1](names[i]) : categorical[pick.1](names[i])
        }
    }

    /// Two significant digits, as the decimal a person would write: 0.086,
    /// not the 0.08600000000000001 that scaling by a power of ten gives.
    static func roundToTwoDigits(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        return Double(String(format: "%.2g", x)) ?? x
    }

    static func sliceName(_ column: String) -> String {
        let cleaned = String(column.map { isNameCharacter($0) ? $0 : "_" })
        return cleaned.isEmpty ? "slice" : cleaned
    }

    /// A column name as a YAML scalar: plain when safe, quoted otherwise.
    static func yamlKey(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.allSatisfy { isNameCharacter($0) || $0 == "/" }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
            && Double(text) == nil
        return plain
            ? text
            : "\"\(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    }

    /// The gate's name, from the data: the dataset file's stem, or its
    /// folder's name when the stem says nothing ("golden", "test", ...).
    package static func defaultName(_ request: Request) -> (name: String, source: String) {
        if request.outGiven, !request.out.isEmpty {
            let stem = ((request.out as NSString).lastPathComponent as NSString).deletingPathExtension
            if !["", "gate", "evalgate", "model"].contains(stem) { return (sliceName(stem), "--out") }
        }
        let path = Pipeline.normalized(
            request.dataset.hasPrefix("/")
                ? request.dataset : FileManager.default.currentDirectoryPath + "/" + request.dataset)
        var stem = (path as NSString).lastPathComponent
        for suffix in [".gz", ".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".txt", ".parquet", ".pq"]
        where stem.hasSuffix(suffix) {
            stem.removeLast(suffix.count)
        }
        let generic = [
            "golden", "gold", "dataset", "data", "test", "eval", "evaluation", "holdout", "validation", "labels",
            "ground_truth", "truth", "input", "examples",
        ]
        var words = stem.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        words.removeAll { generic.contains($0.lowercased()) || $0.lowercased() == "set" }
        if words.contains(where: { $0.contains { $0.isLetter } }) {
            return (sliceName(words.joined(separator: "_")), "the dataset file's name")
        }
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let name = folder.isEmpty || folder == "/" ? stem : folder
        return (sliceName(name), "the dataset's folder")
    }

    // MARK: - Writing

    /// What init measured on the data and chose from it: the floor under
    /// the main metric, and statistics where slices are small.
    package struct Tuning {
        /// The main metric's minimum overall, and the candidate's value today.
        package var floor: (limit: Double, today: Double)?
        /// Bootstrap resamples, when slices are small enough that a change
        /// rule would block on noise.
        package var bootstrap: Int?
        /// Why statistics are on, and what they cost (comment lines).
        package var statisticsComment: [String] = []
        /// Why statistics are on, in a few words.
        package var statisticsReason = ""

        package init() {}
    }

    /// The gate file's text.
    package static func render(_ p: Proposal, request: Request, tuning: Tuning) -> String {
        let base = (request.out as NSString).deletingLastPathComponent
        func path(_ file: String) -> String { relativePath(file, from: base) }
        var lines: [String] = [
            "# Gate file written by `evalgate init`: read it, adjust the limits, commit it.",
            "# Reference: docs/reference.md in the evalgate repository.",
            "version: 1",
            "name: \(p.name)",
            "task: \(p.task.rawValue)",
            "dataset:",
            "  path: \(yamlKey(path(request.dataset)))",
            "  id: \(yamlKey(p.id))",
            "  label: \(yamlKey(p.label))",
        ]
        if let positive = p.positive { lines.append("  positive: \"\(positive)\"") }
        if let weight = p.weight { lines.append("  weight: \(yamlKey(weight))   # metrics are weighted by it") }
        lines.append("  # sha256: pin the golden set with the output of 'sha256sum \(path(request.dataset))'")
        lines.append("models:")
        lines += modelLines("candidate", path(request.candidate), p)
        if let champion = request.champion { lines += modelLines("champion", path(champion), p) }
        lines.append("# Slices with fewer rows are reported too_small and never gate (1% of the rows, 10 to 200).")
        lines.append("min_slice_size: \(minSliceSize(rows: p.rows))")
        if p.slices.isEmpty {
            lines.append("slices: []   # add {name: NAME, by: COLUMN} or {name: NAME, where: 'EXPRESSION'}")
        } else {
            lines.append("slices:")
            lines += p.slices
        }
        lines += checkLines(p, hasChampion: request.champion != nil, floor: tuning.floor)
        if let bootstrap = tuning.bootstrap {
            lines += tuning.statisticsComment.map { "# \($0)" }
            lines.append("statistics: {bootstrap: \(bootstrap), seed: 7, fail_on: significant, correction: holm}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    package static func minSliceSize(rows: Int) -> Int { max(10, min(200, rows / 100)) }

    /// A model's entry under `models:`.
    private static func modelLines(_ role: String, _ path: String, _ p: Proposal) -> [String] {
        var lines = ["  \(role):", "    path: \(yamlKey(path))"]
        if let id = p.modelId { lines.append("    id: \(yamlKey(id))   # the id column of this file") }
        if let score = p.score { lines.append("    score: \(yamlKey(score))") }
        if let scores = p.scores {
            let pairs = scores.map { "\(yamlKey($0.label)): \(yamlKey($0.column))" }
            lines.append("    scores: {\(pairs.joined(separator: ", "))}")
        }
        if let prediction = p.prediction { lines.append("    prediction: \(yamlKey(prediction))") }
        return lines
    }

    /// The change rules init proposes: absolute (`max_drop`), never a
    /// percentage, since a share of a value near zero means nothing.
    package static func changeRules(_ p: Proposal) -> [(metric: String, maxDrop: Double)] {
        switch p.task {
        case .binary: [("auc", 0.02), ("recall", 0.05)]
        case .multiclass: [(p.mainMetric, 0.02)]
        case .regression: [("r2", 0.05)]
        }
    }

    /// A floor on the main metric overall, and with a champion the change
    /// rules on every slice.
    private static func checkLines(_ p: Proposal, hasChampion: Bool, floor: (limit: Double, today: Double)?) -> [String]
    {
        var lines = ["checks:"]
        if let floor {
            lines.append(
                """
                  # A floor on \(p.mainMetric) over all rows: the candidate scores \
                \(formatForPeople(floor.today)) today.
                """
            )
        } else {
            lines.append("  # A floor on \(p.mainMetric) over all rows: set it below what the model scores today.")
        }
        lines.append("  - {metric: \(p.mainMetric), slices: [overall], min: \(formatNumber(floor?.limit ?? 0))}")
        let rules = changeRules(p)
        if hasChampion {
            let shown = rules.map { "\(formatNumber($0.maxDrop)) of \($0.metric)" }.joined(separator: " and ")
            lines.append("  # On every slice the candidate may lose at most \(shown) against the champion.")
            for rule in rules {
                lines.append("  - {metric: \(rule.metric), slices: [\"*\"], max_drop: \(formatNumber(rule.maxDrop))}")
            }
        } else {
            let rule = rules[0]
            lines.append(
                """
                  # With a champion (--champion), add: - {metric: \(rule.metric), slices: ["*"], max_drop: \
                \(formatNumber(rule.maxDrop))}
                """
            )
        }
        return lines
    }

    /// `file` relative to the folder `base` (both relative to the working
    /// directory or absolute), as the gate file must name it.
    static func relativePath(_ file: String, from base: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> [Substring] {
            Pipeline.normalized(p.hasPrefix("/") ? p : "\(cwd)/\(p.isEmpty ? "." : p)").split(separator: "/")
        }
        let target = absolute(file)
        let origin = absolute(base)
        var common = 0
        while common < min(target.count, origin.count), target[common] == origin[common] { common += 1 }
        let ups = Array(repeating: "..", count: origin.count - common)
        return (ups + target[common...].map(String.init)).joined(separator: "/")
    }
}

extension GateScaffold {
    /// The floor for a higher-is-better metric: 0.02 below today's value,
    /// rounded down to two decimals (0.9731 -> 0.95).
    package static func floor(below today: Double) -> Double {
        (((today - 0.02) * 100).rounded(.down)) / 100
    }
}
