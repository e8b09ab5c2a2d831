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
        package var task: ModelTask
        package var id: String
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
        let shared = golden.header.filter { candidate.header.contains($0) }
        let id = try pick(
            request.id, among: shared.filter { isUnique(golden, $0) }, preferred: { isIDName($0) }, what: "id column",
            flag: "--id", file: request.dataset, needs: "a column with a unique value per row that is in both files")
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
        let predictionColumns = candidate.header.filter { $0 != id }
        var proposal = Proposal(
            name: request.name ?? defaultName(request), task: task, id: id, label: label, positive: nil, weight: weight,
            score: nil, scores: nil, prediction: nil, slices: [], rows: golden.rowCount, mainMetric: "auc")
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
        proposal.slices = slices(
            golden, columns: golden.header.filter { !used.contains($0) && !candidate.header.contains($0) })
        return proposal
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
    static func slices(_ table: Table, columns: [String]) -> [String] {
        var categorical: [String] = []
        var numeric: [String] = []
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
                    numeric.append(
                        """
                          - {name: \(sliceName(column))_band, by: \(yamlKey(column)), bins: \
                        [\(edges.map(formatNumber).joined(separator: ", "))]}
                        """
                    )
                }
            } else if (2...20).contains(distinct) {
                categorical.append("  - {name: \(sliceName(column)), by: \(yamlKey(column))}")
            }
        }
        return Array((categorical + numeric).prefix(8))
    }

    static func roundToTwoDigits(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let scale = pow(10, Foundation.floor(log10(abs(x))) - 1)
        return (x / scale).rounded() * scale
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

    static func defaultName(_ request: Request) -> String {
        let folder = ((request.dataset as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let stem = ((request.out as NSString).lastPathComponent as NSString).deletingPathExtension
        let base = ["", ".", "gate", "evalgate"].contains(stem) ? folder : stem
        let name = sliceName(base.isEmpty || base == "." ? "model" : base)
        return name
    }

    // MARK: - Writing

    /// The gate file's text; `floor` is the main metric's minimum overall
    /// and the candidate's value today.
    package static func render(_ p: Proposal, request: Request, floor: (limit: Double, today: Double)?) -> String {
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
        if let weight = p.weight { lines.append("  weight: \(yamlKey(weight))") }
        lines.append("  # sha256: pin the golden set with the output of 'sha256sum \(path(request.dataset))'")
        lines.append("models:")
        lines += modelLines("candidate", path(request.candidate), p)
        if let champion = request.champion { lines += modelLines("champion", path(champion), p) }
        let minSize = max(10, min(200, p.rows / 100))
        lines.append("# Slices with fewer rows are reported too_small and never gate.")
        lines.append("min_slice_size: \(minSize)")
        if p.slices.isEmpty {
            lines.append("slices: []   # add {name: NAME, by: COLUMN} or {name: NAME, where: 'EXPRESSION'}")
        } else {
            lines.append("slices:")
            lines += p.slices
        }
        lines += checkLines(p, hasChampion: request.champion != nil, floor: floor)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A model's entry under `models:`.
    private static func modelLines(_ role: String, _ path: String, _ p: Proposal) -> [String] {
        var lines = ["  \(role):", "    path: \(yamlKey(path))"]
        if let score = p.score { lines.append("    score: \(yamlKey(score))") }
        if let scores = p.scores {
            let pairs = scores.map { "\(yamlKey($0.label)): \(yamlKey($0.column))" }
            lines.append("    scores: {\(pairs.joined(separator: ", "))}")
        }
        if let prediction = p.prediction { lines.append("    prediction: \(yamlKey(prediction))") }
        return lines
    }

    /// A floor on the main metric overall, and with a champion the change
    /// rules on every slice.
    private static func checkLines(_ p: Proposal, hasChampion: Bool, floor: (limit: Double, today: Double)?) -> [String]
    {
        var lines: [String] = []
        lines.append("checks:")
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
        if hasChampion {
            lines.append("  # The candidate may not lose more than 1% of the champion's \(p.mainMetric) on any slice.")
            lines.append("  - {metric: \(p.mainMetric), slices: [\"*\"], max_drop_pct: 1}")
            if p.task == .binary {
                lines.append("  - {metric: recall, slices: [\"*\"], max_drop_pct: 1}")
            }
        } else {
            lines.append(
                "  # With a champion (--champion), add: - {metric: \(p.mainMetric), slices: [\"*\"], max_drop_pct: 1}")
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
