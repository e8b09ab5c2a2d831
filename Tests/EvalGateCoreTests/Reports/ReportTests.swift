import Foundation
import Testing

@testable import EvalGateCore

struct ReportTests {
    static func hostileReport() throws -> Report {
        let names = [
            "a\"b", "x<y>&z", "comma, and; semicolon", "naïve café", "pipe|back`tick", "tab\there", "ctl\u{01}char",
        ]
        var golden = "id,y,s,seg\n"
        for i in 0..<140 {
            golden +=
                "r\(i),\(i % 3 == 0 ? 1 : 0),\(Double(i % 10) / 10),\"\(names[i % names.count].replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: hostile
            dataset: {path: golden.csv, id: id, label: y}
            models: {candidate: {score: s}, champion: {score: s}}
            slices: [{name: seg, by: seg}]
            checks:
              - {metric: auc, min: 0.99}
              - {metric: auc, min: 0.99, severity: warn}
              - {metric: recall, max_drop: 0.1}
              - {metric: accuracy, slices: ["missing-slice"], min: 0.1}
            """, "golden.csv": golden,
        ])
        return runGate(folder)
    }

    @Test func junitEscapesHostileSliceNamesAndValidates() throws {
        let report = try Self.hostileReport()
        #expect(report.error == nil)
        let xml = JUnitReport.render(report)
        #expect(xml.contains("classname=\"evalgate.hostile.seg/a&quot;b\""))
        #expect(xml.contains("evalgate.hostile.seg/x&lt;y&gt;&amp;z"))
        #expect(xml.contains("seg/naïve café"))
        #expect(!xml.contains("\u{01}"))
        try expectValidJUnit(xml)
    }

    @Test func junitCountsMatchTheElements() throws {
        let report = try Self.hostileReport()
        let xml = JUnitReport.render(report)
        func count(_ needle: String) -> Int { xml.components(separatedBy: needle).count - 1 }
        let s = report.summary
        #expect(count("<testcase ") == s.results)
        #expect(count("<failure ") == s.failed)
        #expect(count("<skipped ") == s.skipped)
        #expect(
            xml.contains(
                "<testsuites name=\"evalgate.hostile\" tests=\"\(s.results)\" failures=\"\(s.failed)\" errors=\"0\" time=\"0\">"
            ))
        // One suite per slice with results, the missing selector included.
        #expect(count("<testsuite ") == report.slices.count + 1)
        #expect(xml.contains("name=\"evalgate.hostile.missing-slice\""))
    }

    @Test func junitNamesAreUniquePerClassname() throws {
        let xml = JUnitReport.render(try Self.hostileReport())
        var seen = Set<String>()
        for line in xml.split(separator: "\n") where line.contains("<testcase ") {
            #expect(seen.insert(String(line)).inserted, "duplicate: \(line)")
        }
        #expect(xml.contains("name=\"auc min 0.99 (checks[1])\""))
    }

    @Test func junitForAGateThatDidNotRunHasOneError() throws {
        let report = Report.failure(
            .data(file: "p.csv", message: "3 ids are <bad> & \"odd\""), gate: "g",
            contract: .init(path: "g.yaml", sha256: nil))
        let xml = JUnitReport.render(report)
        #expect(
            xml.contains(
                "<error message=\"p.csv: 3 ids are &lt;bad&gt; &amp; &quot;odd&quot;\" type=\"data\">p.csv: 3 ids are &lt;bad&gt; &amp; \"odd\"</error>"
            ))
        #expect(xml.contains("tests=\"1\" failures=\"0\" errors=\"1\""))
        try expectValidJUnit(xml)
    }

    @Test func markdownShowsVerdictFailuresAndEscapesTableCells() throws {
        let md = MarkdownReport.render(try Self.hostileReport())
        #expect(md.hasPrefix("## ❌ evalgate `hostile`: fail\n"))
        #expect(md.contains("### Failing checks"))
        #expect(md.contains("`seg/pipe\\|back'tick`"))
        for line in md.split(separator: "\n") where line.hasPrefix("| `seg/pipe") {
            // Escaped pipes do not split cells: as many unescaped pipes as the header.
            let unescaped = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            // The slices table (6 columns with the labels) or a results table (7).
            #expect([7, 8].contains(unescaped), "\(line)")
        }
    }

    @Test func markdownStaysUnderOneMebibyteForHugeGates() {
        let result = CheckResult(
            check: "checks[0]", metric: "auc", slice: "s", rule: .min, limit: 0.9, status: .fail, severity: .block,
            candidate: 0.5, champion: nil, delta: nil, reason: String(repeating: "long reason ", count: 20))
        let slice = Report.SliceReport(
            name: "s", group: nil, key: nil, rows: 10, weight: 10, evaluated: true,
            values: [
                Report.MetricComparison(metric: "auc", candidate: 0.5, champion: 0.6, delta: -0.1, undefinedReason: nil)
            ])
        let report = Report(
            gate: "big", revision: nil, verdict: .fail, exitCode: 1, contract: .init(path: "g.yaml", sha256: nil),
            inputs: [],
            task: .binary, metrics: ["auc"], slices: Array(repeating: slice, count: 20_000),
            results: Array(repeating: result, count: 20_000), notes: [], error: nil)
        let md = MarkdownReport.render(report)
        #expect(md.utf8.count <= MarkdownReport.byteLimit)
        #expect(md.contains("more not shown to keep this summary under 1 MiB; see report.json"))
        #expect(md.contains("more slices not shown"))
    }

    @Test func githubAnnotationsAreCappedSortedAndEscaped() throws {
        var results: [CheckResult] = []
        for i in 0..<14 {
            results.append(
                CheckResult(
                    check: "checks[0]", metric: "auc", slice: "m/\(i)", rule: .min, limit: 0.9, status: .fail,
                    severity: .block,
                    candidate: 0.9 - Double(i) / 100, champion: nil, delta: nil, reason: "100% wrong,\nreally: \(i)"))
        }
        results.append(
            CheckResult(
                check: "checks[1]", metric: "ece", slice: "a,b:c", rule: .max, limit: 0.1, status: .warn,
                severity: .warn,
                candidate: 0.2, champion: nil, delta: nil, reason: "too high"))
        let report = Report(
            gate: "g", revision: nil, verdict: .fail, exitCode: 1, contract: .init(path: "g.yaml", sha256: nil),
            inputs: [],
            task: .binary, metrics: [], slices: [], results: results, notes: [], error: nil)
        let lines = GitHubActions.annotations(report)
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 11)
        // The newline from the data shows escaped, so the message stays one line.
        #expect(lines[0] == #"::error title=evalgate g%3A auc on m/13::100%25 wrong,\nreally: 13"#)
        #expect(
            lines[10]
                == "::error title=evalgate g::4 more failed results are not annotated; see the job summary or report.json"
        )
        #expect(lines[11] == "::warning title=evalgate g%3A ece on a%2Cb%3Ac::too high")
    }

    /// Validates with xmllint against the vendored schemas/junit-10.xsd
    /// (Jenkins xunit-plugin, MIT; provenance in the file's header).
    func expectValidJUnit(_ xml: String) throws {
        let schema = "\(repoRoot)/schemas/junit-10.xsd"
        #expect(FileManager.default.fileExists(atPath: schema), "the vendored JUnit schema is missing")
        guard
            let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(
                where: FileManager.default.isExecutableFile(atPath:))
        else {
            // CI must validate: .ci/run sets EVALGATE_REQUIRE_XMLLINT=1, so a
            // missing xmllint fails there instead of passing unchecked.
            let message = "xmllint not installed (apt-get install libxml2-utils; .ci/run installs it)"
            if ProcessInfo.processInfo.environment["EVALGATE_REQUIRE_XMLLINT"] == "1" {
                Issue.record("EVALGATE_REQUIRE_XMLLINT=1 but \(message)")
            } else {
                print("skipping schema validation: \(message)")
            }
            return
        }
        let folder = try scratch(["junit.xml": xml])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", schema, "\(folder)/junit.xml"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }
}
