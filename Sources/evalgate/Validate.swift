import ArgumentParser
import EvalGateCore
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and lint the gate file and check that every named file and column exists; score nothing.")

    @Argument(help: "The gate file (YAML or JSON).")
    var gateFile: String

    @Option(
        help: ArgumentHelp(
            "Every path the gate file names must resolve inside this folder (default: $EVALGATE_ROOT).",
            valueName: "dir"))
    var root: String?

    func run() throws {
        var options = RunOptions(gatePath: gateFile, jobs: 1)
        options.root = Workspace.location(root, environment: ProcessInfo.processInfo.environment)
        options.memoryCheck = ProcessInfo.processInfo.environment["EVALGATE_MEMORY_CHECK"] != "off"
        let result = try Pipeline.validate(options)
        if let last = result.errors.last {
            for warning in result.warnings { Console.warning("\(gateFile): \(warning)") }
            for error in result.errors.dropLast() { Console.error("\(gateFile): \(error)") }
            // The last one ends the run as every error does (exit 2).
            throw EvalGateError(.gateFile, at: .init(file: gateFile), last)
        }
        let models = result.data.champion == nil ? "candidate" : "candidate and champion"
        let drift =
            result.drift.map {
                ", and \($0.columns.count) drift columns against \($0.reference.path) (\($0.reference.rows) rows)"
            } ?? ""
        Console.write([
            """
            \(gateFile): valid gate '\(result.contract.name)' (\(result.contract.task.rawValue)): \
            \(result.contract.checks.count) checks, \(result.slices.count) slices from \
            \(result.contract.slices.count) definitions, \(result.data.rowCount) golden rows joined with the \
            \(models) predictions\(drift)
            """
        ])
        for warning in result.warnings { Console.warning("\(gateFile): \(warning)") }
        for note in result.notes { Console.write(["note: \(note)"]) }
    }
}
