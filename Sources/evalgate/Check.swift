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

    @Option(help: ArgumentHelp("Folder for report.json, junit.xml and summary.md.", valueName: "dir"))
    var reportDir = "evalgate-report"

    @Option(help: ArgumentHelp("Write report.json here instead.", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Write junit.xml here instead.", valueName: "path"))
    var junit: String?

    @Option(help: ArgumentHelp("Write summary.md here instead.", valueName: "path"))
    var markdown: String?

    @Option(help: ArgumentHelp("Parallel workers; results never depend on it. Default: the number of cores.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print nothing on stdout; the exit code and the reports tell the result.")
    var quiet = false

    @Flag(help: "No ANSI colours (also when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more, got \(jobs)") }
    }

    func run() throws {
        let options = RunOptions(gatePath: gateFile, datasetPath: dataset, candidatePath: candidate, championPath: champion, jobs: jobs)
        let report = Pipeline.run(options)
        let summary = MarkdownReport.render(report)
        let writer = ReportWriter(outputs: [
            (json ?? "\(reportDir)/report.json", JSONReport.render),
            (junit ?? "\(reportDir)/junit.xml", JUnitReport.render),
            (markdown ?? "\(reportDir)/summary.md", { _ in summary }),
        ])
        let written = try writer.write(report)
        if let error = report.error {
            FileHandle.standardError.write(Data("evalgate: error: \(error.description)\n".utf8))
        }
        let environment = ProcessInfo.processInfo.environment
        if !quiet {
            let color = !noColor && environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
            print(ConsoleSummary.render(report, reportPaths: written, color: color), terminator: "")
        }
        if environment["GITHUB_ACTIONS"] == "true" {
            do {
                let annotations = try GitHubActions.publish(report, summary: summary, reportDirectory: reportDir, environment: environment)
                for line in annotations { print(line) }
            } catch {
                // The gate has decided; a side channel that cannot be written does not change that.
                FileHandle.standardError.write(Data("evalgate: warning: \(error.description)\n".utf8))
            }
        }
        throw ExitCode(report.exitCode)
    }
}
