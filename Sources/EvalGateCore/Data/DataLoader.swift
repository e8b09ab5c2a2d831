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

    /// One file read, hashed, and its ids hashed and sorted for the join.
    typealias LoadedFile = (table: Table, sha256: String, keys: KeyedRows)
    /// A prediction file joined to the golden rows: `rowOf[golden row]`.
    typealias JoinedSource = (table: Table, rowOf: [Int32]?)

    /// Reads the golden set and both prediction files, joins them by id and
    /// types every column the gate reads. What is no longer needed is
    /// dropped as soon as it is not, so that the freed memory serves the
    /// next stage.
    package static func load(_ contract: Contract, files: Files, jobs: Int = 1) throws(EvalGateError) -> EvaluationData
    {
        let spec = contract.dataset
        var inputs: [InputSummary] = []
        let (datasetTable, joined) = try readAndJoin(contract, files: files, inputs: &inputs, jobs: jobs)
        FreedMemory.giveBack(rows: datasetTable.rowCount)
        var sources = joined
        var clock = StageClock()
        for (role, file) in [("dataset", files.dataset), ("candidate", files.candidate), ("champion", files.champion)] {
            if let md5 = file?.dvc?.md5, let i = inputs.firstIndex(where: { $0.role == role }) {
                inputs[i].dvcMD5 = md5
            }
        }
        let weights = try spec.weight.map { (column) throws(EvalGateError) in
            try readWeights(datasetTable, column: column, idColumn: spec.id)
        }
        clock.lap("weights")
        var labels = try readLabels(contract, table: datasetTable)
        // Predicted classes outside the label set extend the class list.
        var classes: [String] = []
        if case .multiclass(_, let labelClasses) = labels { classes = labelClasses }
        let predictions = try readModels(
            contract, sources: &sources, dataset: datasetTable, classes: &classes, jobs: jobs)
        if case .multiclass(let codes, _) = labels { labels = .multiclass(codes, classes: classes) }
        // Type the slice columns now; the tables and their bytes go when this returns.
        let columns = SliceColumns(table: datasetTable, uses: SliceColumnUse.of(contract.slices), jobs: jobs)
        clock.lap("labels, predictions and slice columns")
        var data = EvaluationData(
            rowCount: datasetTable.rowCount, columns: columns, weights: weights, labels: labels,
            candidate: predictions[0], champion: predictions.count > 1 ? predictions[1] : nil, inputs: inputs)
        data.driftColumns = contract.drift?.columns.map(datasetTable.categories) ?? []
        return data
    }

    /// Reads the files, checks the golden ids and joins the predictions
    /// to them. The ids' hashed and sorted entries (16 bytes a row in each
    /// file) are needed only for the join, so they are freed when this
    /// returns, before the columns are typed.
    static func readAndJoin(
        _ contract: Contract, files: Files, inputs: inout [InputSummary], jobs: Int
    ) throws(EvalGateError) -> (Table, [JoinedSource?]) {
        var clock = StageClock()
        let loaded = readFiles(contract, files: files, jobs: jobs)
        // The dataset is never nil: readFiles reads every file it is given.
        let golden = try loaded[0].get()!
        let datasetTable = golden.table
        clock.lap("read, parse and key the files")
        try checkGolden(datasetTable, sha256: golden.sha256, spec: contract.dataset, file: files.dataset)
        inputs.append(
            InputSummary(
                role: "dataset", path: files.dataset.displayPath, sha256: golden.sha256, rows: datasetTable.rowCount))
        let ids = try uniqueIds(golden.keys)
        clock.lap("check golden ids")
        let sources = try joinPredictions(
            Array(loaded[1...]), to: ids, dataset: datasetTable, inputs: &inputs, jobs: jobs)
        clock.lap("join predictions")
        return (datasetTable, sources)
    }

    /// Reads the three files concurrently (most of the time is spent
    /// here); each task also hashes and sorts its file's ids for the join.
    static func readFiles(
        _ contract: Contract, files: Files, jobs: Int
    ) -> [Result<LoadedFile?, EvalGateError>] {
        let spec = contract.dataset
        let candidateId = idColumn(contract.candidate, contract)
        let championId = idColumn(contract.champion ?? contract.candidate, contract)
        let candidateColumns = [candidateId] + modelColumns(contract.candidate)
        let championColumns = [championId] + modelColumns(contract.champion ?? contract.candidate)
        let roles: [(String, InputFile?, [String], String)] = [
            ("dataset", files.dataset, datasetColumns(contract), spec.id),
            ("candidate", files.candidate, files.candidate == nil ? [] : candidateColumns, candidateId),
            ("champion", files.champion, files.champion == nil ? [] : championColumns, championId),
        ]
        let kindOf = columnKinds(contract)
        return parallelMap(roles, jobs: min(3, jobs)) {
            (role, file, columns, idColumn) -> Result<LoadedFile?, EvalGateError> in
            guard let file else { return .success(nil) }
            do throws(EvalGateError) {
                let kinds = columns.map { column in
                    role == "dataset" ? kindOf.dataset[column] ?? .text : kindOf.predictions[column] ?? .text
                }
                let (table, sha) = try file.loadHashed(columns: columns, kinds: kinds, jobs: jobs, profile: role)
                var fileClock = StageClock()
                // Parsing merged and freed each chunk's arrays: their pages go back before the keys are made.
                FreedMemory.giveBack(rows: table.rowCount)
                var keys = KeyedRows(table, column: idColumn)
                // A prediction file's ids are needed only for the join and its messages.
                if role != "dataset" { keys.releaseText() }
                fileClock.lap("\(role): key")
                return .success((keys.table, sha, keys))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The golden set has rows, and is the one `dataset.sha256` pins.
    static func checkGolden(_ table: Table, sha256: String, spec: DatasetSpec, file: InputFile) throws(EvalGateError) {
        if table.rowCount == 0 {
            throw EvalGateError(
                .data, at: .init(file: file.displayPath), "the golden dataset has a header but no rows",
                fix: "a gate needs data to score")
        }
        if let pin = spec.sha256, pin != sha256 {
            throw .data(
                file: file.displayPath,
                message:
                    """
                    sha256 is \(sha256) but the gate file pins \(pin) (dataset.sha256); the golden set \
                    changed: restore it or update the pin
                    """
            )
        }
    }

    /// Joins both prediction files to the golden ids concurrently; nil for
    /// a model whose columns are read from the golden file itself.
    static func joinPredictions(
        _ predictionFiles: [Result<LoadedFile?, EvalGateError>], to ids: KeyedRows, dataset: Table,
        inputs: inout [InputSummary], jobs: Int
    ) throws(EvalGateError) -> [JoinedSource?] {
        let joined = parallelMap([0, 1], jobs: min(2, jobs)) {
            index -> Result<(Table, String, [Int32])?, EvalGateError> in
            switch predictionFiles[index] {
            case .failure(let error): return .failure(error)
            case .success(nil): return .success(nil)
            case .success(let (table, sha, keys)?):
                do throws(EvalGateError) {
                    return .success((table, sha, try join(keys, to: ids, dataset: dataset)))
                } catch {
                    return .failure(error)
                }
            }
        }
        var sources: [JoinedSource?] = []
        for (result, role) in zip(joined, ["candidate", "champion"]) {
            switch result {
            case .failure(let error): throw error
            case .success(nil): sources.append(nil)
            case .success(let (table, sha, rowOf)?):
                inputs.append(InputSummary(role: role, path: table.file, sha256: sha, rows: table.rowCount))
                sources.append((table, rowOf))
            }
        }
        return sources
    }

    /// Each model's predictions in golden-row order. A multiclass model
    /// may extend the class list, so the models are read in order (the
    /// champion's unseen classes follow the candidate's); scores do not
    /// touch it, so both are read at once. Each source is dropped once read.
    static func readModels(
        _ contract: Contract, sources: inout [JoinedSource?], dataset: Table, classes: inout [String], jobs: Int
    ) throws(EvalGateError) -> [EvaluationData.Predictions] {
        let models =
            [contract.candidate]
            + (contract.champion != nil || sources[1] != nil ? [contract.champion ?? contract.candidate] : [])
        if contract.task == .multiclass {
            var predictions: [EvaluationData.Predictions] = []
            for (index, model) in models.enumerated() {
                predictions.append(
                    try readPredictions(
                        contract, model: model, source: sources[index] ?? (dataset, nil), dataset: dataset,
                        classes: &classes))
                sources[index] = nil
            }
            return predictions
        }
        let inputs = models.indices.map { (model: models[$0], source: sources[$0] ?? (dataset, nil)) }
        sources = []
        let read = parallelMap(inputs, jobs: min(2, jobs)) {
            input -> Result<EvaluationData.Predictions, EvalGateError> in
            var unused: [String] = []
            do throws(EvalGateError) {
                return .success(
                    try readPredictions(
                        contract, model: input.model, source: input.source, dataset: dataset, classes: &unused))
            } catch {
                return .failure(error)
            }
        }
        var predictions: [EvaluationData.Predictions] = []
        for result in read {
            switch result {
            case .success(let values): predictions.append(values)
            case .failure(let error): throw error
            }
        }
        return predictions
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
        for model in [contract.candidate] + (contract.champion.map { [$0] } ?? []) where model.path != nil {
            predictions[idColumn(model, contract), default: []].insert(.text)
        }
        func resolve(_ wanted: [String: Set<ColumnKind>]) -> [String: ColumnKind] {
            wanted.mapValues { kinds in kinds.count == 1 ? kinds.first! : .text }
        }
        return (resolve(dataset), resolve(predictions))
    }

    /// The column holding the id in a model's file: its `id:`, else the dataset's.
    static func idColumn(_ model: ModelSpec, _ contract: Contract) -> String {
        model.path == nil ? contract.dataset.id : model.id ?? contract.dataset.id
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
                    \(quoted(keyed.texts(Array(repeated.prefix(5)))))); \(repeatFix)
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
                    \(unknown.count) of \(table.rowCount) ids are not in the golden dataset \(dataset.file) \
                    (first: \(quoted(keyed.texts(Array(unknown.prefix(5))))))\
                    \(idMismatchHint(unknown: unknown, keyed, golden: ids, goldenRows: dataset.rowCount)); \
                    predict exactly the golden set's rows
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

    /// Why most ids of a predictions file miss the golden set, when a
    /// common cause explains it: zero padding, a pandas `.0`, case or
    /// spaces; always one id of each side, and that ids compare as text.
    static func idMismatchHint(unknown: [Int], _ keyed: KeyedRows, golden ids: KeyedRows, goldenRows: Int) -> String {
        // A few stray ids are the predictions' own mistake; most ids missing is a mismatch of form.
        guard unknown.count * 2 > keyed.table.rowCount, goldenRows > 0 else { return "" }
        let sample = keyed.texts(Array(unknown.prefix(1000)))
        var hint = """
            ; ids compare as exact text: the predictions hold \(quote(sample[0])) where the golden set \
            holds ids such as \(quote(ids.text(0)))
            """
        let causes: [(String, (String) -> String)] = [
            (
                "zero padding",
                { id in
                    guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else { return id }
                    let stripped = id.drop { $0 == "0" }
                    return stripped.isEmpty ? "0" : String(stripped)
                }
            ),
            (
                "a '.0' suffix (ids written as floats, as pandas does for a column with missing values)",
                { id in
                    id.hasSuffix(".0") ? String(id.dropLast(2)) : id
                }
            ),
            ("upper and lower case", { $0.lowercased() }),
            ("spaces around the ids", { $0.trimmingCharacters(in: .whitespaces) }),
        ]
        for (cause, normal) in causes {
            let golden = Set((0..<goldenRows).lazy.map { normal(ids.text($0)) })
            let explained = sample.filter { golden.contains(normal($0)) }.count
            if explained * 2 > sample.count {
                hint += """
                    ; the two differ by \(cause) (\(explained) of the first \(sample.count) unknown ids match once \
                    that is removed): write the ids the same way in both files
                    """
                return hint
            }
        }
        return hint + "; check that both files name the same id column (a model entry takes 'id:' for its own)"
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
            return try binaryLabels(contract, table: table)
        case .multiclass:
            return try multiclassLabels(contract, table: table)
        }
    }

    /// 0/1 per row from a column of at most two values, one of them positive.
    private static func binaryLabels(_ contract: Contract, table: Table) throws(EvalGateError) -> EvaluationData.Labels
    {
        let column = contract.dataset.label
        let idColumn = contract.dataset.id
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
    }

    /// Class codes per row; with per-class probability columns, every label
    /// must be one of their classes.
    private static func multiclassLabels(
        _ contract: Contract, table: Table
    ) throws(EvalGateError) -> EvaluationData.Labels {
        let column = contract.dataset.label
        let idColumn = contract.dataset.id
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

    /// One model's prediction columns, read in golden-row order.
    private struct PredictionColumns {
        var table: Table
        /// `rowOf[golden row]` is the row in `table`; nil when the model's
        /// columns are in the golden file itself.
        var rowOf: [Int32]?
        var idColumn: String
        /// The golden set and its id column: a prediction file's own ids are
        /// freed after the join (`KeyedRows.releaseText`), and a row's id is
        /// that of the golden row it joined.
        var dataset: Table
        var datasetId: String

        /// Golden rows: every model has a prediction for each.
        var rowCount: Int { dataset.rowCount }

        func aligned<T>(_ values: [T]) -> [T] {
            guard let rowOf else { return values }
            return (0..<rowCount).map { values[Int(rowOf[$0])] }
        }

        /// The file's row of a golden row, for messages.
        func fileRow(_ row: Int) -> Int { rowOf.map { Int($0[row]) } ?? row }

        func scores(_ column: String, what: String) throws(EvalGateError) -> [Double] {
            let numbers = table.numbers(column)
            if let row = numbers.firstInvalid ?? numbers.firstMissing {
                throw valueError(fileRow: row, column: column, "\(what) must be a finite number")
            }
            return aligned(numbers.values)
        }

        func error(golden row: Int, column: String, _ message: String) -> EvalGateError {
            valueError(fileRow: fileRow(row), column: column, message)
        }

        /// A value error at a row of the file, with the row's id.
        func valueError(fileRow row: Int, column: String, _ rule: String) -> EvalGateError {
            var error = DataLoader.valueError(table, row: row, column: column, idColumn: idColumn, rule)
            if error.location.rowId == nil, let rowOf, let golden = rowOf.firstIndex(of: Int32(row)) {
                error.location.rowId = dataset.text(datasetId, row: golden)
            }
            return error
        }
    }

    private static func readPredictions(
        _ contract: Contract, model: ModelSpec, source: JoinedSource, dataset: Table, classes: inout [String]
    ) throws(EvalGateError) -> EvaluationData.Predictions {
        let columns = PredictionColumns(
            table: source.table, rowOf: source.rowOf, idColumn: idColumn(model, contract), dataset: dataset,
            datasetId: contract.dataset.id)
        switch contract.task {
        case .regression:
            return .scores(try columns.scores(model.score!, what: "the prediction"))
        case .binary:
            let column = model.score!
            let scores = try columns.scores(column, what: "the score")
            if let row = scores.firstIndex(where: { !(0...1).contains($0) }) {
                throw columns.error(golden: row, column: column, "a binary score is P(positive) and must be in [0, 1]")
            }
            return .scores(scores)
        case .multiclass:
            if let scores = model.scores {
                return try classProbabilities(
                    scores, columns: columns, classes: classes, tolerance: model.probabilityTolerance)
            }
            let column = model.prediction!
            let categories = columns.table.categories(column)
            if let row = categories.codes.firstIndex(of: -1) {
                throw columns.valueError(fileRow: row, column: column, "every row needs a predicted class")
            }
            // Map prediction texts onto known classes; unseen ones get new indices.
            let mapping = categories.values.map { value -> Int32 in
                if let index = classes.firstIndex(where: { sameValue($0, value) }) { return Int32(index) }
                classes.append(value)
                return Int32(classes.count - 1)
            }
            return .classes(columns.aligned(categories.codes.map { mapping[Int($0)] }), probabilities: nil)
        }
    }

    /// A multiclass model's per-class probability columns: each in [0, 1],
    /// summing to 1 within 1e-6 on every row; the predicted class is the
    /// most probable one (the first in file order on ties).
    private static func classProbabilities(
        _ scores: [(label: String, column: String)], columns: PredictionColumns, classes: [String],
        tolerance: Double
    ) throws(EvalGateError) -> EvaluationData.Predictions {
        let modelClasses = scores.map(\.label)
        guard modelClasses == classes else {
            throw .data(
                file: columns.table.file,
                message:
                    """
                    the champion's scores name classes \(modelClasses.joined(separator: ", ")) but the \
                    candidate's name \(classes.joined(separator: ", ")); list the same classes in the \
                    same order
                    """
            )
        }
        let probabilities = try scores.map { (pair) throws(EvalGateError) in
            try columns.scores(pair.column, what: "a class probability")
        }
        var predicted = [Int32](repeating: 0, count: columns.rowCount)
        var off: (rows: Int, first: Int, firstSum: Double, largest: Double) = (0, 0, 0, 0)
        for row in 0..<columns.rowCount {
            var sum = 0.0
            var best = 0
            for k in 0..<probabilities.count {
                let p = probabilities[k][row]
                if !(0...1).contains(p) {
                    throw columns.error(golden: row, column: scores[k].column, "a class probability must be in [0, 1]")
                }
                sum += p
                if p > probabilities[best][row] { best = k }
            }
            if abs(sum - 1) > tolerance {
                if off.rows == 0 { off = (0, row, sum, 0) }
                off.rows += 1
                off.largest = max(off.largest, abs(sum - 1))
            }
            predicted[row] = Int32(best)
        }
        if off.rows > 0 {
            throw columns.error(
                golden: off.first, column: scores.map(\.column).joined(separator: "+"),
                """
                the class probabilities sum to \(formatNumber(off.firstSum)), not 1 within \(formatNumber(tolerance)) \
                (\(off.rows) of \(columns.rowCount) rows are off, by at most \(formatForPeople(off.largest))); \
                normalise them, or allow printed rounding with probability_tolerance on the model (e.g. 0.001 for \
                probabilities written with three decimals)
                """)
        }
        return .classes(predicted, probabilities: probabilities)
    }

    // MARK: - Messages

    private static func valueError(
        _ table: Table, row: Int, column: String, idColumn: String, _ rule: String
    ) -> EvalGateError {
        let value = table.hasColumn(column) ? table.text(column, row: row) : nil
        let shown = value.map(quote) ?? (table.hasColumn(column) ? "a missing value" : "this row")
        return EvalGateError(
            .data, at: table.location(row: row, idColumn: idColumn),
            "column \(quote(column)): \(shown) is not valid: \(rule)")
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
