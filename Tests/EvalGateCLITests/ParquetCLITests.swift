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
        let reordered = entry.contains("partitioned") || entry.hasPrefix("pyarrow-dataset")
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
}
