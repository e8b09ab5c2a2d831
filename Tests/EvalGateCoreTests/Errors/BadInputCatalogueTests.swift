import Foundation
import Testing

@testable import EvalGateCore

/// One row per error path of the contract (command line, gate file, data):
/// the input, the exit code, and the words the message must contain. A new
/// error path without a row here is visible in review.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    /// File name -> bytes; `gate.yaml` is the gate that runs.
    var files: [String: [UInt8]]
    var exit: Int32
    var words: [String]

    var testDescription: String { name }

    /// The standard gate over `golden.csv` and `pred.csv`, with `edit` applied.
    static func gate(
        _ name: String, exit: Int32, _ words: [String], edit: (String) -> String = { $0 },
        files: [String: String] = [:], raw: [String: [UInt8]] = [:]
    ) -> BadInput {
        var all = ["gate.yaml": edit(baseGate), "golden.csv": golden, "pred.csv": predictions]
        for (file, text) in files { all[file] = text }
        var bytes = all.mapValues { Array($0.utf8) }
        for (file, data) in raw { bytes[file] = data }
        return BadInput(name: name, files: bytes, exit: exit, words: words)
    }

    static let baseGate = """
        version: 1
        name: catalogue
        dataset: {path: golden.csv, id: id, label: y}
        models: {candidate: {path: pred.csv, score: s}}
        slices:
          - {name: big, where: 'amount >= 100'}
          - {name: shop, by: m}
        checks:
          - {metric: auc, slices: ["*"], min: 0.1}

        """
    static let golden = "id,y,m,amount\n1,1,a,50\n2,0,b,150\n3,1,a,300\n4,0,b,20\n"
    static let predictions = "id,s\n1,0.9\n2,0.2\n3,0.7\n4,0.4\n"

    static func edits(_ steps: ((String) -> String)...) -> (String) -> String {
        { gate in steps.reduce(gate) { $1($0) } }
    }

    static func replace(_ old: String, _ new: String) -> (String) -> String {
        { gate in
            precondition(gate.contains(old), "the catalogue edit '\(old)' does not apply")
            return gate.replacingOccurrences(of: old, with: new)
        }
    }
}

struct BadInputCatalogueTests {
    static let gateFile: [BadInput] = [
        .gate("unknown key", exit: 2, ["gate.yaml:", "unknown key 'colour'"], edit: { $0 + "colour: red\n" }),
        .gate(
            "near-miss key", exit: 2, ["unknown key 'check'", "Did you mean 'checks'?"],
            edit: BadInput.replace("checks:", "check:")),
        .gate(
            "wrong type", exit: 2, ["gate.yaml:10:17", "min_slice_size: expected a whole number, found 'many'"],
            edit: { $0 + "min_slice_size: many\n" }),
        .gate(
            "negative min_slice_size", exit: 2, ["min_slice_size must be 0 or more"],
            edit: { $0 + "min_slice_size: -1\n" }),
        .gate(
            "unknown metric", exit: 2, ["checks[0].metric", "unknown metric 'aucc'", "Did you mean 'auc'?"],
            edit: BadInput.replace("metric: auc", "metric: aucc")),
        .gate(
            "metric of another task", exit: 2, ["checks[0].metric", "mae"],
            edit: BadInput.replace("metric: auc", "metric: mae")),
        .gate(
            "change rule without direction", exit: 2, ["positive_rate", "max_drop"],
            edit: BadInput.replace("metric: auc, slices: [\"*\"], min: 0.1", "metric: positive_rate, max_drop: 0.1")),
        .gate(
            "across an undefined group", exit: 2, ["checks[0].across", "'shops' is not a slice group"],
            edit: BadInput.replace("slices: [\"*\"], min: 0.1", "across: shops, max_gap: 0.1")),
        .gate(
            "unparsable where", exit: 2, ["gate.yaml:6:", "where"],
            edit: BadInput.replace("'amount >= 100'", "'amount >= '")),
        .gate(
            "version 2", exit: 2, ["this gate file needs evalgate for version 2"],
            edit: BadInput.replace("version: 1", "version: 2")),
        .gate(
            "no version", exit: 2, ["missing required key 'version'", "version: 1"],
            edit: BadInput.replace("version: 1\n", "")),
        .gate("bad gate name", exit: 2, ["gate name", "a b"], edit: BadInput.replace("name: catalogue", "name: a b")),
        .gate(
            "duplicate slice name", exit: 2, ["slice name 'big' is used twice"],
            edit: BadInput.replace("name: shop", "name: big")),
        .gate(
            "overall as a slice", exit: 2, ["'overall' always exists"],
            edit: BadInput.replace("name: shop", "name: overall")),
        .gate("YAML syntax", exit: 2, ["gate.yaml:"], edit: { $0 + "checks: [unclosed\n" }),
        .gate(
            "no checks", exit: 2, ["missing required key 'checks'"],
            edit: { String($0[..<$0.range(of: "checks:")!.lowerBound]) }),
        .gate(
            "bins not increasing", exit: 2, ["bin edges must increase strictly"],
            edit: BadInput.replace("{name: shop, by: m}", "{name: shop, by: amount, bins: [100, 10]}")),
        .gate(
            "threshold out of range", exit: 2, ["decision_threshold must be between 0 and 1"],
            edit: { $0 + "decision_threshold: 2\n" }),
        .gate(
            "sha256 pin malformed", exit: 2, ["sha256 must be 64 hexadecimal characters"],
            edit: BadInput.replace("label: y}", "label: y, sha256: abc}")),
        .gate(
            "gate file not UTF-8", exit: 2,
            ["gate.yaml:2:", "byte offset", "0xE9", "not valid UTF-8", "iconv -f latin1 -t utf-8"],
            raw: ["gate.yaml": Array("version: 1\nname: caf".utf8) + [0xE9] + Array("\n".utf8)]),
        .gate("empty gate file", exit: 2, ["the gate file is empty"], raw: ["gate.yaml": []]),
        .gate(
            "max_slices_per_group below 1", exit: 2, ["max_slices_per_group must be 1 or more"],
            edit: { $0 + "max_slices_per_group: 0\n" }),
        .gate(
            "a by with more values than max_slices_per_group", exit: 2,
            [
                "gate.yaml:7:", "slices[1].by", "column 'id' has 4 distinct values", "max_slices_per_group (3)",
                "did you mean to bin it",
            ],
            edit: BadInput.edits(BadInput.replace("by: m}", "by: id}"), { $0 + "max_slices_per_group: 3\n" })),
        .gate(
            "crossed combinations above max_slices_per_group", exit: 2,
            ["occur in 4 combinations", "max_slices_per_group (3)"],
            edit: BadInput.edits(BadInput.replace("by: m}", "by: [m, k]}"), { $0 + "max_slices_per_group: 3\n" }),
            files: ["golden.csv": "id,y,m,amount,k\n1,1,a,50,1\n2,0,b,150,1\n3,1,a,300,2\n4,0,b,20,2\n"]),
        .gate(
            "a gate that gates nothing", exit: 2,
            ["nothing would be gated", "all 1 results were skipped", "cannot pass"],
            edit: BadInput.replace("slices: [\"*\"], min: 0.1", "slices: [overall], max_drop: 0.1")),
        .gate(
            "every slice too small", exit: 2, ["nothing would be gated", "too small"],
            edit: { $0 + "min_slice_size: 100\n" }),
    ]

    static let data: [BadInput] = [
        .gate(
            "dataset not found", exit: 3, ["golden.csv", "file not found", "relative to the gate file's folder"],
            edit: BadInput.replace("path: golden.csv", "path: missing/golden.csv")),
        .gate(
            "unsupported file type", exit: 3, ["unsupported file type", ".csv"],
            edit: BadInput.replace("path: pred.csv", "path: pred.xlsx"), files: ["pred.xlsx": "x"]),
        .gate(
            "label column missing", exit: 3, ["column 'label' not found", "The file has: id, y, m, amount"],
            edit: BadInput.replace("label: y}", "label: label}")),
        .gate(
            "column near miss", exit: 3, ["column 'ss' not found", "Did you mean 's'?"],
            edit: BadInput.replace("score: s}", "score: ss}")),
        .gate(
            "column twice in the header", exit: 3, ["column 's' appears twice"],
            files: ["pred.csv": "id,s,s\n1,0.9,0.9\n"]),
        .gate("empty file", exit: 3, ["pred.csv", "the file is empty"], files: ["pred.csv": ""]),
        .gate(
            "header without rows", exit: 3, ["golden.csv", "header but no rows"],
            files: ["golden.csv": "id,y,m,amount\n"]),
        .gate(
            "ragged row", exit: 3, ["pred.csv", "line 3 has 3 fields but the header has 2"],
            files: ["pred.csv": "id,s\n1,0.9\n2,0.2,x\n3,0.7\n4,0.4\n"]),
        .gate(
            "unclosed quote", exit: 3, ["line 3: a quoted field is never closed"],
            files: ["pred.csv": "id,s\n1,0.9\n\"2,0.2\n3,0.7\n"]),
        .gate(
            "text after a closing quote", exit: 3, ["unexpected character after a closing quote"],
            files: ["pred.csv": "id,s\n1,0.9\n\"2\"x,0.2\n3,0.7\n4,0.4\n"]),
        .gate(
            "field not UTF-8", exit: 3,
            [
                "golden.csv", "line 3, column 'm'", "byte offset 30", "the bytes 0xE9 are", "not valid UTF-8",
                "iconv -f latin1 -t utf-8 golden.csv",
            ],
            raw: [
                "golden.csv": Array("id,y,m,amount\n1,1,a,50\n2,0,caf".utf8) + [0xE9]
                    + Array(",150\n3,1,a,300\n4,0,b,20\n".utf8)
            ]),
        .gate(
            "header not UTF-8", exit: 3, ["the header (line 1)", "byte offset 2", "not valid UTF-8"],
            raw: ["pred.csv": [0x69, 0x64, 0xFF] + Array(",s\n1,0.9\n".utf8)]),
        .gate(
            "overlong UTF-8", exit: 3, ["line 2, column 's'", "0xC0 0xAF"],
            raw: ["pred.csv": Array("id,s\n1,".utf8) + [0xC0, 0xAF] + Array("\n".utf8)]),
        .gate(
            "JSON Lines not UTF-8", exit: 3, ["pred.jsonl", "line 2, key 's'", "not valid UTF-8"],
            edit: BadInput.replace("path: pred.csv", "path: pred.jsonl"),
            raw: [
                "pred.jsonl": Array("{\"id\": 1, \"s\": 0.9}\n{\"id\": 2, \"s\": \"".utf8) + [0xE9]
                    + Array("\"}\n".utf8)
            ]),
        .gate(
            "JSON Lines line not an object", exit: 3, ["pred.jsonl", "line 2 is not a JSON object"],
            edit: BadInput.replace("path: pred.csv", "path: pred.jsonl"),
            files: ["pred.jsonl": "{\"id\": 1, \"s\": 0.9}\n[1, 2]\n"]),
        .gate(
            "id missing", exit: 3, ["pred.csv", "line 3 has no value in the id column 'id'"],
            files: ["pred.csv": "id,s\n1,0.9\n,0.2\n3,0.7\n4,0.4\n"]),
        .gate(
            "id repeated", exit: 3, ["pred.csv", "1 rows repeat an id", "'3'"],
            files: ["pred.csv": "id,s\n1,0.9\n2,0.2\n3,0.7\n4,0.4\n3,0.1\n"]),
        .gate(
            "id not in the golden set", exit: 3, ["1 of 5 ids are not in the golden dataset golden.csv (first: '9')"],
            files: ["pred.csv": "id,s\n1,0.9\n2,0.2\n3,0.7\n4,0.4\n9,0.5\n"]),
        .gate(
            "golden id without prediction", exit: 3, ["1 golden ids have no prediction (first: '4')"],
            files: ["pred.csv": "id,s\n1,0.9\n2,0.2\n3,0.7\n"]),
        .gate(
            "a third label value", exit: 3, ["line 4 (id '3'), column 'y'", "'maybe'", "at most two values"],
            files: ["golden.csv": "id,y,m,amount\n1,1,a,50\n2,0,b,150\n3,maybe,a,300\n4,0,b,20\n"]),
        .gate(
            "score not a number", exit: 3, ["pred.csv", "line 3", "column 's'", "'high'"],
            files: ["pred.csv": "id,s\n1,0.9\n2,high\n3,0.7\n4,0.4\n"]),
        .gate(
            "score above 1", exit: 3, ["line 3", "column 's'", "1.5"],
            files: ["pred.csv": "id,s\n1,0.9\n2,1.5\n3,0.7\n4,0.4\n"]),
        .gate(
            "score missing", exit: 3, ["line 3", "column 's'"], files: ["pred.csv": "id,s\n1,0.9\n2,NA\n3,0.7\n4,0.4\n"]
        ),
        .gate(
            "score not finite", exit: 3, ["line 3", "column 's'", "inf"],
            files: ["pred.csv": "id,s\n1,0.9\n2,inf\n3,0.7\n4,0.4\n"]),
        .gate(
            "negative weight", exit: 3, ["column 'w'", "-1"],
            edit: BadInput.replace("label: y}", "label: y, weight: w}"),
            files: ["golden.csv": "id,y,m,amount,w\n1,1,a,50,1\n2,0,b,150,-1\n3,1,a,300,1\n4,0,b,20,1\n"]),
        .gate(
            "sha256 mismatch", exit: 3, ["golden.csv", "but the gate file pins", "restore it or update the pin"],
            edit: BadInput.replace("label: y}", "label: y, sha256: \(String(repeating: "ab", count: 32))}")),
        .gate(
            "broken gzip", exit: 3, ["pred.csv.gz", "re-create the .gz file"],
            edit: BadInput.replace("path: pred.csv", "path: pred.csv.gz"), files: ["pred.csv.gz": "not gzip"]),
        .gate(
            "where compares text with a number", exit: 3,
            ["golden.csv", "column 'm'", "is not a number", "quoted string"],
            edit: BadInput.replace("'amount >= 100'", "'m >= 100'")),
        .gate(
            "cell over the length limit", exit: 3, ["golden.csv", "line 2, column 'm'", "limit of a cell"],
            files: [
                "golden.csv":
                    "id,y,m,amount\n1,1,\(String(repeating: "x", count: Cell.maxLength + 1)),50\n2,0,b,150\n3,1,a,300\n4,0,b,20\n"
            ]),
        .gate(
            "multiclass scores that do not sum to 1", exit: 3, ["sum"],
            edit: { _ in
                "version: 1\nname: mc\ntask: multiclass\ndataset: {path: golden.csv, id: id, label: y}\nmodels: {candidate: {path: pred.csv, scores: {a: pa, b: pb}}}\nchecks: [{metric: accuracy, min: 0}]\n"
            },
            files: ["golden.csv": "id,y\n1,a\n2,b\n", "pred.csv": "id,pa,pb\n1,0.5,0.6\n2,0.1,0.9\n"]),
        .gate(
            "multiclass label that is not a class", exit: 3, ["'c'"],
            edit: { _ in
                "version: 1\nname: mc\ntask: multiclass\ndataset: {path: golden.csv, id: id, label: y}\nmodels: {candidate: {path: pred.csv, scores: {a: pa, b: pb}}}\nchecks: [{metric: accuracy, min: 0}]\n"
            },
            files: ["golden.csv": "id,y\n1,a\n2,c\n", "pred.csv": "id,pa,pb\n1,0.5,0.5\n2,0.1,0.9\n"]),
        .gate(
            "regression label that is not a number", exit: 3, ["column 'y'", "'tall'"],
            edit: { _ in
                "version: 1\nname: r\ntask: regression\ndataset: {path: golden.csv, id: id, label: y}\nmodels: {candidate: {path: pred.csv, score: s}}\nchecks: [{metric: mae, max: 1}]\n"
            },
            files: ["golden.csv": "id,y\n1,2.5\n2,tall\n", "pred.csv": "id,s\n1,2\n2,3\n"]),
    ]

    @Test(arguments: gateFile + data)
    func refusesWithTheRightExitCodeAndMessage(_ input: BadInput) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-bad-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in input.files { try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        let before = input.files.keys.sorted().map { FileManager.default.contents(atPath: "\(folder)/\($0)") }
        let report = Pipeline.run(RunOptions(gatePath: "\(folder)/gate.yaml", jobs: 2))
        let message = report.error?.description ?? "(no error; verdict \(report.verdict))"
        #expect(report.exitCode == input.exit, "\(message)")
        #expect(report.verdict == .error, "never a verdict: \(message)")
        for word in input.words { #expect(message.contains(word), "'\(word)' missing from: \(message)") }
        let after = input.files.keys.sorted().map { FileManager.default.contents(atPath: "\(folder)/\($0)") }
        #expect(before == after, "nothing the user gave is modified")
    }
}
