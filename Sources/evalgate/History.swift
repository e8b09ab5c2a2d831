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
        do {
            let ledger = try Ledger(location!, mustExist: true)
            try checkNames(in: ledger)
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
        } catch let error as LedgerError {
            throw EvalGateError(error)
        }
        Console.write(text: output)
    }

    /// An unknown --gate, --metric or --slice is a typo until shown
    /// otherwise: exit 2 with a did-you-mean over what the ledger holds.
    private func checkNames(in ledger: Ledger) throws {
        var asked: [(Ledger.Name, String, String?)] = []
        if let gate { asked.append((.gate, gate, nil)) }
        if let metric { asked += [(.metric, metric, gate), (.slice, slice, gate)] }
        for (name, value, gate) in asked {
            let known = try ledger.recorded(name, gate: gate)
            // An empty ledger has nothing to compare with; it says "no runs" itself.
            guard !known.isEmpty, !known.contains(value) else { continue }
            let of = gate.map { " of gate '\($0)'" } ?? ""
            // A near-miss, else the one name that holds what was typed ("fraud" for "fraud-detector").
            let holding = known.filter { $0.lowercased().contains(value.lowercased()) }
            let guess =
                (suggestion(for: value, among: known) ?? (holding.count == 1 ? holding[0] : nil))
                .map { "did you mean \(quote($0))? The" } ?? "the"
            let shown = known.prefix(20).joined(separator: ", ") + (known.count > 20 ? ", ..." : "")
            throw EvalGateError(
                .commandLine, at: .init(file: ledger.name), "no \(name.rawValue) \(quote(value)) in the runs\(of)",
                fix: "\(guess) ledger holds \(name.rawValue)s: \(shown)")
        }
    }
}
