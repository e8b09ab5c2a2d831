import Foundation

@testable import EvalGateCore

/// The repository root, for fixtures and example gates.
let repoRoot: String = {
    // Tests/EvalGateCoreTests/Helpers/TestSupport.swift: four levels up.
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh temporary folder holding the given files.
func scratch(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, content) in files {
        let path = "\(folder)/\(name)"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return folder
}

/// Decodes a gate file given as text; the error, if any, is returned.
func decode(_ yaml: String, path: String = "gate.yaml") -> Result<Contract, EvalGateError> {
    Result { () throws(EvalGateError) in try ContractDecoder(displayPath: path, text: yaml, baseDirectory: "").decode()
    }
}

func decodeError(_ yaml: String) -> String? {
    if case .failure(let error) = decode(yaml) { return error.description }
    return nil
}

/// A CSV table with every column requested.
func csvTable(_ text: String, file: String = "data.csv", delimiter: Character = ",") throws -> Table {
    let header =
        text.split(whereSeparator: \.isNewline).first.map {
            $0.split(separator: delimiter).map { String($0).replacingOccurrences(of: "\u{FEFF}", with: "") }
        } ?? []
    return try CSVReader.read(file: file, bytes: Array(text.utf8), delimiter: delimiter.asciiValue!, columns: header)
}

/// Scores all rows with the given metrics (binary).
func binaryMetrics(labels: [UInt8], scores: [Double], weights: [Double]?, threshold: Double = 0.5) -> [String:
    MetricValue]
{
    let definitions = MetricRegistry.all.filter { $0.fits(.binary) }
    let data = EvaluationData(
        rowCount: labels.count,
        columns: SliceColumns(
            table: Table(file: "t", header: [], rowCount: labels.count, bytes: [], cells: [:], lines: []), uses: []),
        weights: weights, labels: .binary(labels), candidate: .scores(scores), champion: nil, inputs: [])
    let scorer = Scorer(data: data, predictions: .scores(scores), metrics: definitions, threshold: threshold)
    let slice = SliceRows(name: "overall", group: nil, key: nil, rows: (0..<Int32(labels.count)).map { $0 })
    let plan = SlicePlan([slice], evaluated: [true], rowCount: labels.count)
    let values = scorer.score(plan, passes: [0], slices: [slice])[0][0]
    return Dictionary(uniqueKeysWithValues: zip(definitions.map(\.name), values))
}

/// Runs the pipeline on a gate file in a folder.
func runGate(_ folder: String, gate: String = "gate.yaml", jobs: Int = 2) -> Report {
    Pipeline.run(RunOptions(gatePath: "\(folder)/\(gate)", jobs: jobs))
}

func isClose(_ a: Double?, _ b: Double, rel: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-12
}
