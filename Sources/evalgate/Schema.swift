import ArgumentParser
import EvalGateCore

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the gate file (for editors and YAML language servers).")

    func run() throws {
        print(GateSchema.render(), terminator: "")
    }
}
