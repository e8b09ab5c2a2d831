import Foundation

/// The product, top to bottom: load contract -> load data -> join -> slice
/// -> score -> decide -> report. Never throws: a gate that cannot run
/// becomes a report with verdict `error` and exit code 2 or 3.
package enum Pipeline {
    package static func run(_ options: RunOptions) -> Report {
        var report = decideRun(options)
        report.lineage = options.lineage
        return report
    }

    private static func decideRun(_ options: RunOptions) -> Report {
        let contractSummary = Report.FileSummary(
            path: displayPath(options.gatePath),
            sha256: FileManager.default.contents(atPath: options.gatePath).map { sha256Hex([UInt8]($0)) })
        let fallbackName = ((options.gatePath as NSString).lastPathComponent as NSString).deletingPathExtension
        let contract: Contract
        do {
            contract = try loadContract(options)
        } catch {
            return .failure(error, gate: fallbackName, contract: contractSummary)
        }
        do {
            var clock = StageClock()
            let files = try files(contract, options)
            try checkMemory(contract, files: files, options: options)
            clock.lap("memory estimate")
            let data = try DataLoader.load(contract, files: files, jobs: options.jobs)
            clock.lap("load and join, in all")
            let drift = try measureDrift(contract, reference: files.reference, data: data, jobs: options.jobs)
            let baseline = try options.baseline.map { (read) throws(EvalGateError) in
                try read(contract.name, data.inputs.first { $0.role == "dataset" }?.sha256 ?? "")
            }
            return try evaluate(
                contract, data: consume data, drift: drift, baseline: baseline, contractSummary: contractSummary,
                jobs: options.jobs)
        } catch {
            return .failure(error, gate: contract.name, contract: contractSummary, revision: contract.revision)
        }
    }

    /// What `evalgate validate` found.
    package struct Validation: Sendable {
        package var contract: Contract
        package var data: EvaluationData
        package var slices: [SliceRows]
        /// The drift reference as read, when the gate has a `drift:` section.
        package var drift: DriftReport?
        /// Findings that would make `check` gate less than the file says
        /// (selectors matching no slice, groups with nothing to compare): exit 2.
        package var errors: [String]
        /// Lint findings that do not make the gate invalid but will show in a check.
        package var warnings: [String]
        /// What the reader should know and need not fix (slices too small to gate).
        package var notes: [String] = []
    }

    /// `evalgate validate`: the contract, then every file and column, then
    /// the slices, without scoring. Selectors that match no slice are
    /// errors, since `check` fails them.
    package static func validate(_ options: RunOptions) throws(EvalGateError) -> Validation {
        let contract = try loadContract(options)
        let files = try files(contract, options)
        try checkMemory(contract, files: files, options: options)
        let data = try DataLoader.load(contract, files: files)
        let drift = try measureDrift(contract, reference: files.reference, data: data, jobs: 1)
        let slicer = Slicer(columns: data.columns, contract: contract)
        let slices = try slicer.slices(for: contract.slices)
        let warnings = contract.warnings
        var errors: [String] = []
        for check in contract.checks {
            if let group = check.across {
                let members = slices.filter { $0.group == group }
                if !members.contains(where: contract.evaluates) {
                    errors.append(
                        """
                        \(check.id).across: the group \(group) has no slice with at least min_slice_size \
                        (\(contract.minSliceSize)) rows (\(members.count) slices), so the check would gate nothing
                        """
                    )
                }
                continue
            }
            for selector in check.selectors where !slices.contains(where: { globMatches(selector, $0.name) }) {
                errors.append("\(check.id).slices: \(unmatchedSelectorReason(selector, slices: slices))")
            }
        }
        var notes: [String] = []
        let small = slices.filter { $0.rows.count < contract.minSliceSize }
        if !small.isEmpty {
            notes.append(
                """
                \(small.count) of \(slices.count) slices have fewer than min_slice_size \
                (\(contract.minSliceSize)) rows and will be reported too_small (first: \
                \(small.prefix(3).map(\.name).joined(separator: ", ")))
                """
            )
        }
        return Validation(
            contract: contract, data: data, slices: slices, drift: drift, errors: errors, warnings: warnings,
            notes: notes)
    }

    static func loadContract(_ options: RunOptions) throws(EvalGateError) -> Contract {
        var contract = try ContractDecoder.load(path: options.gatePath)
        if options.baseline != nil {
            guard options.championPath == nil else {
                throw .usage("--champion and --baseline both name the champion; give one")
            }
            // The recorded run stands in for the champion's predictions.
            contract.champion = nil
            return contract
        }
        if options.championPath != nil, contract.champion == nil {
            // A champion given only on the command line has the candidate's columns.
            contract.champion = contract.candidate
        }
        return contract
    }

    /// Exit 3 before anything is read when the run would not fit the memory
    /// this process may use (docs/reference.md, "Memory").
    static func checkMemory(_ contract: Contract, files: DataLoader.Files, options: RunOptions) throws(EvalGateError) {
        guard options.memoryCheck else { return }
        let estimate = MemoryBudget.estimate(
            files: files.all, goldenColumns: DataLoader.datasetColumns(contract).count, jobs: options.jobs)
        var clock = StageClock()
        clock.lap(
            """
            memory estimate: \(MemoryBudget.mebibytes(estimate.residentBytes)) resident, \
            \(MemoryBudget.mebibytes(estimate.addressBytes)) address space, \(estimate.rows) rows
            """
        )
        try MemoryBudget.check(estimate, limits: MemoryBudget.limits(), contract: displayPath(options.gatePath))
    }

    /// The `drift:` section: reads the reference's columns and measures
    /// each against the golden set's; nil without the section.
    static func measureDrift(
        _ contract: Contract, reference: InputFile?, data: EvaluationData, jobs: Int
    ) throws(EvalGateError) -> DriftReport? {
        guard let spec = contract.drift, let file = reference else { return nil }
        let (table, sha) = try file.loadHashed(
            columns: spec.columns, kinds: spec.columns.map { _ in .category }, jobs: jobs, profile: "reference")
        if table.rowCount == 0 {
            throw .data(
                file: file.displayPath,
                message:
                    """
                    the drift reference has a header but no rows; point drift.reference at the sample the golden \
                    set should resemble
                    """
            )
        }
        let columns = spec.columns.indices.map { k in
            Drift.measure(
                column: spec.columns[k], golden: data.driftColumns[k], weights: data.weights,
                reference: table.categories(spec.columns[k]))
        }
        return DriftReport(
            reference: InputSummary(role: "reference", path: file.displayPath, sha256: sha, rows: table.rowCount),
            maxPSI: spec.maxPSI, columns: columns)
    }

    /// The stages of a run after the load, in the order the product
    /// describes them: slice, rank, plan, score, statistics, decide,
    /// report (with its notes and figures), then fail closed.
    static func evaluate(
        _ contract: Contract, data: consuming EvaluationData, drift: DriftReport? = nil,
        baseline: Baseline? = nil, contractSummary: Report.FileSummary, jobs: Int
    ) throws(EvalGateError) -> Report {
        var clock = StageClock()
        try checkClasses(contract, data: data)
        let slices = try Slicer(columns: data.columns, contract: contract).slices(for: contract.slices, jobs: jobs)
        // Only slicing reads the slice columns (8 or 4 bytes a row each):
        // they go before the models are ranked.
        data.columns.dropColumns()
        clock.lap("slice")
        let metrics = GateMetrics(contract)
        let scorers = rank(data, contract: contract, metrics: metrics, jobs: jobs)
        // The sorts' buffers (24 bytes a row a model) are freed: their pages go back.
        FreedMemory.giveBack(rows: data.rowCount)
        let evaluated = slices.map(contract.evaluates)
        clock.lap("rank")
        let plan = SlicePlan(slices, evaluated: evaluated, rowCount: data.rowCount, jobs: jobs)
        clock.lap("plan")
        var scored = score(
            slices, evaluated: evaluated, plan: plan, scorers: scorers, metrics: metrics, data: data, jobs: jobs)
        if let baseline { useBaseline(baseline, in: &scored, metrics: metrics) }
        clock.lap("score")
        if contract.statistics.bootstrap > 0 {
            try resample(
                &scored, plan: plan, scorers: scorers, metrics: metrics, contract: contract, data: data,
                contractPath: contractSummary.path, jobs: jobs)
            clock.lap("statistics")
        }
        let results =
            Decider(contract: contract, slices: scored, baselineRun: baseline?.run).decide()
            + (drift.map { Drift.results($0, severity: contract.drift!.severity) } ?? [])
        clock.lap("decide")
        let failed = results.contains { $0.status == .fail }
        var report = Report(
            gate: contract.name, revision: contract.revision, verdict: failed ? .fail : .pass, exitCode: failed ? 1 : 0,
            contract: contractSummary, inputs: data.inputs, task: contract.task, metrics: metrics.names,
            slices: scored.map { sliceReport($0, metrics: metrics.names, task: contract.task, labels: data.labels) },
            results: results,
            notes: notes(contract, results: results, hasChampion: data.champion != nil, baseline: baseline),
            error: nil)
        report.baseline = baseline.map { Report.BaselineReference(run: $0.run, datasetSha256: $0.datasetSha256) }
        report.drift = drift
        report.weightColumn = contract.dataset.weight
        report.settings = settings(contract)
        report.figures = figures(
            results, slices: slices, evaluated: evaluated, plan: plan, data: data, scorers: scorers, jobs: jobs)
        clock.lap("figures")
        failClosed(&report, contract: contract)
        return report
    }

    /// A check on one class (`class: "7"`) of a class the data does not
    /// have would check nothing: exit 3 naming the classes there are.
    static func checkClasses(_ contract: Contract, data: EvaluationData) throws(EvalGateError) {
        guard case .multiclass(_, let classes) = data.labels else { return }
        for check in contract.checks {
            guard let (_, label) = PerClassMetrics.split(check.metric),
                !classes.contains(where: { DataLoader.sameValue($0, label) })
            else { continue }
            throw EvalGateError(
                .data, at: .init(file: data.inputs.first?.path ?? "", keyPath: "\(check.id).class"),
                """
                class \(quote(label)) is neither a label nor a predicted class in the data (classes: \
                \(classes.prefix(20).joined(separator: ", ")))
                """,
                fix: "name a class the golden set has\(didYouMean(label, among: classes))")
        }
    }

    /// The metrics the checks read, each once, in the order checks name them.
    struct GateMetrics {
        var names: [String] = []
        var definitions: [MetricDefinition]

        init(_ contract: Contract) {
            for check in contract.checks where !names.contains(check.metric) { names.append(check.metric) }
            definitions = names.map { MetricRegistry.definition($0, task: contract.task)! }
        }

        func named(_ values: [MetricValue]) -> [String: MetricValue] {
            Dictionary(uniqueKeysWithValues: zip(names, values))
        }
    }

    /// Each model's scores sorted once, the models in parallel.
    static func rank(_ data: EvaluationData, contract: Contract, metrics: GateMetrics, jobs: Int) -> [Scorer] {
        let models = [data.candidate] + (data.champion.map { [$0] } ?? [])
        return parallelMap(Array(models.enumerated()), jobs: jobs) { index, predictions in
            Scorer(
                data: data, predictions: predictions, role: index == 0 ? .candidate : .champion,
                metrics: metrics.definitions, threshold: contract.decisionThreshold)
        }
    }

    /// Every (pass, model) pair scored in parallel. The passes are split
    /// into chunks so that models x chunks fills the workers; every slice
    /// is accumulated in the same order whatever the chunking, so results
    /// never depend on --jobs.
    static func score(
        _ slices: [SliceRows], evaluated: [Bool], plan: SlicePlan, scorers: [Scorer], metrics: GateMetrics,
        data: EvaluationData, jobs: Int
    ) -> [ScoredSlice] {
        let chunkCount = max(1, min(plan.passes.count, jobs / scorers.count))
        let chunks = (0..<chunkCount).map { c in Array(stride(from: c, to: plan.passes.count, by: chunkCount)) }
        let work = chunks.indices.flatMap { chunk in scorers.indices.map { model in (chunk, model) } }
        let values = parallelMap(work, jobs: jobs) { chunk, model in
            scorers[model].score(plan, passes: chunks[chunk], slices: slices)
        }
        var valuesOf: [Int: [[MetricValue]]] = [:]
        for ((chunk, _), perPass) in zip(work, values) {
            for (pass, perSlice) in zip(chunks[chunk], perPass) {
                for (slice, value) in zip(plan.passes[pass].slices, perSlice) {
                    valuesOf[slice, default: []].append(value)
                }
            }
        }
        // Each slice's weight, summed in row order (slices in parallel).
        let sliceWeights = parallelMap(slices, jobs: jobs) { sliceWeight($0, data.weights) }
        return slices.indices.map { s in
            let perModel = valuesOf[s] ?? []
            let noChampion = data.champion == nil || !evaluated[s]
            return ScoredSlice(
                slice: slices[s], weight: sliceWeights[s], evaluated: evaluated[s],
                candidate: perModel.first.map(metrics.named) ?? [:],
                champion: perModel.count > 1 ? metrics.named(perModel[1]) : (noChampion ? nil : [:]))
        }
    }

    /// A recorded run's candidate values stand in for the champion's.
    static func useBaseline(_ baseline: Baseline, in scored: inout [ScoredSlice], metrics: GateMetrics) {
        for s in scored.indices where scored[s].evaluated {
            scored[s].champion = championValues(from: baseline, slice: scored[s].slice.name, metrics: metrics.names)
        }
    }

    /// The paired Poisson bootstrap over every evaluated slice, and the
    /// exact tests, after checking that its draws fit in memory.
    static func resample(
        _ scored: inout [ScoredSlice], plan: SlicePlan, scorers: [Scorer], metrics: GateMetrics, contract: Contract,
        data: EvaluationData, contractPath: String, jobs: Int
    ) throws(EvalGateError) {
        try Statistics.checkMemory(
            resamples: contract.statistics.bootstrap, slices: scored.filter(\.evaluated).count,
            metrics: metrics.definitions.count, models: scorers.count, contractPath: contractPath)
        let analyses = Statistics.bootstrap(
            plan: plan, slices: scored.map(\.slice), candidate: scorers[0],
            champion: scorers.count > 1 ? scorers[1] : nil, metrics: metrics.definitions,
            spec: contract.statistics, data: data, jobs: jobs)
        for (s, analysis) in analyses { scored[s].uncertainty = analysis }
    }

    /// What the run's reader needs to know about how it decided.
    static func notes(_ contract: Contract, results: [CheckResult], hasChampion: Bool, baseline: Baseline?) -> [String]
    {
        var notes = contract.warnings.map { "gate file \($0)" }
        let statistics = contract.statistics
        if statistics.failOn == .significant, statistics.bootstrap == 0 || !hasChampion {
            notes.append(
                """
                fail_on: significant needs statistics.bootstrap > 0 and a champion; decisions were made on point \
                values
                """
            )
        } else if statistics.bootstrap > 0 {
            notes.append(statisticsNote(statistics, family: results.filter { $0.pValueAdjusted != nil }.count))
        }
        if let baseline {
            notes.append(
                """
                the champion's values are the candidate values of ledger run \(baseline.run) (same dataset \
                sha256); paired statistics (delta_ci, p_value) are not available against a recorded baseline
                """
            )
        } else if !hasChampion, contract.checks.contains(where: { $0.rules.contains { $0.kind.isChange } }) {
            notes.append(
                "no champion given: change rules (max_drop, max_drop_pct, min_gain, min_gain_pct) were skipped")
        }
        return notes
    }

    /// How the bootstrap was run and how failures were decided on it.
    static func statisticsNote(_ statistics: StatisticsSpec, family: Int) -> String {
        let correctionName =
            statistics.correction == .holm
            ? "Holm (family-wise error)" : "Benjamini-Hochberg (false discovery rate)"
        let decisions =
            statistics.failOn == .point
            ? "failures were decided on point values"
            : statistics.correction == .none
                ? """
                a failure stands only when its whole interval is on the failing side (no multiple-comparison \
                correction)
                """
                : """
                a failure stands only when its p-value, adjusted by the \(correctionName) correction over \
                \(family) blocking tests, is below \(formatForPeople(1 - statistics.confidence))
                """
        return """
            statistics: paired Poisson bootstrap, \(statistics.bootstrap) resamples, \
            \(formatNumber(statistics.confidence * 100))% intervals, seed \(statistics.seed); fail_on: \
            \(statistics.failOn.rawValue), correction: \(statistics.correction.rawValue): \(decisions)
            """
    }

    /// A gate that checks nothing, or whose correction no failure could
    /// survive, never passes: the report becomes an error.
    static func failClosed(_ report: inout Report, contract: Contract) {
        let path = report.contract.path
        guard
            let error = uncorrectable(report.results, contract: contract, contractPath: path)
                ?? nothingGated(report.results, contractPath: path)
        else { return }
        report.verdict = .error
        report.exitCode = error.exitCode
        report.error = error
    }

    /// The curves report.html draws: overall and every failing slice, in
    /// slice order.
    static func figures(
        _ results: [CheckResult], slices: [SliceRows], evaluated: [Bool], plan: SlicePlan, data: EvaluationData,
        scorers: [Scorer], jobs: Int
    ) -> [SliceFigures] {
        let failing = Set(results.filter { $0.status == .fail }.map(\.slice))
        let drawn = slices.indices.filter {
            evaluated[$0] && (slices[$0].name == "overall" || failing.contains(slices[$0].name))
        }
        return SliceFigures.draw(drawn, of: slices, plan: plan, data: data, scorers: scorers, jobs: jobs)
    }

    /// A recorded run's candidate values as this run's champion values; a
    /// metric or slice the run did not record is undefined, so its change
    /// rules are skipped with the reason.
    static func championValues(from baseline: Baseline, slice: String, metrics: [String]) -> [String: MetricValue] {
        let recorded = baseline.values[slice]
        return Dictionary(
            uniqueKeysWithValues: metrics.map { metric in
                guard let entry = recorded?[metric] else {
                    return (
                        metric, MetricValue.undefined("baseline run \(baseline.run) recorded no \(metric) on \(slice)")
                    )
                }
                return (
                    metric, entry.map { .value($0) } ?? .undefined("it was undefined in baseline run \(baseline.run)")
                )
            })
    }

    /// Under a correction, the smallest bootstrap p-value, 1/(B + 1),
    /// must be able to survive it, or no failure could ever stand: Holm
    /// needs it below (1 − confidence)/m for m blocking tests, and so does
    /// Benjamini-Hochberg for a failure that is the only one.
    static func uncorrectable(_ results: [CheckResult], contract: Contract, contractPath: String) -> EvalGateError? {
        let statistics = contract.statistics
        let family = results.filter { $0.pValueAdjusted != nil }.count
        guard statistics.correction != .none, family > 0 else { return nil }
        let alpha = 1 - statistics.confidence
        guard Double(family) / Double(statistics.bootstrap + 1) >= alpha else { return nil }
        var needed = max(1, Int((Double(family) / alpha).rounded(.down)) - 1)
        while Double(family) / Double(needed + 1) >= alpha { needed += 1 }
        return .gateFile(
            contractPath, key: "statistics.bootstrap",
            """
            \(statistics.bootstrap) resamples cannot show a failure under the \
            \(statistics.correction.rawValue) correction over \(family) blocking tests: the smallest \
            bootstrap p-value is 1/\(statistics.bootstrap + 1), and it would need to be below \
            \(formatForPeople(alpha))/\(family); set bootstrap to at least \(needed) or gate fewer slices and \
            metrics
            """
        )
    }

    /// A run in which no result was decided (none at all, or every one
    /// skipped) checked nothing; it is a gate-file error, never a pass.
    static func nothingGated(_ results: [CheckResult], contractPath: String) -> EvalGateError? {
        guard results.allSatisfy({ $0.status == .skipped }) else { return nil }
        let detail =
            results.first.map {
                "all \(results.count) results were skipped (first: \($0.check) on \($0.slice): \($0.reason))"
            } ?? "the checks produced no results"
        return .gateFile(
            contractPath, key: nil,
            """
            nothing would be gated: \(detail); a gate that checks nothing cannot pass. Give a champion, lower \
            min_slice_size or fix the slices and checks
            """
        )
    }

    private static func sliceWeight(_ slice: SliceRows, _ weights: [Double]?) -> Double {
        guard let weights else { return Double(slice.rows.count) }
        return slice.rows.reduce(0) { $0 + weights[Int($1)] }
    }

    static func settings(_ contract: Contract) -> [(String, String)] {
        let statistics = contract.statistics
        var settings: [(String, String)] = [
            ("revision", contract.revision ?? ""), ("task", contract.task.rawValue),
            ("min_slice_size", "\(contract.minSliceSize)"), ("bootstrap", "\(statistics.bootstrap)"),
        ]
        if contract.task == .binary {
            settings.append(("decision_threshold", formatNumber(contract.decisionThreshold)))
        }
        if statistics.bootstrap > 0 {
            settings += [
                ("confidence", formatNumber(statistics.confidence)), ("seed", "\(statistics.seed)"),
                ("fail_on", statistics.failOn.rawValue), ("correction", statistics.correction.rawValue),
            ]
        }
        return settings.filter { !$0.1.isEmpty }
    }

    /// Rows per label value on a slice: binary positives and negatives,
    /// multiclass one count per class.
    static func labelRows(_ rows: [Int32], _ labels: EvaluationData.Labels) -> [Report.LabelRows] {
        switch labels {
        case .binary(let values):
            var positives = 0
            for row in rows { positives += Int(values[Int(row)]) }
            return [.init(label: "positive", rows: positives), .init(label: "negative", rows: rows.count - positives)]
        case .multiclass(let codes, let classes):
            var counts = [Int](repeating: 0, count: classes.count)
            for row in rows { counts[Int(codes[Int(row)])] += 1 }
            return zip(classes, counts).map { Report.LabelRows(label: $0, rows: $1) }
        case .regression:
            return []
        }
    }

    private static func sliceReport(
        _ scored: ScoredSlice, metrics: [String], task: ModelTask, labels: EvaluationData.Labels
    ) -> Report.SliceReport {
        let values: [Report.MetricComparison] =
            scored.evaluated
            ? metrics.map { metric in
                let candidate = scored.candidate[metric]!
                let champion = scored.champion?[metric]?.number
                var change: Double?
                if let value = candidate.number, let champion {
                    let lowerIsBetter = MetricRegistry.definition(metric, task: task)?.direction == .lower
                    change = lowerIsBetter ? champion - value : value - champion
                }
                var why: String?
                if case .undefined(let reason) = candidate { why = reason }
                return Report.MetricComparison(
                    metric: metric, candidate: candidate.number, champion: champion, delta: change,
                    undefinedReason: why,
                    uncertainty: scored.uncertainty[metric] ?? MetricUncertainty())
            } : []
        return Report.SliceReport(
            name: scored.slice.name, group: scored.slice.group, key: scored.slice.key, rows: scored.slice.rows.count,
            weight: scored.weight, evaluated: scored.evaluated, values: values,
            labelRows: labelRows(scored.slice.rows, labels))
    }

    // MARK: - Paths

    /// A path from the gate file, relative to the gate file's folder.
    static func resolvedFile(_ contract: Contract, _ path: String, _ sqlite: SQLiteSource?) -> InputFile {
        let resolved =
            path.hasPrefix("/")
            ? path : normalized(contract.baseDirectory.isEmpty ? path : "\(contract.baseDirectory)/\(path)")
        // Shown relative to the working directory, as the user would type it.
        var file = InputFile(
            displayPath: resolved.hasPrefix("/") ? displayPath(path) : resolved, resolvedPath: resolved, sqlite: sqlite)
        file.written = (path, displayPath(contract.baseDirectory))
        return file
    }

    /// The files a run reads. Those the gate file names are relative to its
    /// folder and, with `--root`, must resolve inside it; those given on
    /// the command line are the team's and are taken as they are.
    static func files(_ contract: Contract, _ options: RunOptions) throws(EvalGateError) -> DataLoader.Files {
        let workspace = try options.root.map { (root) throws(EvalGateError) in try Workspace(root) }
        func fromContract(
            _ path: String, _ sqlite: SQLiteSource?, format: InputFile.Format?, delimiter: UInt8?, key: String
        ) throws(EvalGateError) -> InputFile {
            var file = resolvedFile(contract, path, sqlite)
            file.declaredFormat = format
            file.declaredDelimiter = delimiter
            try workspace?.check(path, opened: file.resolvedPath, key: key, contract: displayPath(options.gatePath))
            return file
        }
        func fromCommandLine(
            _ path: String, _ sqlite: SQLiteSource?, format: InputFile.Format?, delimiter: UInt8?
        ) -> InputFile {
            var file = InputFile(
                displayPath: displayPath(path), resolvedPath: path, sqlite: sqlite, fromCommandLine: true)
            file.declaredFormat = format
            file.declaredDelimiter = delimiter
            return file
        }
        let spec = contract.dataset
        let dataset: InputFile
        if let path = options.datasetPath {
            dataset = fromCommandLine(path, spec.sqlite, format: spec.format, delimiter: spec.delimiter)
        } else {
            dataset = try fromContract(
                spec.path, spec.sqlite, format: spec.format, delimiter: spec.delimiter, key: "dataset.path")
        }
        let model = contract.candidate
        var candidate = options.candidatePath.map {
            fromCommandLine($0, model.sqlite, format: model.format, delimiter: model.delimiter)
        }
        if candidate == nil, let path = model.path {
            candidate = try fromContract(
                path, model.sqlite, format: model.format, delimiter: model.delimiter, key: "models.candidate.path")
        }
        let championSpec = contract.champion ?? contract.candidate
        var champion = options.championPath.map {
            fromCommandLine($0, championSpec.sqlite, format: championSpec.format, delimiter: championSpec.delimiter)
        }
        if champion == nil, let path = contract.champion?.path {
            champion = try fromContract(
                path, championSpec.sqlite, format: championSpec.format, delimiter: championSpec.delimiter,
                key: "models.champion.path")
        }
        let reference = try contract.drift.map { (drift) throws(EvalGateError) in
            try fromContract(
                drift.path, drift.sqlite, format: drift.format, delimiter: drift.delimiter, key: "drift.reference")
        }
        var files = DataLoader.Files(dataset: dataset, candidate: candidate, champion: champion, reference: reference)
        try pinDVC(&files, contract, workspace: workspace, gatePath: options.gatePath)
        return files
    }

    /// Each `dvc:` pin, resolved (and confined to the workspace) like any
    /// path the gate file names, onto the file it pins.
    static func pinDVC(
        _ files: inout DataLoader.Files, _ contract: Contract, workspace: Workspace?, gatePath: String
    ) throws(EvalGateError) {
        func pin(_ written: String?, key: String, for file: InputFile) throws(EvalGateError) -> DVCPin? {
            guard let written else { return nil }
            let resolved = resolvedFile(contract, written, nil).resolvedPath
            try workspace?.check(written, opened: resolved, key: key, contract: displayPath(gatePath))
            return try DVCPin.read(written, resolved: resolved, dataFile: file.resolvedPath)
        }
        files.dataset.dvc = try pin(contract.dataset.dvc, key: "dataset.dvc", for: files.dataset)
        if let file = files.candidate {
            files.candidate?.dvc = try pin(contract.candidate.dvc, key: "models.candidate.dvc", for: file)
        }
        if let file = files.champion, let spec = contract.champion {
            files.champion?.dvc = try pin(spec.dvc, key: "models.champion.dvc", for: file)
        }
        if let file = files.reference {
            files.reference?.dvc = try pin(contract.drift?.dvc, key: "drift.reference.dvc", for: file)
        }
    }

    /// Collapses "." and "dir/.." lexically: "gates/../fixtures/a.csv" -> "fixtures/a.csv".
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// Reports never hold absolute paths: an absolute path shows as its file name.
    static func displayPath(_ path: String) -> String {
        path.hasPrefix("/") ? (path as NSString).lastPathComponent : path
    }
}
