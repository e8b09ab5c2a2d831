import Foundation
import Testing

/// End-to-end: runs the built `evalgate` binary and checks exit codes,
/// stderr wording and the files written.
struct CLITests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "evalgate"
        ).path
        let candidates = [beside, "\(root)/.build/debug/evalgate"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? beside
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Ended by a signal (then `status` is its number), not by exit.
        var signaled = false
    }

    @discardableResult
    static func run(
        _ arguments: [String], in directory: String = root, environment: [String: String] = [:], stdin: String? = nil,
        prefix: [String] = []
    ) throws -> Run {
        let process = Process()
        // `prefix` runs the binary under another command (prlimit, setsid).
        process.executableURL = URL(fileURLWithPath: prefix.first ?? binary)
        process.arguments = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // The runs must not pick up the CI context or ledger of whatever runs the tests.
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("GITHUB_") && !key.hasPrefix("CI_") && key != "GITLAB_CI" && key != "EVALGATE_LEDGER"
        }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try process.run()
        // Read stderr beside stdout, so that neither pipe can fill and stall the run.
        final class Box: @unchecked Sendable { var data = Data() }
        let stderr = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr.data, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal
        )
    }

    static func tempDir() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-cli-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test(arguments: [
        ("gates/fraud.yaml", Int32(1), "fail"), ("gates/breast-cancer.yaml", 0, "pass"), ("gates/wine.json", 0, "pass"),
        ("gates/diabetes.yaml", 0, "pass"),
    ])
    func exampleGatesGiveTheirVerdict(gate: String, status: Int32, verdict: String) throws {
        let out = try Self.tempDir()
        let result = try Self.run(["check", gate, "--report-dir", out])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(verdict.uppercased()))
        #expect(result.stderr.isEmpty)
        let report = try Self.json("\(out)/report.json")
        #expect(report["verdict"] as? String == verdict)
        #expect(report["exit_code"] as? Int == Int(status))
        #expect((report["contract"] as? [String: Any])?["path"] as? String == gate)
        let written = ["report.json", "junit.xml", "summary.md", "report.html"].map { "\(out)/\($0)" }
        #expect(result.stdout.contains("reports: " + written.joined(separator: ", ") + "\n"))
        #expect(written.allSatisfy(FileManager.default.fileExists(atPath:)))
    }

    @Test func htmlMovesReportHTML() throws {
        let out = try Self.tempDir()
        let result = try Self.run(["check", "gates/wine.json", "--report-dir", out, "--html", "\(out)/pages/wine.html"])
        #expect(result.status == 0)
        #expect(
            result.stdout.contains(
                "reports: \(out)/report.json, \(out)/junit.xml, \(out)/summary.md, \(out)/pages/wine.html\n"))
        let page = try String(contentsOfFile: "\(out)/pages/wine.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("confusion matrix"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/report.html"))
    }

    @Test func fraudGateNamesTheHighValueRegression() throws {
        let out = try Self.tempDir()
        let result = try Self.run(["check", "gates/fraud.yaml", "--report-dir", out, "--no-color"])
        #expect(
            result.stdout.contains(
                "FAIL [checks[1] max_drop_pct 1] recall on high_value got worse by 0.2273 (0.7386 -> 0.5114)"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func reportsAreByteIdenticalWhateverTheJobs() throws {
        for gate in ["gates/fraud.yaml", "gates/wine.json"] {
            let one = try Self.tempDir()
            let four = try Self.tempDir()
            try Self.run(["check", gate, "--report-dir", one, "--jobs", "1", "--quiet"])
            try Self.run(["check", gate, "--report-dir", four, "--jobs", "4", "--quiet"])
            for file in ["report.json", "junit.xml", "summary.md", "report.html"] {
                let a = try Data(contentsOf: URL(fileURLWithPath: "\(one)/\(file)"))
                let b = try Data(contentsOf: URL(fileURLWithPath: "\(four)/\(file)"))
                #expect(a == b, "\(gate) \(file)")
                #expect(!String(decoding: a, as: UTF8.self).contains(Self.root), "no absolute paths in \(file)")
            }
        }
    }

    @Test func invalidGateFileExitsTwoAndStillWritesAReport() throws {
        let dir = try Self.tempDir()
        try
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {score: s}}\nchecks: [{metric: aucc, min: 1}]\n"
            .write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "gate.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "evalgate: error: gate.yaml:5:19: checks[0].metric: unknown metric 'aucc'. Did you mean 'auc'?"))
        let report = try Self.json("\(dir)/evalgate-report/report.json")
        #expect(report["verdict"] as? String == "error")
        #expect(report["exit_code"] as? Int == 2)
        #expect((report["error"] as? [String: Any])?["kind"] as? String == "contract")
    }

    @Test func unsupportedVersionExitsTwo() throws {
        let dir = try Self.tempDir()
        try "version: 2\nname: g\n".write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "gate.yaml", "--quiet"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("this gate file needs evalgate for version 2"))
    }

    @Test func unusableDataExitsThree() throws {
        let dir = try Self.tempDir()
        try
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {path: p.csv, score: s}}\nchecks: [{metric: auc, min: 0.5}]\n"
            .write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        try "id,y\n1,1\n2,0\n".write(toFile: "\(dir)/d.csv", atomically: true, encoding: .utf8)
        try "id,s\n1,0.9\n3,0.1\n".write(toFile: "\(dir)/p.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "gate.yaml"], in: dir)
        #expect(result.status == 3)
        #expect(
            result.stderr
                == "evalgate: error: p.csv: 1 of 2 ids are not in the golden dataset d.csv (first: '3'); predict exactly the golden set's rows\n"
        )
        #expect(result.stdout.hasPrefix("ERROR g: the gate did not run"))
        let missing = try Self.run(["check", "nope.yaml", "--quiet"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.yaml: gate file not found"))
    }

    @Test func commandLinePathsOverrideTheGateFileRelativeToTheWorkingDirectory() throws {
        let out = try Self.tempDir()
        let result = try Self.run([
            "check", "gates/fraud.yaml", "--candidate", "fixtures/fraud/champion.csv", "--json", "\(out)/r.json",
            "--quiet",
        ])
        #expect(result.status == 0, "the champion against itself passes: \(result.stderr)")
        let inputs = try Self.json("\(out)/r.json")["inputs"] as! [String: Any]
        #expect((inputs["candidate"] as! [String: Any])["path"] as? String == "fixtures/fraud/champion.csv")
        #expect((inputs["dataset"] as! [String: Any])["path"] as? String == "fixtures/fraud/golden.csv")
    }

    @Test func badCommandLinesExitTwo() throws {
        #expect(try Self.run(["check"]).status == 2)
        #expect(try Self.run(["check", "gates/fraud.yaml", "--jobs", "0"]).status == 2)
        #expect(try Self.run(["check", "gates/fraud.yaml", "--bogus"]).status == 2)
        #expect(try Self.run(["frobnicate"]).status == 2)
    }

    @Test func versionHelpValidateAndSchema() throws {
        let version = try Self.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("evalgate "))
        #expect(try Self.run(["check", "--help"]).status == 0)
        let valid = try Self.run(["validate", "gates/fraud.yaml"])
        #expect(valid.status == 0)
        #expect(
            valid.stdout.contains(
                "valid gate 'fraud-detector' (binary): 8 checks, 26 slices from 4 definitions, 6000 golden rows"))
        #expect(
            valid.stdout.contains("predictions, and 3 drift columns against fixtures/fraud/reference.csv (4000 rows)"))
        #expect(valid.stderr.isEmpty)
        let schema = try Self.run(["schema"])
        #expect(schema.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(schema.stdout.utf8)) as? [String: Any]
        #expect(parsed?["title"] as? String == "evalgate gate file, version 1")
    }

    @Test func validateReportsDataProblemsWithExitThree() throws {
        let dir = try Self.tempDir()
        try
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {score: s}}\nslices: [{name: m, by: merchant}]\nchecks: [{metric: auc, min: 0.5}]\n"
            .write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        try "id,y,s\n1,1,0.5\n".write(toFile: "\(dir)/d.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(["validate", "gate.yaml"], in: dir)
        #expect(result.status == 3)
        #expect(result.stderr == "evalgate: error: d.csv: column 'merchant' not found. The file has: id, y, s\n")
    }

    @Test func validateRefusesSelectorsThatMatchNoSlice() throws {
        let dir = try Self.tempDir()
        try
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {score: s}}\nslices: [{name: m, by: merchant}]\nchecks: [{metric: auc, slices: [m/shoes, \"m/x*\"], min: 0.5}]\n"
            .write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        try "id,y,s,merchant\n1,1,0.5,shoe\n2,0,0.2,food\n".write(
            toFile: "\(dir)/d.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(["validate", "gate.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains(
                "evalgate: error: gate.yaml: checks[0].slices: slice 'm/shoes' not found in the golden dataset, so this check would gate nothing. Did you mean 'm/shoe'?"
            ))
        #expect(
            result.stderr.contains(
                "evalgate: error: gate.yaml: checks[0].slices: the selector 'm/x*' matches no slice in the golden dataset"
            ))
    }

    /// The example: one typo in a glob used to pass with 0 results.
    @Test func aMistypedGlobFailsTheCheckInEveryReport() throws {
        let dir = try Self.tempDir()
        var gate = try String(contentsOfFile: "\(Self.root)/gates/fraud.yaml", encoding: .utf8)
        gate =
            String(gate[..<gate.range(of: "checks:")!.lowerBound])
            .replacingOccurrences(of: "../fixtures", with: "\(Self.root)/fixtures")
            + "checks:\n  - {metric: recall, slices: [\"hihg_value*\"], max_drop_pct: 1}\n"
        try gate.write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "gate.yaml", "--no-color"], in: dir)
        #expect(result.status == 1)
        let reason =
            "the selector 'hihg_value*' matches no slice in the golden dataset, so this check would gate nothing. Did you mean 'high_value*'?"
        #expect(result.stdout.contains(reason))
        for file in ["report.json", "junit.xml", "summary.md", "report.html"] {
            let text = try String(contentsOfFile: "\(dir)/evalgate-report/\(file)", encoding: .utf8)
            #expect(text.contains("hihg_value*") && text.contains("Did you mean"), "\(file)")
        }
    }

    @Test func aGateThatChecksNothingSaysSoAndExitsTwo() throws {
        let dir = try Self.tempDir()
        try
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y}\nmodels: {candidate: {score: s}}\nchecks: [{metric: auc, max_drop: 0.01}]\n"
            .write(toFile: "\(dir)/gate.yaml", atomically: true, encoding: .utf8)
        try "id,y,s\n1,1,0.9\n2,0,0.2\n".write(toFile: "\(dir)/d.csv", atomically: true, encoding: .utf8)
        let result = try Self.run(["check", "gate.yaml", "--no-color"], in: dir)
        #expect(result.status == 2)
        #expect(
            result.stdout.hasPrefix(
                "ERROR g: all 1 results were skipped, so the gate checked nothing and cannot pass\n"))
        #expect(
            result.stderr.contains(
                "gate.yaml: nothing would be gated: all 1 results were skipped (first: checks[0] on overall: no champion given"
            ))
        let summary = try String(contentsOfFile: "\(dir)/evalgate-report/summary.md", encoding: .utf8)
        #expect(
            summary.contains(
                "The gate checked nothing (exit 2): every result was skipped, so the candidate is blocked:"))
    }

    @Test func quietPrintsNothing() throws {
        let out = try Self.tempDir()
        let result = try Self.run(["check", "gates/wine.json", "--report-dir", out, "--quiet"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
    }
}
