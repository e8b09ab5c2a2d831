import Foundation
import Testing

@testable import EvalGateCore

/// Where the ledger tests run: a fresh SQLite file, and a fresh database on
/// the PostgreSQL server named by EVALGATE_TEST_POSTGRES_URL (`.ci/run`
/// starts a throwaway one). Every test runs on both.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["EVALGATE_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    static let postgresRequired = ProcessInfo.processInfo.environment["EVALGATE_REQUIRE_POSTGRES"] == "1"

    /// The backends to run: PostgreSQL only when a server is configured
    /// (required under .ci/run, which sets EVALGATE_REQUIRE_POSTGRES=1).
    static var available: [Backend] {
        if postgresURL == nil {
            if postgresRequired {
                return [.sqlite, .postgres]  // the postgres case then fails, loudly
            }
            print(
                "skipping the PostgreSQL ledger tests: set EVALGATE_TEST_POSTGRES_URL (bash .ci/run starts a server and sets it)"
            )
            return [.sqlite]
        }
        return allCases
    }

    /// A location for a new, empty ledger.
    func freshLocation() throws -> String {
        switch self {
        case .sqlite:
            return try scratch([:]) + "/ledger.sqlite"
        case .postgres:
            let base = try #require(
                Self.postgresURL, "EVALGATE_REQUIRE_POSTGRES=1 but EVALGATE_TEST_POSTGRES_URL is not set")
            return try PostgresLedger.scratchDatabase(on: base, prefix: "evalgate_test")
        }
    }
}

/// A small, real report: the fraud example gate with its bundled data.
func fraudReport(labels: [Lineage.Label] = [], ci: CIContext? = nil, candidate: String? = nil) -> Report {
    var options = RunOptions(gatePath: "\(repoRoot)/gates/fraud.yaml", candidatePath: candidate, jobs: 2)
    options.lineage = Lineage(ci: ci, labels: labels)
    return Pipeline.run(options)
}

struct LedgerTests {
    @Test(arguments: Backend.available)
    func theFirstRunCreatesTheLedgerAndStoresEverything(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let ledger = try Ledger(location)
        let ci = CIContext(
            system: "github-actions", commit: "0123456789abcdef", ref: "refs/heads/main", repository: "acme/fraud",
            runID: "42", runURL: "https://github.com/acme/fraud/actions/runs/42")
        let report = fraudReport(labels: [.init(key: "model_version", value: "42")], ci: ci)
        let recorded = try ledger.record(report, version: "0.1.0")
        #expect(recorded == Ledger.Recorded(id: 1, repeatOf: nil, differences: []))
        let c = ledger.connection
        #expect(
            try c.query("SELECT identifier FROM grdb_migrations ORDER BY identifier", []).map { $0[0] } == [
                .text("v1-runs"), .text("v2-runs-by-verdict"), .text("v3-drift-reference"),
            ])
        let run = try #require(
            try c.query(
                "SELECT gate, revision, verdict, exit_code, results, failed, ci_commit, ci_run_url, dataset_sha256, champion_path FROM runs WHERE id = 1",
                []
            ).first)
        #expect(
            run == [
                .text("fraud-detector"), .text("2026-11-21"), .text("fail"), .int(1), .int(70), .int(5),
                .text("0123456789abcdef"),
                .text("https://github.com/acme/fraud/actions/runs/42"), .text(report.inputs[0].sha256),
                .text(report.inputs[2].path),
            ])
        #expect(
            try c.query("SELECT key, value FROM run_labels WHERE run_id = 1", []) == [
                [.text("model_version"), .text("42")]
            ])
        #expect(try c.query("SELECT COUNT(*) FROM run_slices WHERE run_id = 1", [])[0][0].int == report.slices.count)
        let values = report.slices.reduce(0) { $0 + $1.values.count }
        #expect(try c.query("SELECT COUNT(*) FROM slice_metrics WHERE run_id = 1", [])[0][0].int == values)
        #expect(try c.query("SELECT COUNT(*) FROM results WHERE run_id = 1", [])[0][0].int == 70)
        let auc = try c.query(
            "SELECT candidate, champion, delta FROM slice_metrics WHERE run_id = 1 AND slice = 'high_value' AND metric = 'auc'",
            [])
        let expected = try #require(
            report.slices.first { $0.name == "high_value" }?.values.first { $0.metric == "auc" })
        #expect(
            auc == [[SQLValue(expected.candidate), SQLValue(expected.champion), SQLValue(expected.delta)]],
            "full precision")
        let stored = try c.query("SELECT report_json FROM runs WHERE id = 1", [])[0][0].text
        #expect(stored == JSONReport.render(report))
    }

    @Test(arguments: Backend.available)
    func theSameEvaluationTwiceIsARepeatAndReproducible(_ backend: Backend) throws {
        let ledger = try Ledger(try backend.freshLocation())
        let report = fraudReport()
        _ = try ledger.record(report, version: "0.1.0")
        let again = try ledger.record(fraudReport(), version: "0.1.0")
        #expect(again == Ledger.Recorded(id: 2, repeatOf: 1, differences: []))
        // Another candidate is another key.
        let other = try ledger.record(
            fraudReport(candidate: "\(repoRoot)/fixtures/fraud/champion.csv"), version: "0.1.0")
        #expect(other.repeatOf == nil)
        // Another evalgate version is another key too.
        #expect(try ledger.record(report, version: "0.2.0").repeatOf == nil)
        #expect(try ledger.runs().map(\.id) == [4, 3, 2, 1])
        #expect(try ledger.runs()[2].repeatOf == 1)
    }

    @Test(arguments: Backend.available)
    func aRepeatThatDiffersIsNotReproducible(_ backend: Backend) throws {
        let ledger = try Ledger(try backend.freshLocation())
        var report = fraudReport()
        _ = try ledger.record(report, version: "0.1.0")
        let overall = try #require(report.slices.firstIndex { $0.name == "overall" })
        let auc = try #require(report.slices[overall].values.firstIndex { $0.metric == "auc" })
        report.slices[overall].values[auc].candidate = 0.5
        report.verdict = .pass
        let recorded = try ledger.record(report, version: "0.1.0")
        #expect(recorded.repeatOf == 1)
        #expect(recorded.differences.first == "verdict pass (run 1: fail)")
        #expect(recorded.differences.contains { $0.hasPrefix("auc on overall: 0.5 (run 1: 0.97") })
    }

    /// A ledger written by an evalgate that knew only the first migration.
    @Test(arguments: Backend.available)
    func aLedgerFromAnOlderEvalgateIsMigratedAndKeepsItsRuns(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let older = try Ledger(location)
        _ = try older.record(fraudReport(), version: "0.0.9")
        try older.connection.execute("DROP INDEX runs_by_gate_verdict", [])
        try older.connection.execute("DELETE FROM grdb_migrations WHERE identifier = ?", [.text("v2-runs-by-verdict")])
        for column in ["reference_path", "reference_sha256", "reference_rows"] {
            try older.connection.execute("ALTER TABLE runs DROP COLUMN \(column)", [])
        }
        try older.connection.execute("DELETE FROM grdb_migrations WHERE identifier = ?", [.text("v3-drift-reference")])
        let ledger = try Ledger(location)
        let applied = try ledger.connection.query("SELECT identifier FROM grdb_migrations ORDER BY identifier", []).map
        { $0[0] }
        #expect(applied == [.text("v1-runs"), .text("v2-runs-by-verdict"), .text("v3-drift-reference")])
        #expect(try ledger.runs().map(\.id) == [1])
        #expect(try ledger.record(fraudReport(), version: "0.1.0").id == 2)
    }

    @Test(arguments: Backend.available)
    func aLedgerFromANewerEvalgateIsRefused(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let ledger = try Ledger(location)
        try ledger.connection.execute(
            "INSERT INTO grdb_migrations (identifier) VALUES (?)", [.text("v9-from-the-future")])
        #expect {
            _ = try Ledger(location)
        } throws: { error in
            (error as? LedgerError)?.message
                == "was written by a newer evalgate (schema migrations v9-from-the-future are unknown to this one); upgrade evalgate to use it"
        }
    }

    @Test(arguments: Backend.available)
    func aRunIsRecordedWholeOrNotAtAll(_ backend: Backend) throws {
        let ledger = try Ledger(try backend.freshLocation())
        var report = fraudReport()
        report.slices.append(report.slices[0])  // a second "overall": the slice rows collide
        #expect(throws: LedgerError.self) { try ledger.record(report, version: "0.1.0") }
        #expect(try ledger.connection.query("SELECT COUNT(*) FROM runs", [])[0][0].int == 0)
        #expect(try ledger.connection.query("SELECT COUNT(*) FROM results", [])[0][0].int == 0)
        #expect(try ledger.record(fraudReport(), version: "0.1.0").id == 1)
    }

    @Test(arguments: Backend.available)
    func sixConcurrentWritersAreAllRecorded(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let report = fraudReport()
        let outcomes = ResultBox(count: 6)
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            outcomes.set(
                index, Result { () throws(LedgerError) in try Ledger(location).record(report, version: "0.1.0").id })
        }
        let ids = try outcomes.values.map { try $0!.get() }
        #expect(ids.sorted() == [1, 2, 3, 4, 5, 6])
        let ledger = try Ledger(location)
        #expect(try ledger.runs().count == 6)
        #expect(try ledger.runs().filter { $0.repeatOf == 1 }.count == 5)
    }

    @Test(arguments: Backend.available)
    func historyListsRunsAndOneMetricOverRuns(_ backend: Backend) throws {
        let ledger = try Ledger(try backend.freshLocation())
        _ = try ledger.record(fraudReport(labels: [.init(key: "model_version", value: "41")]), version: "0.1.0")
        _ = try ledger.record(fraudReport(candidate: "\(repoRoot)/fixtures/fraud/champion.csv"), version: "0.1.0")
        let runs = try ledger.runs(gate: "fraud-detector", limit: 5)
        #expect(runs.map(\.verdict) == ["pass", "fail"])
        #expect(runs[1].labels == [.init(key: "model_version", value: "41")])
        #expect(try ledger.runs(gate: "another-gate").isEmpty)
        #expect(try ledger.runs(limit: 1).map(\.id) == [2])
        let series = try ledger.series(metric: "recall", slice: "high_value")
        #expect(series.map(\.run) == [1, 2])
        #expect(isClose(series[0].candidate, 0.5113636363636364))
        #expect(isClose(series[1].candidate, 0.7386363636363636))
        let table = HistoryFormat.seriesTable(series, metric: "recall", slice: "high_value")
        #expect(table.hasPrefix("recall on high_value, candidate over 2 runs (oldest first): ▁█  0.5114 -> 0.7386\n"))
        let full = try #require(try ledger.run(1))
        #expect(full.report == JSONReport.render(fraudReport(labels: [.init(key: "model_version", value: "41")])))
        #expect(try ledger.run(99) == nil)
    }

    @Test(arguments: Backend.available)
    func aBaselineComesFromARecordedRunOnTheSameGoldenSet(_ backend: Backend) throws {
        let ledger = try Ledger(try backend.freshLocation())
        let sha = fraudReport().inputs[0].sha256
        #expect {
            _ = try ledger.baseline(.lastPass, gate: "fraud-detector", datasetSha256: sha)
        } throws: { error in
            (error as? EvalGateError)?.description.hasSuffix(
                "has no passing run of gate 'fraud-detector' to use as the baseline; give champion predictions for the first promotion"
            ) == true
        }
        // Promote the champion: its run passes and becomes the baseline.
        _ = try ledger.record(fraudReport(candidate: "\(repoRoot)/fixtures/fraud/champion.csv"), version: "0.1.0")
        _ = try ledger.record(fraudReport(), version: "0.1.0")
        let baseline = try ledger.baseline(.lastPass, gate: "fraud-detector", datasetSha256: sha)
        #expect(baseline.run == 1)
        #expect(isClose(baseline.values["high_value"]?["recall"] ?? nil, 0.7386363636363636))
        #expect(try ledger.baseline(.run(2), gate: "fraud-detector", datasetSha256: sha).run == 2)
        #expect {
            _ = try ledger.baseline(.run(1), gate: "fraud-detector", datasetSha256: String(repeating: "0", count: 64))
        } throws: { error in
            (error as? EvalGateError)?.description.contains(
                "run 1 was scored on dataset sha256 \(sha), this run's dataset has sha256 0000") == true
        }
        #expect(throws: EvalGateError.self) { try ledger.baseline(.run(7), gate: "fraud-detector", datasetSha256: sha) }
    }
}

/// Results written by concurrent workers, one slot each.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Int, LedgerError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Int, LedgerError>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Result<Int, LedgerError>?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
