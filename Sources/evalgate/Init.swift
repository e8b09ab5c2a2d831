import ArgumentParser
import EvalGateCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write a commented gate file for your data: columns, task, slices and checks proposed from the files.",
        discussion: """
            evalgate init --dataset golden.csv --candidate predictions.csv [--champion champion.csv] \
            [--out gates/model.yaml]
            Every guess can be overridden; an ambiguous guess stops with the flag that settles it.
            """)

    @Option(help: ArgumentHelp("The golden dataset (CSV, TSV or JSON Lines).", valueName: "path"))
    var dataset: String

    @Option(help: ArgumentHelp("The candidate's predictions.", valueName: "path"))
    var candidate: String

    @Option(help: ArgumentHelp("The champion's predictions (adds checks against it).", valueName: "path"))
    var champion: String?

    @Option(help: ArgumentHelp("Where to write the gate file.", valueName: "path"))
    var out = "gates/model.yaml"

    @Flag(help: "Overwrite --out if it exists.")
    var force = false

    @Option(help: ArgumentHelp("The gate's name (default: from --out or the dataset's folder).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The id column (in both files).", valueName: "column"))
    var id: String?

    @Option(help: ArgumentHelp("The label column of the dataset.", valueName: "column"))
    var label: String?

    @Option(help: ArgumentHelp("binary: the positive label value.", valueName: "value"))
    var positive: String?

    @Option(
        help: ArgumentHelp(
            "The score (binary), prediction (regression) or predicted-class (multiclass) column.", valueName: "column"))
    var score: String?

    @Option(
        help: ArgumentHelp("binary, multiclass or regression (default: from the label's values).", valueName: "task"))
    var task: ModelTask?

    func validate() throws {
        if let name, !isValidName(name) {
            throw ValidationError("--name may use only letters, digits, '.', '_' and '-'")
        }
    }

    func run() throws {
        guard force || !FileManager.default.fileExists(atPath: out) else {
            throw EvalGateError.usage("\(out) exists; choose another --out, or pass --force to overwrite it")
        }
        var request = GateScaffold.Request(dataset: dataset, candidate: candidate, champion: champion, out: out)
        request.name = name
        request.id = id
        request.label = label
        request.positive = positive
        request.score = score
        request.task = task
        let proposal = try GateScaffold.propose(request)

        // Score the candidate once with a floor of 0 to set a floor just below it.
        let folder = (out as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let draft = "\(folder.isEmpty ? "." : folder)/.evalgate-init-\(ProcessInfo.processInfo.processIdentifier).yaml"
        try GateScaffold.render(proposal, request: request, floor: nil).write(
            toFile: draft, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: draft) }
        let scored = Pipeline.run(RunOptions(gatePath: draft, jobs: ProcessInfo.processInfo.activeProcessorCount))
        if let error = scored.error, error.exitCode == 3 { throw error }
        let today = scored.slices.first { $0.name == "overall" }?.values.first { $0.metric == proposal.mainMetric }?
            .candidate
        let text = GateScaffold.render(
            proposal, request: request, floor: today.map { (GateScaffold.floor(below: $0), $0) })
        // Validated beside --out (so its relative paths resolve), then moved
        // there: a gate that does not validate never replaces anything.
        try text.write(toFile: draft, atomically: true, encoding: .utf8)
        let checked = try Pipeline.validate(RunOptions(gatePath: draft, jobs: 1))
        for problem in checked.errors { Console.error("\(out): \(problem)") }
        if !checked.errors.isEmpty { throw ExitCode(2) }
        if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
        try FileManager.default.moveItem(atPath: draft, toPath: out)
        var columns = ""
        if let score = proposal.score {
            columns = "score '\(score)'"
        } else if let scores = proposal.scores {
            columns = "class columns " + scores.map { "\($0.label)=\($0.column)" }.joined(separator: ", ")
        } else if let prediction = proposal.prediction {
            columns = "predicted classes '\(prediction)'"
        }
        let positive = proposal.positive.map { " (positive \"\($0)\")" } ?? ""
        let summary =
            "task \(proposal.task.rawValue), id '\(proposal.id)', label '\(proposal.label)'\(positive), \(columns)"
        Console.write([
            "wrote \(out): \(summary), \(proposal.slices.count) slice definitions (\(checked.slices.count) slices)",
            "next: evalgate check \(out)",
        ])
    }
}

extension ModelTask: ExpressibleByArgument {}
