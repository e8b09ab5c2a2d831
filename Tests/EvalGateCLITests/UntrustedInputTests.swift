import Foundation
import Testing

/// A gate file and data written by whoever opened the pull request, run by
/// the built binary as GitHub Actions would run it: nothing they hold may
/// start a workflow command, colour the terminal, read outside the
/// workspace, or end the process with a signal.
struct UntrustedInputTests {
    /// A small binary gate in `dir`: 240 rows, a `segment` by-slice whose
    /// values the case chooses, the candidate worse than the champion on
    /// the first segment so that FAIL lines and annotations name it.
    static func writeGate(
        in dir: String, revision: String = "r1", description: String = "d", segments: [String] = ["a", "b"],
        header: String = "id,label,segment", datasetPath: String = "golden.csv", extra: String = ""
    ) throws {
        func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var golden = header + "\n"
        var candidate = "id,score\n"
        var champion = "id,score\n"
        for row in 0..<240 {
            let segment = segments[row % segments.count]
            let label = row % 3 == 0 ? 1 : 0
            let good = label == 1 ? 0.8 : 0.2
            let bad = segment == segments[0] ? 1 - good : good
            golden += "r\(row),\(label),\(csvField(segment))\n"
            candidate += "r\(row),\(bad)\n"
            champion += "r\(row),\(good)\n"
        }
        try golden.write(toFile: "\(dir)/golden.csv", atomically: true, encoding: .utf8)
        try candidate.write(toFile: "\(dir)/candidate.csv", atomically: true, encoding: .utf8)
        try champion.write(toFile: "\(dir)/champion.csv", atomically: true, encoding: .utf8)
        let gate: [String: Any] = [
            "version": 1, "name": "hostile", "revision": revision, "description": description, "task": "binary",
            "dataset": ["path": datasetPath, "id": "id", "label": "label"],
            "models": [
                "candidate": ["path": "candidate.csv", "score": "score"],
                "champion": ["path": "champion.csv", "score": "score"],
            ],
            "min_slice_size": 1,
            "slices": [["name": "segment", "by": "segment"]],
            "checks": [["metric": "recall", "slices": ["*"], "max_drop": 0.05]],
        ]
        var data = try JSONSerialization.data(withJSONObject: gate, options: [.sortedKeys])
        if !extra.isEmpty { data = Data((String(decoding: data.dropLast(), as: UTF8.self) + "," + extra + "}").utf8) }
        // JSONSerialization writes C1 controls and DEL raw, which YAML refuses: escape them as JSON allows.
        var text = ""
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                text += String(format: "\\u%04x", scalar.value)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        data = Data(text.utf8)
        try data.write(to: URL(fileURLWithPath: "\(dir)/gate.json"))
    }

    /// Lines that GitHub would read as a workflow command, other than
    /// evalgate's own annotations.
    static func commandLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter {
            $0.hasPrefix("::") && !$0.hasPrefix("::error title=evalgate") && !$0.hasPrefix("::warning title=evalgate")
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var revision = "r1"
        var description = "d"
        var segments = ["a", "b"]
        var header = "id,label,segment"
        /// The exit code: 1 for a regression, 3 for unusable data.
        var status: Int32
        /// Must appear, escaped, on stdout or stderr.
        var shown: String
        /// The exact value report.json keeps (JSON-escaped there), if any.
        var exact: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "stop-commands in the revision", revision: "r1\n::stop-commands::x", status: 1,
            shown: #"r1\n::stop-commands::x"#, exact: "r1\n::stop-commands::x"),
        Case(
            name: "add-mask in a quoted CSV slice value", segments: ["jew\n::add-mask::elry", "b"], status: 1,
            shown: #"segment/jew\n::add-mask::elry"#, exact: "segment/jew\n::add-mask::elry"),
        Case(
            name: "ESC, CR and U+2028 in a slice value",
            segments: ["\u{1B}[31mred\r::warning::x\u{2028}::error::y", "b"], status: 1,
            shown: #"\u001b[31mred\r::warning::x\u2028::error::y"#,
            exact: "segment/\u{1B}[31mred\r::warning::x\u{2028}::error::y"),
        Case(
            name: "NEL and DEL in the description", description: "d\u{85}::error::x\u{7F}", status: 1,
            shown: "FAIL", exact: nil),
        Case(
            name: "a header cell with a newline, in the column-not-found error",
            header: "id,label,\"seg\n::stop-commands::z\"",
            status: 3, shown: #"seg\n::stop-commands::z"#),
        Case(
            name: "a 5000-character label in an error excerpt", segments: ["a", "b"], header: "id,label,segment",
            status: 3,
            shown: "(5000 characters)"),
    ]

    @Test(arguments: cases)
    func hostileTextIsShownEscapedEverywhereButReportJSON(_ hostile: Case) throws {
        let dir = try CLITests.tempDir()
        try Self.writeGate(
            in: dir, revision: hostile.revision, description: hostile.description, segments: hostile.segments,
            header: hostile.header)
        if hostile.shown == "(5000 characters)" {
            // One label that is neither of the two: an error that quotes it.
            var golden = try String(contentsOfFile: "\(dir)/golden.csv", encoding: .utf8)
            golden = golden.replacingOccurrences(of: "\nr5,0,", with: "\nr5,\(String(repeating: "x", count: 5000)),")
            try golden.write(toFile: "\(dir)/golden.csv", atomically: true, encoding: .utf8)
        }
        let outputs = "\(dir)/github-output"
        let summary = "\(dir)/step-summary"
        let run = try CLITests.run(
            ["check", "gate.json", "--report-dir", "out"], in: dir,
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outputs, "GITHUB_STEP_SUMMARY": summary, "NO_COLOR": "1",
            ])
        #expect(run.status == hostile.status, "\(run.stderr)")
        #expect(!run.signaled)
        let console = run.stdout + run.stderr
        #expect(Self.commandLines(console).isEmpty, "\(Self.commandLines(console))")
        #expect(
            !console.unicodeScalars.contains {
                $0.value == 0x1B || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x7F
            })
        #expect(console.contains(hostile.shown), "\(console)")
        #expect(!console.contains(String(repeating: "x", count: 201)))
        // The error sentence is one line.
        #expect(run.stderr.split(separator: "\n").count <= 1, "\(run.stderr)")
        for file in ["out/summary.md", "out/junit.xml", "out/report.html", "step-summary", "github-output"] {
            let text = try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)
            #expect(Self.commandLines(text).isEmpty, "\(file): \(Self.commandLines(text))")
            #expect(
                !text.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" },
                "\(file) holds a raw control character")
        }
        let outputLines = try String(contentsOfFile: outputs, encoding: .utf8).split(separator: "\n")
        #expect(outputLines.map { $0.split(separator: "=").first ?? "" } == ["verdict", "report-dir"])
        if let exact = hostile.exact {
            let json = try String(contentsOfFile: "\(dir)/out/report.json", encoding: .utf8)
            let data = try JSONSerialization.data(withJSONObject: [exact], options: [.fragmentsAllowed])
            let escaped = String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2)  // ["..."] -> ...
            let report = try CLITests.json("\(dir)/out/report.json")
            let values =
                (report["results"] as? [[String: Any]] ?? []).map { $0["slice"] as? String ?? "" } + [
                    report["revision"] as? String ?? ""
                ]
            #expect(values.contains(exact), "report.json keeps the exact value")
            #expect(!json.contains("\n::"), "\(escaped)")
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    // MARK: - --root

    @Test func aGatePathOutsideTheRootIsRefusedNamingWhereItResolves() throws {
        let top = try CLITests.tempDir()
        let workspace = "\(top)/ws"
        try FileManager.default.createDirectory(atPath: "\(top)/secret", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try Self.writeGate(in: workspace)
        try FileManager.default.copyItem(atPath: "\(workspace)/golden.csv", toPath: "\(top)/secret/golden.csv")

        // `..` out of the workspace.
        try Self.writeGate(in: workspace, datasetPath: "../secret/golden.csv")
        var run = try CLITests.run(["check", "gate.json", "--root", workspace, "--report-dir", "out"], in: workspace)
        #expect(run.status == 2)
        #expect(run.stderr.contains("dataset.path: '../secret/golden.csv' resolves to"), "\(run.stderr)")
        #expect(run.stderr.contains("/secret/golden.csv, outside the workspace"))
        #expect(run.stderr.contains("(--root \(workspace))"))

        // A symlink inside the workspace that points out of it; EVALGATE_ROOT as the twin.
        try FileManager.default.createSymbolicLink(atPath: "\(workspace)/data", withDestinationPath: "\(top)/secret")
        try Self.writeGate(in: workspace, datasetPath: "data/golden.csv")
        run = try CLITests.run(
            ["check", "gate.json", "--report-dir", "out"], in: workspace, environment: ["EVALGATE_ROOT": workspace])
        #expect(run.status == 2)
        #expect(run.stderr.contains("'data/golden.csv' resolves to"), "\(run.stderr)")

        // validate checks the same.
        run = try CLITests.run(["validate", "gate.json", "--root", workspace], in: workspace)
        #expect(run.status == 2, "\(run.stderr)")

        // Without --root, and for a path given on the command line, the run goes ahead.
        run = try CLITests.run(["check", "gate.json", "--report-dir", "out"], in: workspace)
        #expect(run.status == 1, "\(run.stderr)")
        try Self.writeGate(in: workspace, datasetPath: "../secret/golden.csv")
        run = try CLITests.run(
            [
                "check", "gate.json", "--root", workspace, "--dataset", "\(top)/secret/golden.csv", "--report-dir",
                "out",
            ], in: workspace)
        #expect(run.status == 1, "\(run.stderr)")
        // A path inside the root is fine, however it is written.
        try Self.writeGate(in: workspace, datasetPath: "./sub/../golden.csv")
        run = try CLITests.run(["check", "gate.json", "--root", ".", "--report-dir", "out"], in: workspace)
        #expect(run.status == 1, "\(run.stderr)")
    }

    // MARK: - Pipes and files that change

    @Test func pipesAreReadWholeHashedAndParsed() throws {
        let dir = try CLITests.tempDir()
        try Self.writeGate(in: dir)
        let file = try CLITests.run(["check", "gate.json", "--report-dir", "file"], in: dir)
        #expect(file.status == 1)
        // --candidate /dev/stdin: a pipe with no name to go by.
        let piped = try CLITests.run(
            ["check", "gate.json", "--candidate", "/dev/stdin", "--report-dir", "pipe"], in: dir,
            stdin: "\(dir)/candidate.csv")
        #expect(piped.status == 1, "\(piped.stderr)")
        let inputs = { (report: [String: Any]) in
            (report["inputs"] as? [[String: Any]] ?? []).map { $0["sha256"] as? String ?? "" }
        }
        #expect(
            inputs(try CLITests.json("\(dir)/pipe/report.json")) == inputs(try CLITests.json("\(dir)/file/report.json"))
        )

        // A named pipe (FIFO) in the gate file, its format from the content.
        #expect(mkfifo("\(dir)/preds", 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat candidate.csv > preds"]
        writer.currentDirectoryURL = URL(fileURLWithPath: dir)
        try writer.run()
        var gate = try String(contentsOfFile: "\(dir)/gate.json", encoding: .utf8)
        gate = gate.replacingOccurrences(of: "\"path\":\"candidate.csv\"", with: "\"path\":\"preds\"")
        try gate.write(toFile: "\(dir)/fifo.json", atomically: true, encoding: .utf8)
        let fifo = try CLITests.run(["check", "fifo.json", "--report-dir", "fifo"], in: dir)
        writer.waitUntilExit()
        #expect(fifo.status == 1, "\(fifo.stderr)")
        #expect(
            inputs(try CLITests.json("\(dir)/fifo/report.json")) == inputs(try CLITests.json("\(dir)/file/report.json"))
        )

        // JSON Lines through a pipe, found by its content.
        var jsonl = ""
        for line in try String(contentsOfFile: "\(dir)/candidate.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst()
        {
            let parts = line.split(separator: ",")
            jsonl += "{\"id\": \"\(parts[0])\", \"score\": \(parts[1])}\n"
        }
        try jsonl.write(toFile: "\(dir)/candidate.jsonl", atomically: true, encoding: .utf8)
        let jsonPiped = try CLITests.run(
            ["check", "gate.json", "--candidate", "/dev/stdin", "--report-dir", "jsonl"], in: dir,
            stdin: "\(dir)/candidate.jsonl")
        #expect(jsonPiped.status == 1, "\(jsonPiped.stderr)")

        // A folder or an empty pipe says what it is, never "empty file" for a folder.
        let folder = try CLITests.run(["check", "gate.json", "--candidate", dir, "--report-dir", "x"], in: dir)
        #expect(folder.status == 3)
        #expect(folder.stderr.contains("is a folder with no .parquet part files"), "\(folder.stderr)")
    }

    @Test func aFileTruncatedWhileItIsReadIsNeverASignal() throws {
        let dir = try CLITests.tempDir()
        try Self.writeGate(in: dir)
        // A golden set of about 24 MB: big enough that reading it takes a while.
        var golden = "id,label,segment,pad\n"
        let pad = String(repeating: "p", count: 80)
        for row in 0..<240 { golden += "r\(row),\(row % 3 == 0 ? 1 : 0),\(row % 2 == 0 ? "a" : "b"),\(pad)\n" }
        for row in 240..<240_000 { golden += "x\(row),0,c,\(pad)\n" }
        try golden.write(toFile: "\(dir)/pristine.csv", atomically: true, encoding: .utf8)
        var statuses: [Int32: Int] = [:]
        for attempt in 0..<12 {
            try? FileManager.default.removeItem(atPath: "\(dir)/big.csv")
            try FileManager.default.copyItem(atPath: "\(dir)/pristine.csv", toPath: "\(dir)/big.csv")
            let truncator = Process()
            truncator.executableURL = URL(fileURLWithPath: "/bin/sh")
            // Truncate at a different moment each time, to a different length.
            truncator.arguments = ["-c", "sleep 0.0\(attempt % 10); truncate -s \(1 + attempt * 1_000_000) big.csv"]
            truncator.currentDirectoryURL = URL(fileURLWithPath: dir)
            try truncator.run()
            let run = try CLITests.run(["check", "gate.json", "--dataset", "big.csv", "--report-dir", "out"], in: dir)
            truncator.waitUntilExit()
            #expect(!run.signaled, "attempt \(attempt): signal \(run.status)")
            #expect([1, 3].contains(run.status), "attempt \(attempt): \(run.stderr)")
            statuses[run.status, default: 0] += 1
        }
        #expect(statuses.values.reduce(0, +) == 12)
    }

    // MARK: - Memory

    /// A folder holding the small gate, or nil (with the test failed) where prlimit is missing.
    private static func gateUnderPrlimit() throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else {
            Issue.record("prlimit (util-linux) is needed for this test")
            return nil
        }
        let dir = try CLITests.tempDir()
        try writeGate(in: dir)
        return dir
    }

    @Test func aRunThatCannotFitStopsWithTheEstimateAndTheLimit() throws {
        guard let dir = try Self.gateUnderPrlimit() else { return }
        // 150 MiB of address space: the runtime starts, the estimate does not fit.
        let run = try CLITests.run(
            ["check", "gate.json", "--report-dir", "out"], in: dir, prefix: ["/usr/bin/prlimit", "--as=157286400"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(!run.signaled)
        #expect(run.stderr.contains("this run needs about"), "\(run.stderr)")
        #expect(run.stderr.contains("RLIMIT_AS (ulimit -v) allows 150 MiB"), "\(run.stderr)")
        #expect(try CLITests.json("\(dir)/out/report.json")["exit_code"] as? Int == 3)
    }

    @Test func anAllocationThatFailsAnywayEndsInExit3AndOneSentence() throws {
        guard let dir = try Self.gateUnderPrlimit() else { return }
        // A million rows, with the estimate turned off, under 180 MiB of address space.
        var golden = "id,label,segment\n"
        var scores = "id,score\n"
        golden.reserveCapacity(16_000_000)
        scores.reserveCapacity(16_000_000)
        for row in 0..<1_000_000 {
            golden += "r\(row),\(row % 3 == 0 ? 1 : 0),\(row % 2 == 0 ? "a" : "b")\n"
            scores += "r\(row),0.\(row % 1000)\n"
        }
        try golden.write(toFile: "\(dir)/golden.csv", atomically: true, encoding: .utf8)
        try scores.write(toFile: "\(dir)/candidate.csv", atomically: true, encoding: .utf8)
        try scores.write(toFile: "\(dir)/champion.csv", atomically: true, encoding: .utf8)
        let run = try CLITests.run(
            ["check", "gate.json", "--report-dir", "out"], in: dir, environment: ["EVALGATE_MEMORY_CHECK": "off"],
            prefix: ["/usr/bin/prlimit", "--as=188743680"])
        #expect(!run.signaled, "signal \(run.status)")
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("evalgate: error: the run ran out of memory"), "\(run.stderr)")
        // At most the runtime's own line before evalgate's sentence; no backtrace.
        #expect(run.stderr.split(separator: "\n").count <= 2, "\(run.stderr)")
    }
}
