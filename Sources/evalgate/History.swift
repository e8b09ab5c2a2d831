import ArgumentParser
import EvalGateCore
import Foundation

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs recorded in a ledger, one metric over runs, or one run in full.",
        discussion: """
            evalgate history --ledger ledger.sqlite [--gate NAME] [--limit N]
            evalgate history --ledger ledger.sqlite --metric auc --slice overall
            evalgate history --ledger ledger.sqlite --run 7 --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(
        help: ArgumentHelp(
            "The ledger: a SQLite file or a postgres:// URL (default: $EVALGATE_LEDGER).", valueName: "path-or-url"))
    var ledger: String?

    @Option(help: ArgumentHelp("Only runs of this gate (its name: in the gate file).", valueName: "name"))
    var gate: String?

    @Option(help: ArgumentHelp("How many runs, newest first.", valueName: "n"))
    var limit = 20

    @Option(help: "table (for people) or json (for scripts); --run always prints JSON.")
    var format: Format = .table

    @Option(help: ArgumentHelp("Show one metric over runs (with --slice).", valueName: "name"))
    var metric: String?

    @Option(help: ArgumentHelp("The slice of --metric.", valueName: "name"))
    var slice = "overall"

    @Option(name: .customLong("run"), help: ArgumentHelp("Show one run in full.", valueName: "id"))
    var runID: Int?

    private var location: String? { Ledger.location(ledger) }

    func validate() throws {
        guard location != nil else { throw ValidationError("history needs --ledger PATH_OR_URL (or EVALGATE_LEDGER)") }
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more, got \(limit)") }
        if runID != nil, metric != nil {
            throw ValidationError("--run shows one run; --metric shows one metric over runs; give one")
        }
    }

    func run() throws {
        // History's only purpose is the ledger: one that cannot be read is exit 3.
        let output: String
        do throws(LedgerError) {
            let ledger = try Ledger(location!)
            if let id = runID {
                guard let found = try ledger.run(id) else {
                    throw LedgerError(
                        ledger: ledger.name,
                        "has no run \(id); list the runs with 'evalgate history --ledger \(ledger.name)'")
                }
                output = HistoryFormat.run(found.summary, runKey: found.runKey, report: found.report)
            } else if let metric {
                let points = try ledger.series(metric: metric, slice: slice, gate: gate, limit: limit)
                output =
                    format == .json
                    ? HistoryFormat.seriesJSON(points) : HistoryFormat.seriesTable(points, metric: metric, slice: slice)
            } else {
                let runs = try ledger.runs(gate: gate, limit: limit)
                output =
                    format == .json ? HistoryFormat.runsJSON(runs) : HistoryFormat.runsTable(runs, ledger: ledger.name)
            }
        } catch {
            throw EvalGateError(error)
        }
        Console.write(text: output)
    }
}
