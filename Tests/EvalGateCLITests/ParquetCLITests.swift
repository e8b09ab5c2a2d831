import Foundation
import Testing

/// The example gates with their data as Parquet, written by pyarrow and
/// pandas with their defaults and common switches (`.ci/run` writes them
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
        return variants.split(separator: "\n").flatMap { variant in
            ["fraud.yaml", "breast-cancer.yaml", "wine.json", "diabetes.yaml"].map { "\(variant)/\($0)" }
        }
    }()

    /// report.json without what names the files (paths, hashes, the drift
    /// reference's path in its reasons).
    static func comparable(_ path: String) throws -> String {
        var report = try CLI.json(path)
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
        #expect(!folder.isEmpty && Self.cases.count >= 32, "EVALGATE_REQUIRE_PARQUET=1 but no Parquet variants")
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
        #expect(try Self.comparable("\(dir)/parquet/report.json") == Self.comparable("\(dir)/csv/report.json"))
    }
}
