import ArgumentParser
import EvalGateCore
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score candidate and champion on every slice and apply the gate's checks.")

    @Argument(help: "The gate file (YAML or JSON).")
    var gateFile: String

    @Option(help: ArgumentHelp("Golden dataset; overrides dataset.path in the gate file.", valueName: "path"))
    var dataset: String?

    @Option(help: ArgumentHelp("Candidate predictions; overrides models.candidate.path.", valueName: "path"))
    var candidate: String?

    @Option(help: ArgumentHelp("Champion predictions; overrides models.champion.path.", valueName: "path"))
    var champion: String?

    @Option(help: ArgumentHelp("Folder for report.json, junit.xml, summary.md and report.html.", valueName: "dir"))
    var reportDir = "evalgate-report"

    @Option(help: ArgumentHelp("Write report.json here instead.", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Write junit.xml here instead.", valueName: "path"))
    var junit: String?

    @Option(help: ArgumentHelp("Write summary.md here instead.", valueName: "path"))
    var markdown: String?

    @Option(help: ArgumentHelp("Write report.html here instead.", valueName: "path"))
    var html: String?

    @Option(
        help: ArgumentHelp(
            "Parallel workers; results never depend on it. Default: the number of cores.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: ArgumentHelp(
            """
            Append the run to this ledger: a SQLite file, or a postgres://USER@HOST:PORT/DB URL for a team \
            (default: $EVALGATE_LEDGER).
            """,
            valueName: "path-or-url"))
    var ledger: String?

    @Option(
        name: .customLong("label"),
        help: ArgumentHelp(
            "Record KEY=VALUE with the run, in report.json and the ledger (repeatable), e.g. --label model_version=42.",
            valueName: "key=value"))
    var labels: [String] = []

    @Option(
        help: ArgumentHelp(
            """
            Take the champion's values from a recorded run instead of champion predictions: last-pass (the gate's \
            newest passing run on this golden set) or a run id. Needs a ledger.
            """,
            valueName: "last-pass|run-id"))
    var baseline: String?

    @Option(
        help: ArgumentHelp(
            """
            Confine the run to this folder: every path the gate file names must resolve inside it, symlinks \
            followed (default: $EVALGATE_ROOT). Paths given on the command line are not checked.
            """,
            valueName: "dir"))
    var root: String?

    @OptionGroup(title: "MLflow") var registry: RegistryOptions

    @Flag(help: "Print nothing on stdout; the exit code and the reports tell the result.")
    var quiet = false

    @Flag(help: "No ANSI colours (also when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more, got \(jobs)") }
        if let baseline, BaselineSelector(baseline) == nil {
            throw ValidationError("--baseline takes last-pass or a run id (a positive number), got '\(baseline)'")
        }
        if baseline != nil, ledgerLocation == nil {
            throw ValidationError(
                "--baseline reads a recorded run, so it needs --ledger PATH_OR_URL (or EVALGATE_LEDGER)")
        }
        do { _ = try Lineage.labels(labels) } catch { throw ValidationError(error.description) }
    }

    private var ledgerLocation: String? { Ledger.location(ledger) }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var options = RunOptions(
            gatePath: gateFile, datasetPath: dataset, candidatePath: candidate, championPath: champion, jobs: jobs)
        options.root = Workspace.location(root, environment: environment)
        options.memoryCheck = environment["EVALGATE_MEMORY_CHECK"] != "off"
        options.lineage = Lineage(ci: CIContext.from(environment), labels: try Lineage.labels(labels))
        let session = RegistrySession(registry, environment: environment)
        options.lineage.models = session.models
        let opened = openLedger(environment, options: &options)
        var decided = Pipeline.run(options)
        if registry.location != nil { decided.mlflowExperiment = registry.mlflowExperiment ?? decided.gate }
        let report = decided
        var clock = StageClock()
        // The four renderers are pure functions of the report: run them side by side.
        // report.json also goes to the ledger and summary.md to GitHub's job summary.
        let outputs: [(format: any ReportFormat.Type, path: String?)] = [
            (JSONReport.self, json), (JUnitReport.self, junit), (MarkdownReport.self, markdown),
            (HTMLReport.self, html),
        ]
        let rendered = parallelMap(outputs.map(\.format), jobs: jobs) { $0.render(report) }
        let renderedAs = Dictionary(uniqueKeysWithValues: zip(outputs.map { $0.format.fileName }, rendered))
        let reportJSON = renderedAs[JSONReport.fileName]!
        let summary = renderedAs[MarkdownReport.fileName]!
        clock.lap("render the reports")
        let written = try ReportWriter(
            outputs: zip(outputs, rendered).map { output, text in
                (output.path ?? "\(reportDir)/\(output.format.fileName)", text)
            }
        ).write()
        clock.lap("write the reports")
        if let error = report.error { Console.error(error.description) }
        if !quiet {
            let color = !noColor && environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
            Console.write(ConsoleSummary.lines(report, reportPaths: written), color: color)
        }
        let ledgerRun = opened.flatMap { record(report, json: reportJSON, in: $0) }
        let files = zip(outputs.map { $0.format.fileName }, rendered).map { (name: $0, bytes: Data($1.utf8)) }
        session.record(report, files: files, gateFile: gateFile, ledgerRun: ledgerRun, quiet: quiet)
        if environment["GITHUB_ACTIONS"] == "true" {
            do {
                let annotations = try GitHubActions.publish(
                    report, summary: summary, reportDirectory: reportDir, environment: environment)
                Console.write(annotations)
            } catch {
                // The gate has decided; a side channel that cannot be written does not change that.
                Console.warning(error.description)
            }
        }
        throw ExitCode(report.exitCode)
    }

    /// The ledger, when one is named. One that cannot be opened never
    /// changes the verdict; it only stops a --baseline, which cannot be read
    /// without it.
    private func openLedger(
        _ environment: [String: String], options: inout RunOptions
    ) -> Result<Ledger, LedgerError>? {
        guard let location = ledgerLocation else { return nil }
        var clock = StageClock()
        let opened = Result { () throws(LedgerError) in try Ledger(location, environment: environment) }
        clock.lap("ledger: open and migrate")
        if let selector = baseline.flatMap(BaselineSelector.init) {
            options.baseline = { (gate, datasetSha256) throws(EvalGateError) in
                switch opened {
                case .success(let ledger):
                    return try ledger.baseline(selector, gate: gate, datasetSha256: datasetSha256)
                case .failure(let error):
                    throw EvalGateError(error, consequence: "the baseline cannot be read")
                }
            }
        }
        return opened
    }

    /// Appends the run to the ledger. Whatever goes wrong there is a warning:
    /// the gate has decided, and a ledger never turns a verdict around.
    /// The ledger's run id, when the run was recorded.
    private func record(_ report: Report, json: String, in opened: Result<Ledger, LedgerError>) -> Int? {
        do throws(LedgerError) {
            let ledger = try opened.get()
            let recorded = try ledger.record(report, reportJSON: json, version: EvalGateVersion.current)
            if !quiet {
                let repeated =
                    recorded.repeatOf.map { " (a repeat of run \($0): same gate file, inputs and evalgate version)" }
                    ?? ""
                Console.write(["ledger: recorded as run \(recorded.id) in \(ledger.name)\(repeated)"])
            }
            if let first = recorded.repeatOf, !recorded.differences.isEmpty {
                let shown = recorded.differences.prefix(5).joined(separator: "; ")
                let more = recorded.differences.count > 5 ? " (+\(recorded.differences.count - 5) more)" : ""
                Console.warning(
                    """
                    the evaluation is not reproducible: run \(recorded.id) has the same gate file, inputs and \
                    evalgate version as run \(first) but differs: \(shown)\(more)
                    """
                )
            }
            return recorded.id
        } catch {
            Console.warning("\(error.description); this run was not recorded (the verdict and exit code stand)")
            return nil
        }
    }
}
