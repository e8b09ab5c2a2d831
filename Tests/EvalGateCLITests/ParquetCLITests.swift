import Foundation
import Testing

/// The example gates with their data as Parquet, written by pyarrow,
/// pandas, Polars and DuckDB with their defaults and common switches, and
/// the fraud golden set as Hive-partitioned folders (`.ci/run` writes them
/// with scripts/harness/make-parquet.py and sets EVALGATE_TEST_PARQUET):
/// every report is the CSV run's but for the input paths and hashes.
struct ParquetCLITests {
    typealias CLI = CLITests

    static let folder: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["EVALGATE_TEST_PARQUET"], !folder.isEmpty { return folder }
        if environment["EVALGATE_REQUIRE_PARQUET"] == "1" { return "" }
        return nil
    }()

    static let cases: [String] = {
        guard let folder, let variants = try? String(contentsOfFile: "\(folder)/variants.txt", encoding: .utf8) else {
            return []
        }
        // Each variant folder holds the gates its writer could write (the
        // partitioned ones only the fraud gate, whose golden set is a folder).
        return variants.split(separator: "\n").flatMap { variant in
            ["fraud.yaml", "breast-cancer.yaml", "wine.json", "diabetes.yaml"].filter { gate in
                FileManager.default.fileExists(atPath: "\(folder)/\(variant)/\(gate)")
            }.map { "\(variant)/\($0)" }
        }
    }()

    /// report.json without what names the files (paths, hashes, the drift
    /// reference's path in its reasons). A partitioned folder holds the
    /// rows in another order, so sums (log_loss) may differ in the last
    /// bits: numbers are then compared to 12 significant digits.
    static func comparable(_ path: String, rounded: Bool = false) throws -> String {
        var report = try CLI.json(path)
        if rounded { report = Self.rounded(report) as! [String: Any] }
        for key in ["inputs", "contract"] { report.removeValue(forKey: key) }
        if var drift = report["drift"] as? [String: Any] {
            drift.removeValue(forKey: "reference")
            report["drift"] = drift
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self).replacingOccurrences(
            of: #"against the reference [^ ,]+"#, with: "against the reference REF", options: .regularExpression)
    }

    @Test func theGeneratedFilesAreThere() throws {
        guard let folder = Self.folder else { return }
        #expect(!folder.isEmpty && Self.cases.count >= 59, "EVALGATE_REQUIRE_PARQUET=1 but no Parquet variants")
    }

    @Test(arguments: cases)
    func aParquetRunReportsWhatTheCSVRunDoes(_ entry: String) throws {
        let folder = try #require(Self.folder)
        let gate = String(entry.split(separator: "/")[1])
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = try CLI.run(["check", "gates/\(gate)", "--report-dir", "\(dir)/csv", "--jobs", "2"])
        let parquet = try CLI.run(["check", "\(folder)/\(entry)", "--report-dir", "\(dir)/parquet", "--jobs", "2"])
        #expect(parquet.status == csv.status, "\(parquet.stderr)")
        let reordered = entry.contains("partitioned")
        #expect(
            try Self.comparable("\(dir)/parquet/report.json", rounded: reordered)
                == Self.comparable("\(dir)/csv/report.json", rounded: reordered))
    }

    static func rounded(_ value: Any) -> Any {
        switch value {
        case let number as NSNumber where String(cString: number.objCType) != "c":  // not a Bool
            return String(format: "%.12g", number.doubleValue)
        case let object as [String: Any]: return object.mapValues(rounded)
        case let array as [Any]: return array.map(rounded)
        default: return value
        }
    }

    /// Files make-parquet.py writes to be refused (`refusals/`): the file,
    /// whether the gate reads the odd column `extra` (as a `by:` slice), the
    /// exit code and words the one sentence must hold.
    static let refusals: [(file: String, readsExtra: Bool, status: Int32, words: [String])] = [
        ("plain.parquet", true, 0, []),
        ("struct.parquet", true, 3, ["column 'extra' is a nested (struct) column", "flatten it"]),
        ("struct.parquet", false, 0, []),
        ("list.parquet", true, 3, ["column 'extra' is a repeated (list) column"]),
        ("brotli.parquet", true, 3, ["row group 0, column 'extra'", "BROTLI", "compression='snappy'"]),
        // A codec evalgate cannot read, in a column the gate does not read, is no error.
        ("brotli.parquet", false, 0, []),
        ("latin1.parquet", true, 3, ["column 'extra', page 1", "not UTF-8 (byte 4 of it)", "decode the text"]),
        ("crc.parquet", true, 3, ["row group 0, column 'extra', page 0", "CRC"]),
        ("encrypted.parquet", false, 3, ["is an encrypted Parquet file", "decrypt it first"]),
        ("cut.parquet", false, 3, ["does not end with PAR1: it is cut short"]),
        ("magic.parquet", false, 3, ["is not a Parquet file (it does not start with PAR1)"]),
        ("footer.parquet", false, 3, ["its footer says", "more than the file holds"]),
    ]

    @Test(arguments: refusals.indices)
    func aBadFileIsOneSentenceAndExit3(_ index: Int) throws {
        guard let folder = Self.folder, !folder.isEmpty else { return }
        let (file, readsExtra, status, words) = Self.refusals[index]
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.checkOneFile(
            "\(folder)/refusals/\(file)", positive: #""1""#,
            slices: ["{name: all, where: 'score >= 0'}"] + (readsExtra ? ["{name: odd, by: extra}"] : []),
            check: "{metric: auc, min: 0.5}", in: dir)
        #expect(run.status == status, "\(file): \(run.stderr)")
        for word in words { #expect(run.stderr.contains(word), "\(file): \(run.stderr)") }
        if status == 3 {
            #expect(run.stderr.contains("\(file):"), "names the file: \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count <= 2, "one sentence: \(run.stderr)")
        }
    }

    /// A BOOLEAN label with `positive: true`, and timestamps, dates and
    /// dictionary strings as slices (types/types.parquet).
    @Test func booleanLabelsAndTimestampsGate() throws {
        guard let folder = Self.folder, !folder.isEmpty else { return }
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.checkOneFile(
            "\(folder)/types/types.parquet", positive: "true",
            slices: [
                #"{name: march, where: 'ts_us >= "2024-03-01" and day == "2024-03-01"'}"#, "{name: color, by: color}",
            ],
            check: "{metric: accuracy, min: 0.5}", in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let slices = try #require(try CLI.json("\(dir)/out/report.json")["slices"] as? [[String: Any]])
        let rows = Dictionary(
            uniqueKeysWithValues: slices.map { ($0["name"] as? String ?? "", $0["rows"] as? Int ?? -1) })
        // Only row a is on 2024-03-01 (b has no timestamp, c is 1969); colors: a red, b missing, c blue.
        #expect(rows == ["overall": 3, "march": 1, "color/red": 1, "color/blue": 1, "color/(missing)": 1])
    }

    /// `check` on a gate whose dataset and candidate are the one file
    /// `path` (columns id, label, score), in `dir`.
    static func checkOneFile(
        _ path: String, positive: String, slices: [String], check: String, in dir: String
    ) throws -> CLI.Run {
        let gate = """
            version: 1
            name: one-file
            task: binary
            dataset: {path: \(path), id: id, label: label, positive: \(positive)}
            models:
              candidate: {path: \(path), score: score}
            min_slice_size: 1
            slices:
            \(slices.map { "  - \($0)" }.joined(separator: "\n"))
            checks:
              - \(check)
            """
        try gate.write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        return try CLI.run(["check", "\(dir)/gate.yaml", "--report-dir", "\(dir)/out"])
    }
}
