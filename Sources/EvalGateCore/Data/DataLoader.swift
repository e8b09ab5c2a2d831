/// Loads the golden set and the predictions, checks the dataset pin, joins the
/// predictions to the golden rows by id and validates every value (SPEC.md
/// section 4). Every violation is a data error (exit 3) naming the file, the
/// row (line and id) and the column, and how to fix it.
package enum DataLoader {
    package struct Files: Sendable {
        package var dataset: InputFile
        package var candidate: InputFile?
        package var champion: InputFile?
        /// The drift reference, when the gate has a `drift:` section.
        package var reference: InputFile?

        package init(dataset: InputFile, candidate: InputFile?, champion: InputFile?, reference: InputFile? = nil) {
            self.dataset = dataset
            self.candidate = candidate
            self.champion = champion
            self.reference = reference
        }

        /// Every file the run reads, with its role.
        package var all: [(role: String, file: InputFile)] {
            [("dataset", dataset)]
                + [("candidate", candidate), ("champion", champion), ("reference", reference)]
                .compactMap { role, file in file.map { (role, $0) } }
        }
    }

    package static func load(_ contract: Contract, files: Files, jobs: Int = 1) throws(EvalGateError) -> EvaluationData
    {
        let spec = contract.dataset
        // Read the three files concurrently: most of the time is spent here.
        let roles: [(String, InputFile?, [String])] = [
            ("dataset", files.dataset, datasetColumns(contract)),
            (
                "candidate", files.candidate,
                files.candidate.map { _ in [spec.id] + modelColumns(contract.candidate) } ?? []
            ),
            (
                "champion", files.champion,
                files.champion.map { _ in [spec.id] + modelColumns(contract.champion ?? contract.candidate) } ?? []
            ),
        ]
        let kindOf = columnKinds(contract)
        var clock = StageClock()
        // Each task also hashes and sorts its file's ids for the join. What
        // is no longer needed is dropped as soon as it is not, so that the
        // freed memory serves the next stage.
        var loaded = parallelMap(roles, jobs: min(3, jobs)) {
            (role, file, columns) -> Result<(Table, String, KeyedRows)?, EvalGateError> in
            guard let file else { return .success(nil) }
            do throws(EvalGateError) {
                let kinds = columns.map { column in
                    role == "dataset" ? kindOf.dataset[column] ?? .text : kindOf.predictions[column] ?? .text
                }
                let (table, sha) = try file.loadHashed(columns: columns, kinds: kinds, jobs: jobs, profile: role)
                var fileClock = StageClock()
                let keys = KeyedRows(table, column: spec.id)
                fileClock.lap("\(role): key")
                return .success((table, sha, keys))
            } catch {
                return .failure(error)
            }
        }
        let datasetTable: Table
        let datasetSha: String
        var datasetKeys: KeyedRows?
        switch loaded[0] {
        case .success(let value?): (datasetTable, datasetSha, datasetKeys) = value
        case .success(nil): throw .data(file: files.dataset.displayPath, message: "could not be loaded")
        case .failure(let error): throw error
        }
        clock.lap("read, parse and key the files")
        if datasetTable.rowCount == 0 {
            throw .data(
                file: files.dataset.displayPath,
                message: "the golden dataset has a header but no rows; a gate needs data to score")
        }
        if let pin = spec.sha256, pin != datasetSha {
            throw .data(
                file: files.dataset.displayPath,
                message:
                    """
                    sha256 is \(datasetSha) but the gate file pins \(pin) (dataset.sha256); the golden set \
                    changed: restore it or update the pin
                    """
            )
        }
        var inputs = [
            InputSummary(
                role: "dataset", path: files.dataset.displayPath, sha256: datasetSha, rows: datasetTable.rowCount)
        ]
        let ids = try uniqueIds(datasetKeys!)
        clock.lap("check golden ids")

        // Join both prediction files to the golden ids concurrently.
        let predictionFiles = Array(loaded[1...])
        loaded = []
        datasetKeys = nil
        var joined = parallelMap([0, 1], jobs: min(2, jobs)) {
            index -> Result<(Table, String, [Int32])?, EvalGateError> in
            switch predictionFiles[index] {
            case .failure(let error): return .failure(error)
            case .success(nil): return .success(nil)
            case .success(let (table, sha, keys)?):
                do throws(EvalGateError) {
                    return .success((table, sha, try join(keys, to: ids, dataset: datasetTable)))
                } catch {
                    return .failure(error)
                }
            }
        }
        var sources: [(Table, [Int32]?)?] = []
        for (result, role) in zip(joined, ["candidate", "champion"]) {
            switch result {
            case .failure(let error): throw error
            case .success(nil): sources.append(nil)
            case .success(let (table, sha, rowOf)?):
                inputs.append(InputSummary(role: role, path: table.file, sha256: sha, rows: table.rowCount))
                sources.append((table, rowOf))
            }
        }
        joined = []
        clock.lap("join predictions")
        let weights = try spec.weight.map { (column) throws(EvalGateError) in
            try readWeights(datasetTable, column: column, idColumn: spec.id)
        }
        clock.lap("weights")
        var labels = try readLabels(contract, table: datasetTable)
        // Predicted classes outside the label set extend the class list.
        var classes: [String] = []
        if case .multiclass(_, let labelClasses) = labels { classes = labelClasses }
        let models =
            [contract.candidate]
            + (contract.champion != nil || sources[1] != nil ? [contract.champion ?? contract.candidate] : [])
        var predictions: [EvaluationData.Predictions] = []
        if contract.task == .multiclass {
            // In order: the champion's unseen classes follow the candidate's.
            for (index, model) in models.enumerated() {
                predictions.append(
                    try readPredictions(
                        contract, model: model, source: sources[index] ?? (datasetTable, nil),
                        rowCount: datasetTable.rowCount, classes: &classes))
                sources[index] = nil
            }
        } else {
            // Scores do not touch the class list: both models at once.
            let inputs = models.indices.map { (model: models[$0], source: sources[$0] ?? (datasetTable, nil)) }
            sources = []
            let rowCount = datasetTable.rowCount
            let read = parallelMap(inputs, jobs: min(2, jobs)) {
                input -> Result<EvaluationData.Predictions, EvalGateError> in
                var unused: [String] = []
                do throws(EvalGateError) {
                    return .success(
                        try readPredictions(
                            contract, model: input.model, source: input.source, rowCount: rowCount, classes: &unused))
                } catch {
                    return .failure(error)
                }
            }
            for result in read {
                switch result {
                case .success(let values): predictions.append(values)
                case .failure(let error): throw error
                }
            }
        }
        let candidate = predictions[0]
        let champion = predictions.count > 1 ? predictions[1] : nil
        sources = []
        if case .multiclass(let codes, _) = labels { labels = .multiclass(codes, classes: classes) }
        // Type the slice columns now; the tables and their bytes go when this returns.
        let columns = SliceColumns(table: datasetTable, uses: SliceColumnUse.of(contract.slices), jobs: jobs)
        clock.lap("labels, predictions and slice columns")
        var data = EvaluationData(
            rowCount: datasetTable.rowCount, columns: columns, weights: weights, labels: labels,
            candidate: candidate, champion: champion, inputs: inputs)
        data.driftColumns = contract.drift?.columns.map(datasetTable.categories) ?? []
        return data
    }

    // MARK: - Columns

    static func datasetColumns(_ contract: Contract) -> [String] {
        var columns = [contract.dataset.id, contract.dataset.label]
        if let weight = contract.dataset.weight { columns.append(weight) }
        for slice in contract.slices {
            switch slice {
            case .filter(_, let expression): columns += expression.columns
            case .by(_, let by): columns += by
            case .bins(_, let column, _): columns.append(column)
            }
        }
        if contract.candidate.path == nil { columns += modelColumns(contract.candidate) }
        if let champion = contract.champion, champion.path == nil { columns += modelColumns(champion) }
        columns += contract.drift?.columns ?? []
        var unique: [String] = []
        for column in columns where !unique.contains(column) { unique.append(column) }
        return unique
    }

    /// How each column is read: typed while parsing when it is only ever
    /// read one way (numbers or categories); the id column, and a column
    /// read both ways, keep their text.
    static func columnKinds(_ contract: Contract) -> (dataset: [String: ColumnKind], predictions: [String: ColumnKind])
    {
        var dataset: [String: Set<ColumnKind>] = [:]
        var predictions: [String: Set<ColumnKind>] = [:]
        func modelKinds(_ model: ModelSpec, into wanted: inout [String: Set<ColumnKind>]) {
            if let score = model.score { wanted[score, default: []].insert(.number) }
            for pair in model.scores ?? [] { wanted[pair.column, default: []].insert(.number) }
            if let prediction = model.prediction { wanted[prediction, default: []].insert(.category) }
        }
        let spec = contract.dataset
        dataset[spec.label, default: []].insert(contract.task == .regression ? .number : .category)
        if let weight = spec.weight { dataset[weight, default: []].insert(.number) }
        for use in SliceColumnUse.of(contract.slices) {
            dataset[use.column, default: []].insert(use.numeric ? .number : .category)
        }
        // Drift columns are binned by their distinct values (text or numbers).
        for column in contract.drift?.columns ?? [] { dataset[column, default: []].insert(.category) }
        for model in [contract.candidate] + (contract.champion.map { [$0] } ?? []) {
            if model.path == nil { modelKinds(model, into: &dataset) } else { modelKinds(model, into: &predictions) }
        }
        dataset[spec.id, default: []].insert(.text)
        predictions[spec.id, default: []].insert(.text)
        func resolve(_ wanted: [String: Set<ColumnKind>]) -> [String: ColumnKind] {
            wanted.mapValues { kinds in kinds.count == 1 ? kinds.first! : .text }
        }
        return (resolve(dataset), resolve(predictions))
    }

    static func modelColumns(_ model: ModelSpec) -> [String] {
        if let score = model.score { return [score] }
        if let scores = model.scores { return scores.map(\.column) }
        return model.prediction.map { [$0] } ?? []
    }

    // MARK: - Ids and the join

    /// Every row has an id and no id repeats; `fix` ends the messages.
    private static func checkKeys(_ keyed: KeyedRows, missingFix: String, repeatFix: String) throws(EvalGateError) {
        let table = keyed.table
        if let row = keyed.firstMissing {
            throw .data(
                file: table.file,
                message:
                    """
                    \(table.lineDescription(row: row)) has no value in the id column \(quote(keyed.column)); \
                    \(missingFix)
                    """
            )
        }
        let repeated = keyed.repeatedRows()
        if !repeated.isEmpty {
            throw .data(
                file: table.file,
                message:
                    """
                    \(repeated.count) rows repeat an id already used in column \(quote(keyed.column)) (first: \
                    \(quoted(repeated.prefix(5).map(keyed.text)))); \(repeatFix)
                    """
            )
        }
    }

    /// Dataset ids; every row must have one and no id may repeat.
    static func uniqueIds(_ keyed: KeyedRows) throws(EvalGateError) -> KeyedRows {
        try checkKeys(keyed, missingFix: "every row needs a unique id", repeatFix: "ids must be unique")
        return keyed
    }

    /// For each dataset row, the predictions row holding its id. Extra ids,
    /// repeated ids and missing ids are data errors naming the count and the
    /// first five ids.
    static func join(_ keyed: KeyedRows, to ids: KeyedRows, dataset: Table) throws(EvalGateError) -> [Int32] {
        let table = keyed.table
        try checkKeys(
            keyed, missingFix: "every prediction needs the id of its golden row",
            repeatFix: "each golden id needs exactly one prediction")
        let (rowOf, unknown) = keyed.match(ids, goldenRows: dataset.rowCount)
        if !unknown.isEmpty {
            throw .data(
                file: table.file,
                message:
                    """
                    \(unknown.count) ids are not in the golden dataset \(dataset.file) (first: \
                    \(quoted(unknown.prefix(5).map(keyed.text)))); predict exactly the golden set's rows
                    """
            )
        }
        let missing = rowOf.indices.filter { rowOf[$0] < 0 }
        if !missing.isEmpty {
            let first = missing.prefix(5).map(ids.text)
            throw .data(
                file: table.file,
                message:
                    """
                    \(missing.count) golden ids have no prediction (first: \(quoted(first))); predict every row \
                    of \(dataset.file)
                    """
            )
        }
        return rowOf
    }

    // MARK: - Values

    private static func readWeights(_ table: Table, column: String, idColumn: String) throws(EvalGateError) -> [Double]
    {
        let numbers = table.numbers(column)
        if let row = numbers.firstInvalid ?? numbers.firstMissing {
            throw valueError(
                table, row: row, column: column, idColumn: idColumn, "the weight must be a finite number of 0 or more")
        }
        if let row = numbers.values.firstIndex(where: { $0 < 0 }) {
            throw valueError(table, row: row, column: column, idColumn: idColumn, "the weight must be 0 or more")
        }
        return numbers.values
    }

    private static func readLabels(_ contract: Contract, table: Table) throws(EvalGateError) -> EvaluationData.Labels {
        let column = contract.dataset.label
        let idColumn = contract.dataset.id
        switch contract.task {
        case .regression:
            let numbers = table.numbers(column)
            if let row = numbers.firstInvalid ?? numbers.firstMissing {
                throw valueError(
                    table, row: row, column: column, idColumn: idColumn, "a regression label must be a finite number")
            }
            return .regression(numbers.values)
        case .binary:
            let categories = table.categories(column)
            if let row = categories.codes.firstIndex(of: -1) {
                throw valueError(table, row: row, column: column, idColumn: idColumn, "every row needs a label")
            }
            if categories.values.count > 2 {
                let row = categories.codes.firstIndex(of: 2)!
                throw valueError(
                    table, row: row, column: column, idColumn: idColumn,
                    """
                    a binary label column holds at most two values, and this is a third after \
                    \(quoted(Array(categories.values.prefix(2)))); fix the label or use task: multiclass
                    """
                )
            }
            let positives = categories.values.map { isPositive($0, declared: contract.dataset.positive) }
            if categories.values.count == 2, positives == [false, false] {
                let fix =
                    contract.dataset.positive.map {
                        "neither is the positive value \(quote($0)); set dataset.positive to one of them"
                    }
                    ?? "set dataset.positive to the one that means positive"
                throw .data(
                    file: table.file,
                    message: "label column \(quote(column)) holds \(quoted(categories.values)): \(fix)")
            }
            if positives == [true, true] {
                throw .data(
                    file: table.file,
                    message:
                        """
                        label column \(quote(column)) holds \(quoted(categories.values)), which both look \
                        positive; set dataset.positive to one of them
                        """
                )
            }
            let lookup = positives.map { UInt8($0 ? 1 : 0) }
            return .binary(categories.codes.map { lookup[Int($0)] })
        case .multiclass:
            let categories = table.categories(column)
            if let row = categories.codes.firstIndex(of: -1) {
                throw valueError(table, row: row, column: column, idColumn: idColumn, "every row needs a label")
            }
            if let scores = contract.candidate.scores {
                let classes = scores.map(\.label)
                var mapping: [Int32] = []
                for value in categories.values {
                    guard let index = classes.firstIndex(where: { sameValue($0, value) }) else {
                        let row = categories.codes.firstIndex(of: Int32(mapping.count))!
                        throw valueError(
                            table, row: row, column: column, idColumn: idColumn,
                            """
                            label \(quote(value)) is not one of the classes in models.candidate.scores \
                            (\(classes.joined(separator: ", "))); add a probability column for it
                            """
                        )
                    }
                    mapping.append(Int32(index))
                }
                return .multiclass(categories.codes.map { mapping[Int($0)] }, classes: classes)
            }
            return .multiclass(categories.codes, classes: categories.values)
        }
    }

    private static func readPredictions(
        _ contract: Contract, model: ModelSpec, source: (Table, [Int32]?), rowCount n: Int, classes: inout [String]
    ) throws(EvalGateError) -> EvaluationData.Predictions {
        let (table, rowOf) = source
        let idColumn = contract.dataset.id
        func aligned<T>(_ values: [T]) -> [T] {
            guard let rowOf else { return values }
            return (0..<n).map { values[Int(rowOf[$0])] }
        }
        func scoreColumn(_ column: String, what: String) throws(EvalGateError) -> [Double] {
            let numbers = table.numbers(column)
            if let row = numbers.firstInvalid ?? numbers.firstMissing {
                throw valueError(table, row: row, column: column, idColumn: idColumn, "\(what) must be a finite number")
            }
            return aligned(numbers.values)
        }
        switch contract.task {
        case .regression:
            return .scores(try scoreColumn(model.score!, what: "the prediction"))
        case .binary:
            let column = model.score!
            let scores = try scoreColumn(column, what: "the score")
            if let row = scores.firstIndex(where: { !(0...1).contains($0) }) {
                throw valueError(
                    table, row: rowOf.map { Int($0[row]) } ?? row, column: column, idColumn: idColumn,
                    "a binary score is P(positive) and must be in [0, 1]")
            }
            return .scores(scores)
        case .multiclass:
            if let scores = model.scores {
                let modelClasses = scores.map(\.label)
                guard modelClasses == classes else {
                    throw .data(
                        file: table.file,
                        message:
                            """
                            the champion's scores name classes \(modelClasses.joined(separator: ", ")) but the \
                            candidate's name \(classes.joined(separator: ", ")); list the same classes in the \
                            same order
                            """
                    )
                }
                let probabilities = try scores.map { (pair) throws(EvalGateError) in
                    try scoreColumn(pair.column, what: "a class probability")
                }
                var predicted = [Int32](repeating: 0, count: n)
                for row in 0..<n {
                    var sum = 0.0
                    var best = 0
                    for k in 0..<probabilities.count {
                        let p = probabilities[k][row]
                        if !(0...1).contains(p) {
                            throw valueError(
                                table, row: rowOf.map { Int($0[row]) } ?? row, column: scores[k].column,
                                idColumn: idColumn, "a class probability must be in [0, 1]")
                        }
                        sum += p
                        // First class in file order wins ties.
                        if p > probabilities[best][row] { best = k }
                    }
                    if abs(sum - 1) > 1e-6 {
                        throw valueError(
                            table, row: rowOf.map { Int($0[row]) } ?? row,
                            column: scores.map(\.column).joined(separator: "+"), idColumn: idColumn,
                            "the class probabilities sum to \(formatNumber(sum)), not 1 (within 1e-6); normalise them")
                    }
                    predicted[row] = Int32(best)
                }
                return .classes(predicted, probabilities: probabilities)
            }
            let column = model.prediction!
            let categories = table.categories(column)
            if let row = categories.codes.firstIndex(of: -1) {
                throw valueError(
                    table, row: row, column: column, idColumn: idColumn, "every row needs a predicted class")
            }
            // Map prediction texts onto known classes; unseen ones get new indices.
            let mapping = categories.values.map { value -> Int32 in
                if let index = classes.firstIndex(where: { sameValue($0, value) }) { return Int32(index) }
                classes.append(value)
                return Int32(classes.count - 1)
            }
            return .classes(aligned(categories.codes.map { mapping[Int($0)] }), probabilities: nil)
        }
    }

    // MARK: - Messages

    private static func valueError(
        _ table: Table, row: Int, column: String, idColumn: String, _ rule: String
    ) -> EvalGateError {
        let value = table.hasColumn(column) ? table.text(column, row: row) : nil
        let shown = value.map(quote) ?? (table.hasColumn(column) ? "a missing value" : "this row")
        let id = table.text(idColumn, row: row).map { " (id \(quote($0)))" } ?? ""
        return .data(
            file: table.file,
            message: "\(table.lineDescription(row: row))\(id), column \(quote(column)): \(shown) is not valid: \(rule)")
    }

    static func quoted(_ values: [String]) -> String {
        excerpt(values.map(quote).joined(separator: ", "))
    }

    /// Default positive labels when `dataset.positive` is not given.
    static func isPositive(_ value: String, declared: String?) -> Bool {
        if let declared { return sameValue(value, declared) }
        return ["1", "true", "yes"].contains(value.lowercased()) || Double(value) == 1
    }

    /// Label equality: the same text, or the same number ("1" and "1.0").
    static func sameValue(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return x == y
    }
}
