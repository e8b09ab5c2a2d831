import ArgumentParser
import EvalGateCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write a commented gate file for your data: columns, task, slices and checks proposed from the files.",
        discussion: """
            evalgate init --dataset golden.csv --candidate predictions.csv [--champion champion.csv] \
            [--out gates/NAME.yaml]
            Every guess can be overridden; an ambiguous guess stops with the flag that settles it.
            """)

    @Option(
        help: ArgumentHelp(
            "The golden dataset (CSV, TSV, JSON Lines or Parquet, a file or a folder).", valueName: "path"))
    var dataset: String

    @Option(help: ArgumentHelp("The candidate's predictions.", valueName: "path"))
    var candidate: String

    @Option(help: ArgumentHelp("The champion's predictions (adds checks against it).", valueName: "path"))
    var champion: String?

    @Option(help: ArgumentHelp("Where to write the gate file (default: gates/NAME.yaml).", valueName: "path"))
    var out: String?

    @Flag(help: "Overwrite --out if it exists.")
    var force = false

    @Option(
        help: ArgumentHelp(
            """
            The gate's name (default: --out's file name, else the dataset file's name, or its folder's when the file \
            is golden.csv or the like).
            """,
            valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The dataset's id column.", valueName: "column"))
    var id: String?

    @Option(
        help: ArgumentHelp(
            "The predictions' id column, when its name is not the dataset's (default: found by its values).",
            valueName: "column"))
    var predictionsId: String?

    @Option(help: ArgumentHelp("Never slice by this column (repeatable).", valueName: "column"))
    var skipColumn: [String] = []

    @Option(
        help: ArgumentHelp(
            "Slice by these columns only (comma-separated; default: every column of the dataset that fits).",
            valueName: "columns"))
    var onlyColumns: String?

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

    private var skipColumns: [String] { skipColumn }
    private var onlyColumnList: [String] {
        onlyColumns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
    }

    /// --out, else gates/NAME.yaml with the name init will give the gate.
    private var outPath: String {
        if let out { return out }
        var request = GateScaffold.Request(dataset: dataset, candidate: candidate, champion: champion, out: "")
        request.outGiven = false
        return "gates/\(name ?? GateScaffold.defaultName(request).name).yaml"
    }

    func validate() throws {
        if let name, !isValidName(name) {
            throw ValidationError("--name may use only letters, digits, '.', '_' and '-'")
        }
    }

    func run() throws {
        guard force || !FileManager.default.fileExists(atPath: outPath) else {
            throw EvalGateError.usage("\(outPath) exists; choose another --out, or pass --force to overwrite it")
        }
        var request = GateScaffold.Request(dataset: dataset, candidate: candidate, champion: champion, out: outPath)
        request.outGiven = out != nil
        request.name = name
        request.id = id
        request.predictionsId = predictionsId
        request.label = label
        request.positive = positive
        request.score = score
        request.task = task
        request.skipColumns = skipColumns
        request.onlyColumns = onlyColumnList.isEmpty ? nil : onlyColumnList
        let written = try GateScaffold.write(request, jobs: ProcessInfo.processInfo.activeProcessorCount)
        let checked = written.validation
        for problem in checked.errors { Console.error("\(outPath): \(problem)") }
        for warning in checked.warnings { Console.error("\(outPath): \(warning)") }
        if !checked.errors.isEmpty || !checked.warnings.isEmpty {
            Console.error("\(outPath): init kept the gate it wrote there; fix what is named above")
            throw ExitCode(2)
        }
        Console.write(Self.summary(written, out: outPath, request: request))
    }

    /// Every guess init made, so that a wrong one is seen at once.
    static func summary(_ written: GateScaffold.Written, out: String, request: GateScaffold.Request) -> [String] {
        let p = written.proposal
        var columns = ""
        if let score = p.score {
            columns = "score '\(score)'"
        } else if let scores = p.scores {
            columns = "class columns " + scores.map { "\($0.label)=\($0.column)" }.joined(separator: ", ")
        } else if let prediction = p.prediction {
            columns = "predicted classes '\(prediction)'"
        }
        let positive = p.positive.map { " (positive \"\($0)\")" } ?? ""
        let modelId = p.modelId.map { " ('\($0)' in the predictions)" } ?? ""
        let weight = p.weight.map { ", weight '\($0)'" } ?? ", no weight column"
        var guesses = [
            """
            wrote \(out): name '\(p.name)' (from \(p.nameSource)), task \(p.task.rawValue), id '\(p.id)'\(modelId), \
            label '\(p.label)'\(positive), \(columns)\(weight), \(p.slices.count) slice definitions \
            (\(written.validation.slices.count) slices)
            """
        ]
        if let bootstrap = written.tuning.bootstrap {
            guesses.append(
                """
                statistics on (bootstrap \(bootstrap), fail_on: significant, correction: holm), since \
                \(written.tuning.statisticsReason)
                """
            )
        }
        guesses.append("next: evalgate check \(out)")
        return guesses
    }
}

extension ModelTask: ExpressibleByArgument {}
