import ArgumentParser
import EvalGateCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and lint the gate file and check that every named file and column exists; score nothing.")

    @Argument(help: "The gate file (YAML or JSON).")
    var gateFile: String

    func run() throws {
        let (contract, data) = try Pipeline.validate(RunOptions(gatePath: gateFile, jobs: 1))
        let models = data.champion == nil ? "candidate" : "candidate and champion"
        print("\(gateFile): valid gate '\(contract.name)' (\(contract.task.rawValue)): \(contract.checks.count) checks, \(contract.slices.count) slice definitions, \(data.rowCount) golden rows joined with the \(models) predictions")
    }
}
