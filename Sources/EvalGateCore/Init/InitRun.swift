import Foundation

/// `evalgate init` from the proposal to the file: score the draft once to
/// set the floor and see how small the slices are, turn on statistics
/// where a change rule would block on noise (and time what they cost),
/// then validate. Whatever happens, the file init wrote is left at `out`.
extension GateScaffold {
    package struct Written {
        package var proposal: Proposal
        package var tuning: Tuning
        package var validation: Pipeline.Validation
    }

    /// A slice smaller than this (in its rarer class, or in rows for
    /// regression) moves by more than a `max_drop` of init's from noise
    /// alone: the AUC of a slice with 200 positives and 200 negatives has a
    /// standard error of about 0.02.
    package static let noisySupport = (binary: 200, multiclass: 200, regression: 500)

    package static func write(_ request: Request, jobs: Int) throws(EvalGateError) -> Written {
        let proposal = try propose(request)
        let folder = (request.out as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw .usage("\(request.out): cannot create its folder: \(error.localizedDescription)")
        }
        let draft = "\(folder.isEmpty ? "." : folder)/.evalgate-init-\(ProcessInfo.processInfo.processIdentifier).yaml"
        defer { try? FileManager.default.removeItem(atPath: draft) }
        var tuning = Tuning()
        do throws(EvalGateError) {
            try save(render(proposal, request: request, tuning: tuning), to: draft)
            let started = Date()
            let scored = Pipeline.run(RunOptions(gatePath: draft, jobs: jobs))
            let plain = Date().timeIntervalSince(started)
            if let error = scored.error { throw error }
            if let today = value(proposal.mainMetric, on: "overall", in: scored) {
                tuning.floor = (floor(below: today), today)
            }
            if request.champion != nil, let small = smallestSlice(scored, task: proposal.task) {
                tuning.bootstrap = bootstrapSize(family: family(scored, rules: changeRules(proposal).count))
                try save(render(proposal, request: request, tuning: tuning), to: draft)
                let again = Date()
                _ = Pipeline.run(RunOptions(gatePath: draft, jobs: jobs))
                let cost = max(0, Date().timeIntervalSince(again) - plain)
                tuning.statisticsReason = small
                tuning.statisticsComment = wrapped(
                    """
                    \(small): a change there can be noise. So a failing change rule blocks only when the paired \
                    bootstrap says it is significant after Holm's correction over all blocking tests; the other \
                    failures are warnings. Cost: about \(formatSeconds(cost)) more per run on this data (measured \
                    by init).
                    """)
            }
            try save(render(proposal, request: request, tuning: tuning), to: draft)
            let validation = try Pipeline.validate(RunOptions(gatePath: draft, jobs: 1))
            try keep(draft, as: request.out)
            return Written(proposal: proposal, tuning: tuning, validation: validation)
        } catch {
            // The file stays where it was asked for, beside the error.
            try? keep(draft, as: request.out)
            var location = error.location
            // The draft was checked under a temporary name; the user knows the file as --out.
            if location.file == draft || location.file == Pipeline.normalized(draft) { location.file = request.out }
            throw EvalGateError(
                error.kind, at: location, error.problem,
                fix: [error.fix, "init kept the gate it wrote at \(request.out)"].compactMap { $0 }.joined(
                    separator: "; "))
        }
    }

    /// Comment text in lines of at most 100 characters.
    static func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > 100 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return line.isEmpty ? lines : lines + [line]
    }

    private static func save(_ text: String, to path: String) throws(EvalGateError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .usage("\(path): cannot write the gate file: \(error.localizedDescription)")
        }
    }

    private static func keep(_ draft: String, as out: String) throws(EvalGateError) {
        guard FileManager.default.fileExists(atPath: draft) else { return }
        do {
            if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
            try FileManager.default.moveItem(atPath: draft, toPath: out)
        } catch {
            throw .usage("\(out): cannot write the gate file: \(error.localizedDescription)")
        }
    }

    private static func value(_ metric: String, on slice: String, in report: Report) -> Double? {
        report.slices.first { $0.name == slice }?.values.first { $0.metric == metric }?.candidate
    }

    /// The evaluated slice with the least support, described, when it is
    /// under `noisySupport`.
    static func smallestSlice(_ report: Report, task: ModelTask) -> String? {
        let evaluated = report.slices.filter(\.evaluated)
        let support: [(slice: Report.SliceReport, n: Int)] = evaluated.map { slice in
            switch task {
            case .regression: (slice, slice.rows)
            case .binary, .multiclass: (slice, slice.labelRows.map(\.rows).filter { $0 > 0 }.min() ?? 0)
            }
        }
        let limit =
            switch task {
            case .binary: noisySupport.binary
            case .multiclass: noisySupport.multiclass
            case .regression: noisySupport.regression
            }
        let small = support.filter { $0.n < limit }
        guard let least = small.min(by: { $0.n < $1.n }) else { return nil }
        let what =
            switch task {
            case .binary: "in their rarer class"
            case .multiclass: "in a class"
            case .regression: "rows"
            }
        let shown = least.slice.composition.isEmpty ? "\(least.n) rows" : least.slice.composition
        return """
            \(small.count) of \(evaluated.count) slices have fewer than \(limit) \(task == .regression ? "" : "rows ")\
            \(what) (least: \(least.slice.name), \(shown))
            """
    }

    /// The blocking tests Holm's correction runs over: each change rule on each evaluated slice.
    static func family(_ report: Report, rules: Int) -> Int { report.slices.filter(\.evaluated).count * rules }

    /// Enough resamples that the smallest bootstrap p-value, 1/(B+1), can
    /// survive Holm over `family` tests at 95%: at least 1000, in thousands.
    static func bootstrapSize(family: Int) -> Int {
        let needed = family * 20
        return max(1000, (needed / 1000 + 1) * 1000)
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
    }
}
