import ArgumentParser
import EvalGateCore
import Foundation

@main
struct EvalGate: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Block a model that is worse than its champion: score both on a golden set, slice by slice, and gate.",
        discussion: """
            Exit codes: 0 every blocking check passed, 1 a blocking check failed (regression), \
            2 invalid gate file or command line, 3 unusable data.
            """,
        version: "evalgate \(version)",
        subcommands: [Check.self, Validate.self, Schema.self]
    )

    /// Runs the command and maps every outcome to SPEC.md's exit codes:
    /// argument errors are 2, never ArgumentParser's default 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as EvalGateError {
            FileHandle.standardError.write(Data("evalgate: error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
