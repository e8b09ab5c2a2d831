import Foundation
import Testing

@testable import EvalGateCore

/// The ledger through the built binary: `check --ledger`, `history`, and
/// what a broken ledger may and may not change.
struct LedgerCLITests {
    typealias CLI = CLITests

    static let postgresURL = ProcessInfo.processInfo.environment["EVALGATE_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// A new SQLite path, or a new database on the test PostgreSQL server.
    static func freshLedger(_ backend: String) throws -> String {
        if backend == "sqlite" { return try CLI.tempDir() + "/ledger.sqlite" }
        let base = try #require(postgresURL, "EVALGATE_REQUIRE_POSTGRES=1 but EVALGATE_TEST_POSTGRES_URL is not set")
        return try PostgresLedger.scratchDatabase(on: base, prefix: "evalgate_cli")
    }

    static var backends: [String] {
        if postgresURL != nil || ProcessInfo.processInfo.environment["EVALGATE_REQUIRE_POSTGRES"] == "1" {
            return ["sqlite", "postgres"]
        }
        print(
            "skipping the PostgreSQL ledger CLI tests: set EVALGATE_TEST_POSTGRES_URL (bash .ci/run starts a server and sets it)"
        )
        return ["sqlite"]
    }

    @Test func checkRecordsTheRunAndSaysSoWithoutChangingReportJSON() throws {
        let dir = try CLI.tempDir()
        let ledger = "\(dir)/ledger.sqlite"
        var reports: [Data] = []
        for (jobs, useLedger) in [(1, false), (2, true), (4, true)] {
            let out = "\(dir)/r\(jobs)"
            let result = try CLI.run(
                [
                    "check", "gates/fraud.yaml", "--report-dir", out, "--jobs", "\(jobs)", "--label",
                    "model_version=42", "--no-color",
                ]
                    + (useLedger ? ["--ledger", ledger] : []))
            #expect(result.status == 1)
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            if jobs == 2 {
                #expect(result.stdout.hasSuffix("ledger: recorded as run 1 in \(ledger.split(separator: "/").last!)\n"))
            }
            if jobs == 4 {
                #expect(
                    result.stdout.contains(
                        "ledger: recorded as run 2 in ledger.sqlite (a repeat of run 1: same gate file, inputs and evalgate version)"
                    ))
            }
            reports.append(try Data(contentsOf: URL(fileURLWithPath: "\(out)/report.json")))
        }
        #expect(
            reports[0] == reports[1] && reports[1] == reports[2],
            "report.json is the same with and without --ledger, for any --jobs")
        let json = try CLI.json("\(dir)/r1/report.json")
        #expect((json["lineage"] as? [String: Any])?["labels"] as? [String: String] == ["model_version": "42"])
    }

    @Test func theCIContextGoesIntoTheReportAndTheLedger() throws {
        let dir = try CLI.tempDir()
        let env = [
            "GITLAB_CI": "true", "CI_COMMIT_SHA": "c0ffee", "CI_COMMIT_REF_NAME": "main",
            "CI_PROJECT_PATH": "acme/fraud",
            "CI_PIPELINE_ID": "77", "CI_JOB_URL": "https://gitlab.example.com/acme/fraud/-/jobs/9",
            "EVALGATE_LEDGER": "\(dir)/l.sqlite",
        ]
        let result = try CLI.run(["check", "gates/wine.json", "--report-dir", dir, "--quiet"], environment: env)
        #expect(result.status == 0)
        let ci = (try CLI.json("\(dir)/report.json")["lineage"] as? [String: Any])?["ci"] as? [String: String]
        #expect(
            ci == [
                "system": "gitlab-ci", "commit": "c0ffee", "ref": "main", "repository": "acme/fraud", "run_id": "77",
                "run_url": "https://gitlab.example.com/acme/fraud/-/jobs/9",
            ])
        let history = try CLI.run(["history", "--ledger", "\(dir)/l.sqlite", "--format", "json"])
        #expect(history.status == 0)
        let runs = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as! [[String: Any]]
        #expect(runs.count == 1)
        #expect(runs[0]["commit"] as? String == "c0ffee")
        #expect(runs[0]["gate"] as? String == "wine-cultivar")
    }

    /// An auditor ties a recorded decision to every file it compared.
    @Test func historyShowsTheSha256OfEveryInputAndTheBaseline() throws {
        let dir = try CLI.tempDir()
        let ledger = "\(dir)/l.sqlite"
        #expect(
            try CLI.run(["check", "gates/fraud.yaml", "--ledger", ledger, "--report-dir", "\(dir)/a", "--quiet"]).status
                == 1)
        let report = try CLI.json("\(dir)/a/report.json")
        let inputs = report["inputs"] as! [String: Any]
        func sha(_ role: String) -> String? { (inputs[role] as? [String: Any])?["sha256"] as? String }
        let reference = ((report["drift"] as? [String: Any])?["reference"] as? [String: Any])?["sha256"] as? String
        #expect(reference?.count == 64)
        for arguments in [["--format", "json"], ["--run", "1"]] {
            let history = try CLI.run(["history", "--ledger", ledger] + arguments)
            #expect(history.status == 0, "\(history.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8))
            let run = (parsed as? [[String: Any]])?.first ?? parsed as! [String: Any]
            #expect(run["dataset_sha256"] as? String == sha("dataset"))
            #expect(run["candidate_sha256"] as? String == sha("candidate"))
            #expect(run["champion_sha256"] as? String == sha("champion"))
            #expect(run["reference_sha256"] as? String == reference)
            #expect(run.keys.contains("baseline_run"))
        }
    }

    @Test(arguments: backends)
    func sixConcurrentChecksOnOneLedgerAreAllRecorded(_ backend: String) throws {
        let ledger = try Self.freshLedger(backend)
        let dir = try CLI.tempDir()
        let statuses = StatusBox()
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let result = try? CLI.run([
                "check", "gates/fraud.yaml", "--ledger", ledger, "--label", "shard=\(index)", "--report-dir",
                "\(dir)/r\(index)", "--jobs", "1", "--quiet",
            ])
            statuses.append(result.map { "\($0.status) \($0.stderr)" } ?? "did not run")
        }
        #expect(
            statuses.values == Array(repeating: "1 ", count: 6),
            "every run exits 1 (the fraud gate fails) with nothing on stderr")
        let history = try CLI.run(["history", "--ledger", ledger, "--format", "json"])
        #expect(history.status == 0, "\(history.stderr)")
        let runs = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as! [[String: Any]]
        #expect(runs.compactMap { $0["run"] as? Int }.sorted() == [1, 2, 3, 4, 5, 6])
        let shards = runs.compactMap { ($0["labels"] as? [String: String])?["shard"] }.sorted()
        #expect(shards == ["0", "1", "2", "3", "4", "5"])
    }

    @Test func aBrokenLedgerNeverChangesTheVerdict() throws {
        let dir = try CLI.tempDir()
        try Data("this is not a database, it is a text file that is long enough to be read as one".utf8)
            .write(to: URL(fileURLWithPath: "\(dir)/broken.sqlite"))
        let fails = try CLI.run([
            "check", "gates/fraud.yaml", "--ledger", "\(dir)/broken.sqlite", "--report-dir", "\(dir)/a", "--quiet",
        ])
        #expect(fails.status == 1, "still a regression")
        #expect(fails.stderr.hasPrefix("evalgate: warning: ledger broken.sqlite: is not a usable SQLite ledger"))
        #expect(fails.stderr.contains("this run was not recorded (the verdict and exit code stand)"))
        let passes = try CLI.run([
            "check", "gates/wine.json", "--ledger", "\(dir)/no/such/folder/l.sqlite", "--report-dir", "\(dir)/b",
            "--quiet",
        ])
        #expect(passes.status == 0, "still a pass")
        #expect(passes.stderr.contains("cannot be opened"))
        let history = try CLI.run(["history", "--ledger", "\(dir)/broken.sqlite"])
        #expect(history.status == 3)
        #expect(history.stderr.hasPrefix("evalgate: error: broken.sqlite: is not a usable SQLite ledger"))
        let unreachable = try CLI.run([
            "check", "gates/wine.json", "--ledger", "postgres://nobody@127.0.0.1:1/none?sslmode=disable",
            "--report-dir", "\(dir)/c", "--quiet",
        ])
        #expect(unreachable.status == 0)
        #expect(
            unreachable.stderr.hasPrefix("evalgate: warning: ledger postgres://nobody@127.0.0.1:1/none: cannot connect")
        )
    }

    @Test func historyAndBaselineOnTheCommandLine() throws {
        let dir = try CLI.tempDir()
        let ledger = "\(dir)/l.sqlite"
        // Promote the champion (its run passes), then gate the candidate against it.
        #expect(
            try CLI.run([
                "check", "gates/fraud.yaml", "--candidate", "fixtures/fraud/champion.csv", "--ledger", ledger,
                "--report-dir", "\(dir)/a", "--quiet",
            ]).status == 0)
        let gated = try CLI.run([
            "check", "gates/fraud.yaml", "--ledger", ledger, "--baseline", "last-pass", "--report-dir", "\(dir)/b",
            "--no-color",
        ])
        #expect(gated.status == 1)
        #expect(
            gated.stdout.contains(
                "FAIL [checks[1] max_drop_pct 1] recall on high_value got worse by 0.2273 (0.7386 -> 0.5114)"))
        #expect((try CLI.json("\(dir)/b/report.json")["baseline"] as? [String: Any])?["run"] as? Int == 1)
        let table = try CLI.run(["history", "--ledger", ledger])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("run  recorded (UTC)"))
        #expect(
            lines[1].hasPrefix("  2  ") && lines[1].contains("fail       5/70") && lines[1].hasSuffix("baseline run 1"))
        let one = try CLI.run(["history", "--ledger", ledger, "--run", "2", "--format", "json"])
        let run = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as! [String: Any]
        #expect((run["report"] as? [String: Any])?["verdict"] as? String == "fail")
        #expect((run["run_key"] as? String)?.count == 64)
        let missing = try CLI.run(["history", "--ledger", ledger, "--run", "9"])
        #expect(missing.status == 3)
        #expect(try CLI.run(["check", "gates/fraud.yaml", "--ledger", ledger, "--baseline", "soon"]).status == 2)
        #expect(try CLI.run(["check", "gates/fraud.yaml", "--label", "no-equals-sign"]).status == 2)
        #expect(try CLI.run(["history"]).status == 2)
    }
}

/// Lines collected from concurrent workers.
final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func append(_ item: String) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
