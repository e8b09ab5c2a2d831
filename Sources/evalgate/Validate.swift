import ArgumentParser
import EvalGateCore
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and lint the gate file and check that every named file and column exists; score nothing.")

    @Argument(help: "The gate file (YAML or JSON).")
    var gateFile: String

    func run() throws {
        let result = try Pipeline.validate(RunOptions(gatePath: gateFile, jobs: 1))
        guard result.errors.isEmpty else {
            for warning in result.warnings {
                FileHandle.standardError.write(Data("evalgate: warning: \(gateFile): \(warning)\n".utf8))
            }
            for error in result.errors {
                FileHandle.standardError.write(Data("evalgate: error: \(gateFile): \(error)\n".utf8))
            }
            throw ExitCode(2)
        }
        let models = result.data.champion == nil ? "candidate" : "candidate and champion"
        let drift = result.drift.map { ", and \($0.columns.count) drift columns against \($0.reference.path) (\($0.reference.rows) rows)" } ?? ""
        print("\(gateFile): valid gate '\(result.contract.name)' (\(result.contract.task.rawValue)): \(result.contract.checks.count) checks, \(result.slices.count) slices from \(result.contract.slices.count) definitions, \(result.data.rowCount) golden rows joined with the \(models) predictions\(drift)")
        for warning in result.warnings {
            FileHandle.standardError.write(Data("evalgate: warning: \(gateFile): \(warning)\n".utf8))
        }
    }
}
