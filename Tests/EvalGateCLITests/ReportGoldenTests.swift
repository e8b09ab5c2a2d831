import Foundation
import Testing

/// Golden files for junit.xml, summary.md and report.html of the example gates. After an
/// intentional change, re-record with `EVALGATE_RECORD=1 swift test` and
/// review the diff.
struct ReportGoldenTests {
    static let record = ProcessInfo.processInfo.environment["EVALGATE_RECORD"] == "1"

    @Test(arguments: ["fraud.yaml", "breast-cancer.yaml", "wine.json", "diabetes.yaml"])
    func reportsMatchTheirGoldenFiles(gate: String) throws {
        let out = try CLITests.tempDir()
        try CLITests.run(["check", "gates/\(gate)", "--report-dir", out, "--quiet"])
        // report.html of the three small examples (binary, multiclass,
        // regression); the fraud page is checked by structure in HTMLReportTests.
        for file in ["junit.xml", "summary.md"] + (gate == "fraud.yaml" ? [] : ["report.html"]) {
            let produced = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
            let golden = "\(CLITests.root)/Tests/EvalGateCLITests/Golden/\(gate).\(file)"
            let expected = try? String(contentsOfFile: golden, encoding: .utf8)
            if produced == expected { continue }
            if Self.record {
                // Recording never passes: the rewritten file is reviewed, then
                // the tests run again without EVALGATE_RECORD.
                try produced.write(toFile: golden, atomically: true, encoding: .utf8)
                Issue.record("recorded \(golden); review the diff and run the tests again without EVALGATE_RECORD")
            } else {
                Issue.record(
                    "\(gate) \(file) differs from its golden file; re-record with EVALGATE_RECORD=1 if intended")
            }
        }
    }

    /// breast-cancer.yaml's bootstrap on the baseline x86-64 kernel gives
    /// the golden bytes too (the test above takes the AVX2 path where the
    /// CPU has it).
    @Test func theBaselineBootstrapKernelGivesTheGoldenReports() throws {
        let out = try CLITests.tempDir()
        let result = try CLITests.run(
            ["check", "gates/breast-cancer.yaml", "--report-dir", out, "--quiet"],
            environment: ["EVALGATE_SIMD": "baseline"])
        #expect(result.status == 0)
        for file in ["junit.xml", "summary.md", "report.html"] {
            let produced = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
            let golden = "\(CLITests.root)/Tests/EvalGateCLITests/Golden/breast-cancer.yaml.\(file)"
            #expect(produced == (try String(contentsOfFile: golden, encoding: .utf8)), "\(file)")
        }
        #expect(try String(contentsOfFile: "\(out)/summary.md", encoding: .utf8).contains("bootstrap"))
    }

    @Test func githubActionsSideChannels() throws {
        let dir = try CLITests.tempDir()
        let summary = "\(dir)/step-summary.md"
        let output = "\(dir)/output.txt"
        try "previous step\n".write(toFile: summary, atomically: true, encoding: .utf8)
        let result = try CLITests.run(
            ["check", "gates/fraud.yaml", "--report-dir", "\(dir)/reports"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": output])
        #expect(result.status == 1)
        let appended = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(appended.hasPrefix("previous step\n## ❌ evalgate `fraud-detector`: fail"))
        #expect(
            appended == "previous step\n" + (try String(contentsOfFile: "\(dir)/reports/summary.md", encoding: .utf8)))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "verdict=fail\nreport-dir=\(dir)/reports\n")
        let errors = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        let warnings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::warning ") }
        #expect(errors.count == 5)
        #expect(warnings.count == 3)
        // The worst regression first: recall on high_value fell ~31% against 1% allowed.
        #expect(
            errors.first?.hasPrefix(
                "::error title=evalgate fraud-detector%3A recall on high_value::recall on high_value got worse by 0.2273"
            ) == true)
    }

    @Test func noSideChannelsOutsideGitHubActions() throws {
        let result = try CLITests.run(["check", "gates/wine.json", "--report-dir", try CLITests.tempDir()])
        #expect(!result.stdout.contains("::"))
    }
}
