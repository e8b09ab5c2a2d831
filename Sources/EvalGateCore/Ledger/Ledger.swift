import Crypto
import Foundation

/// The run ledger (SPEC.md section 8): every `check` appended as one
/// transaction, so that a promotion decision can be traced to its contract,
/// model, data, commit and values. A path is a SQLite file; a `postgres://`
/// URL is the team ledger.
package final class Ledger {
    let connection: any LedgerConnection

    package var name: String { connection.name }

    /// Opens (creating and migrating on first use) the ledger at `location`.
    /// With `mustExist` (a command that only reads, such as `history`), a
    /// SQLite ledger that is not there, or a SQLite file that is not a
    /// ledger, is an error, and nothing is created.
    package init(
        _ location: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        mustExist: Bool = false
    ) throws(LedgerError) {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            connection = try PostgresLedger(url: location, environment: environment)
        } else {
            let display = location.hasPrefix("/") ? (location as NSString).lastPathComponent : location
            if mustExist, !FileManager.default.fileExists(atPath: location) {
                throw LedgerError(
                    ledger: display,
                    """
                    the file does not exist, so there is no ledger to read; record a run with 'evalgate check \
                    GATE_FILE --ledger \(location)' first, or check the path
                    """)
            }
            connection = try SQLiteLedger(path: location, displayName: display)
            if mustExist {
                let tables = try connection.query(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'", [])
                if tables.first?.first?.int != 1 {
                    connection.close()
                    throw LedgerError(
                        ledger: display,
                        """
                        is a SQLite file but not an evalgate ledger (it has no runs table); give the file that \
                        'evalgate check --ledger' wrote
                        """
                    )
                }
            }
        }
        do {
            try connection.migrate()
        } catch {
            connection.close()
            throw error
        }
    }

    deinit { connection.close() }

    /// The ledger a command uses: its `--ledger` option, else `EVALGATE_LEDGER`.
    package static func location(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        option ?? environment["EVALGATE_LEDGER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    // MARK: - Recording

    /// What recording a run found.
    package struct Recorded: Sendable, Equatable {
        package var id: Int
        /// The first run with the same key, when this one repeats it.
        package var repeatOf: Int?
        /// How this run differs from that first run (empty: reproducible).
        package var differences: [String]
    }

    /// The run key: the same gate file, inputs and evalgate version give the
    /// same key, so a repeat of an evaluation is recognisable.
    package static func runKey(_ report: Report, version: String) -> String {
        func sha(_ role: String) -> String {
            if role == "champion", let baseline = report.baseline { return "run:\(baseline.run)" }
            return report.inputs.first { $0.role == role }?.sha256 ?? "-"
        }
        let parts = [
            "evalgate-run-key-1", report.contract.sha256 ?? "-", sha("dataset"), sha("candidate"), sha("champion"),
            version,
        ]
        return SHA256.hash(data: Data(parts.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends a run: the run row, its labels, every slice, every metric
    /// value and every result, in one transaction. `reportJSON` is the
    /// report.json already rendered for the report folder, if any.
    package func record(_ report: Report, reportJSON: String? = nil, version: String, at date: Date = Date())
        throws(LedgerError) -> Recorded
    {
        let json = reportJSON ?? JSONReport.render(report)
        var clock = StageClock()
        defer { clock.lap("ledger: record") }
        let key = Self.runKey(report, version: version)
        let (id, first) = try connection.writeTransaction { () throws(LedgerError) -> (Int, Int?) in
            let id = (try connection.query("SELECT MAX(id) FROM runs", []).first?.first?.int ?? 0) + 1
            let first = try connection.query("SELECT MIN(id) FROM runs WHERE run_key = ?", [.text(key)]).first?.first?
                .int
            try insertRun(report, json: json, id: id, key: key, repeatOf: first, version: version, date: date)
            return (id, first)
        }
        let differences =
            try first.map { (first) throws(LedgerError) in try self.differences(report, from: first) } ?? []
        return Recorded(id: id, repeatOf: first, differences: differences)
    }

    private func insertRun(
        _ report: Report, json: String, id: Int, key: String, repeatOf: Int?, version: String, date: Date
    ) throws(LedgerError) {
        let columns = Self.runColumns(
            report, json: json, id: id, key: key, repeatOf: repeatOf, version: version, date: date)
        try connection.execute(
            """
            INSERT INTO runs (\(columns.map(\.name).joined(separator: ", ")))
            VALUES (\(Self.placeholders(columns.count)))
            """, columns.map(\.value))
        let run = SQLValue.int(Int64(id))
        try insertRows(
            "run_labels (run_id, key, value)", report.lineage.labels.map { [run, .text($0.key), .text($0.value)] })
        try insertRows(
            "run_slices (run_id, position, slice, slice_group, rows, weight, status)",
            report.slices.enumerated().map { position, slice in
                [
                    run, SQLValue(position), .text(slice.name), SQLValue(slice.group), SQLValue(slice.rows),
                    .double(slice.weight),
                    .text(slice.evaluated ? "evaluated" : "too_small"),
                ]
            })
        try insertRows(
            """
            slice_metrics (run_id, slice, metric, candidate, champion, delta, candidate_lo, candidate_hi, \
            delta_lo, delta_hi, p_value)
            """,
            report.slices.flatMap { slice in
                slice.values.map { value in
                    [
                        run, .text(slice.name), .text(value.metric), SQLValue(value.candidate),
                        SQLValue(value.champion), SQLValue(value.delta),
                        SQLValue(value.uncertainty.candidate?.lowerBound),
                        SQLValue(value.uncertainty.candidate?.upperBound),
                        SQLValue(value.uncertainty.delta?.lowerBound), SQLValue(value.uncertainty.delta?.upperBound),
                        SQLValue(value.uncertainty.pValue),
                    ]
                }
            })
        try insertRows(
            """
            results (run_id, position, check_id, metric, slice, rule, limit_value, status, severity, candidate, \
            champion, delta, reason)
            """,
            report.results.enumerated().map { position, result in
                [
                    run, SQLValue(position), .text(result.check), .text(result.metric), .text(result.slice),
                    .text(result.rule.rawValue), .double(result.limit), .text(result.status.rawValue),
                    .text(result.severity.rawValue), SQLValue(result.candidate), SQLValue(result.champion),
                    SQLValue(result.delta), .text(result.reason),
                ]
            })
    }

    /// The `runs` row, each value beside its column's name.
    private static func runColumns(
        _ report: Report, json: String, id: Int, key: String, repeatOf: Int?, version: String, date: Date
    ) -> [(name: String, value: SQLValue)] {
        func input(_ role: String) -> [(name: String, value: SQLValue)] {
            let found = report.inputs.first { $0.role == role }
            return [
                ("\(role)_path", SQLValue(found?.path)), ("\(role)_sha256", SQLValue(found?.sha256)),
                ("\(role)_rows", SQLValue(found?.rows)),
            ]
        }
        let summary = report.summary
        let ci = report.lineage.ci
        let reference = report.drift?.reference
        let run: [(name: String, value: SQLValue)] = [
            ("id", .int(Int64(id))), ("run_key", .text(key)), ("repeat_of", SQLValue(repeatOf)),
            ("gate", .text(report.gate)), ("revision", SQLValue(report.revision)),
            ("verdict", .text(report.verdict.rawValue)), ("exit_code", .int(Int64(report.exitCode))),
            ("evalgate_version", .text(version)), ("recorded_at", .text(timestamp(date))),
            ("contract_path", .text(report.contract.path)), ("contract_sha256", SQLValue(report.contract.sha256)),
        ]
        let outcome: [(name: String, value: SQLValue)] = [
            ("baseline_run", SQLValue(report.baseline?.run)), ("results", SQLValue(summary.results)),
            ("passed", SQLValue(summary.passed)), ("failed", SQLValue(summary.failed)),
            ("warned", SQLValue(summary.warned)), ("skipped", SQLValue(summary.skipped)),
            ("error", SQLValue(report.error?.description)),
            ("ci_system", SQLValue(ci?.system)), ("ci_commit", SQLValue(ci?.commit)), ("ci_ref", SQLValue(ci?.ref)),
            ("ci_repository", SQLValue(ci?.repository)), ("ci_run_id", SQLValue(ci?.runID)),
            ("ci_run_url", SQLValue(ci?.runURL)), ("report_json", .text(json)),
            ("reference_path", SQLValue(reference?.path)), ("reference_sha256", SQLValue(reference?.sha256)),
            ("reference_rows", SQLValue(reference?.rows)),
        ]
        return run + input("dataset") + input("candidate") + input("champion") + outcome
    }

    /// Multi-row INSERTs of up to 30,000 bound values: one round trip per
    /// batch on PostgreSQL (limit 65,535), under SQLite's limit (32,766).
    private func insertRows(_ target: String, _ rows: [[SQLValue]]) throws(LedgerError) {
        guard let width = rows.first?.count else { return }
        let rowsPerBatch = max(1, min(1000, 30_000 / width))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + rowsPerBatch, rows.count)]
            let tuple = "(\(Self.placeholders(width)))"
            try connection.execute(
                "INSERT INTO \(target) VALUES \(Array(repeating: tuple, count: batch.count).joined(separator: ", "))",
                batch.flatMap { $0 })
            start += batch.count
        }
    }

    /// How `report` differs from the recorded run `first`: the verdict, then
    /// every metric value and result status, exactly (the same inputs must
    /// give the same bits).
    private func differences(_ report: Report, from first: Int) throws(LedgerError) -> [String] {
        var found: [String] = []
        let verdict = try connection.query("SELECT verdict FROM runs WHERE id = ?", [.int(Int64(first))]).first?.first?
            .text
        if verdict != report.verdict.rawValue {
            found.append("verdict \(report.verdict.rawValue) (run \(first): \(verdict ?? "none"))")
        }
        var recorded: [String: [SQLValue]] = [:]
        for row in try connection.query(
            "SELECT slice, metric, candidate, champion, delta FROM slice_metrics WHERE run_id = ?", [.int(Int64(first))]
        ) {
            recorded["\(row[0].text ?? "")\u{0}\(row[1].text ?? "")"] = Array(row[2...])
        }
        for slice in report.slices {
            for v in slice.values {
                let now = [SQLValue(v.candidate), SQLValue(v.champion), SQLValue(v.delta)]
                let then = recorded.removeValue(forKey: "\(slice.name)\u{0}\(v.metric)")
                if then != now {
                    found.append(
                        """
                        \(v.metric) on \(slice.name): \(Self.show(now[0])) (run \(first): \
                        \(then.map { Self.show($0[0]) } ?? "not recorded"))
                        """
                    )
                }
            }
        }
        if !recorded.isEmpty {
            found.append("\(recorded.count) metric values of run \(first) are missing from this run")
        }
        let statuses = try connection.query(
            "SELECT status FROM results WHERE run_id = ? ORDER BY position", [.int(Int64(first))]
        ).map { $0[0].text ?? "" }
        if statuses != report.results.map(\.status.rawValue) {
            found.append("the result statuses differ from run \(first)'s")
        }
        return found
    }

    // MARK: - Reading

    /// One run as `history` lists it.
    package struct RunSummary: Sendable, Equatable {
        package var id: Int
        package var recordedAt: String
        package var gate: String
        package var revision: String?
        package var verdict: String
        package var exitCode: Int
        package var results: Int
        package var failed: Int
        package var warned: Int
        package var commit: String?
        package var repeatOf: Int?
        package var baselineRun: Int?
        package var datasetSha256: String?
        package var candidateSha256: String?
        package var championSha256: String?
        /// The drift reference's, when the gate had a `drift:` section.
        package var referenceSha256: String?
        package var labels: [Lineage.Label]
    }

    /// The newest runs first, optionally of one gate or the one run `id`.
    package func runs(gate: String? = nil, id: Int? = nil, limit: Int = 20) throws(LedgerError) -> [RunSummary] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let gate {
            conditions.append("gate = ?")
            values.append(.text(gate))
        }
        if let id {
            conditions.append("id = ?")
            values.append(.int(Int64(id)))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.query(
            """
            SELECT id, recorded_at, gate, revision, verdict, exit_code, results, failed, warned, ci_commit, repeat_of,
                baseline_run,
                dataset_sha256, candidate_sha256, champion_sha256, reference_sha256
            FROM runs \(filter) ORDER BY id DESC LIMIT ?
            """, values + [.int(Int64(limit))])
        var labels: [Int: [Lineage.Label]] = [:]
        if !rows.isEmpty {
            // The labels of exactly these runs (a gate's runs need not be consecutive).
            for row in try connection.query(
                """
                SELECT run_id, key, value FROM run_labels WHERE run_id IN (\(Self.placeholders(rows.count))) \
                ORDER BY run_id, key
                """,
                rows.map { $0[0] })
            {
                labels[row[0].int ?? 0, default: []].append(
                    Lineage.Label(key: row[1].text ?? "", value: row[2].text ?? ""))
            }
        }
        return rows.map { row in
            RunSummary(
                id: row[0].int ?? 0, recordedAt: row[1].text ?? "", gate: row[2].text ?? "", revision: row[3].text,
                verdict: row[4].text ?? "", exitCode: row[5].int ?? 0, results: row[6].int ?? 0,
                failed: row[7].int ?? 0,
                warned: row[8].int ?? 0, commit: row[9].text, repeatOf: row[10].int, baselineRun: row[11].int,
                datasetSha256: row[12].text, candidateSha256: row[13].text, championSha256: row[14].text,
                referenceSha256: row[15].text, labels: labels[row[0].int ?? 0] ?? [])
        }
    }

    /// One metric on one slice over runs, oldest first (the newest `limit`).
    package struct Point: Sendable, Equatable {
        package var run: Int
        package var recordedAt: String
        package var gate: String
        package var verdict: String
        package var candidate: Double?
        package var champion: Double?
    }

    package func series(metric: String, slice: String, gate: String? = nil, limit: Int = 20) throws(LedgerError)
        -> [Point]
    {
        let filter = gate == nil ? "" : "AND r.gate = ?"
        let rows = try connection.query(
            """
            SELECT r.id, r.recorded_at, r.gate, r.verdict, m.candidate, m.champion
            FROM slice_metrics m JOIN runs r ON r.id = m.run_id
            WHERE m.metric = ? AND m.slice = ? \(filter) ORDER BY r.id DESC LIMIT ?
            """, [.text(metric), .text(slice)] + (gate.map { [SQLValue.text($0)] } ?? []) + [.int(Int64(limit))])
        return rows.reversed().map { row in
            Point(
                run: row[0].int ?? 0, recordedAt: row[1].text ?? "", gate: row[2].text ?? "",
                verdict: row[3].text ?? "",
                candidate: row[4].double, champion: row[5].double)
        }
    }

    /// What the ledger holds that `history` can be asked about.
    package enum Name: String, Sendable {
        case gate, metric, slice
    }

    /// The distinct gates, metrics or slices recorded (of `gate`, when given), sorted.
    package func recorded(_ name: Name, gate: String? = nil) throws(LedgerError) -> [String] {
        let column = name == .gate ? "r.gate" : "m.\(name.rawValue)"
        let join = name == .gate ? "" : "JOIN slice_metrics m ON m.run_id = r.id"
        let filter = gate == nil ? "" : "WHERE r.gate = ?"
        return try connection.query(
            "SELECT DISTINCT \(column) FROM runs r \(join) \(filter) ORDER BY 1",
            gate.map { [SQLValue.text($0)] } ?? []
        ).compactMap { $0.first?.text }
    }

    /// One run in full: its ledger fields and its report.json.
    package func run(_ id: Int) throws(LedgerError) -> (summary: RunSummary, runKey: String, report: String)? {
        let rows = try connection.query("SELECT run_key, report_json FROM runs WHERE id = ?", [.int(Int64(id))])
        guard let row = rows.first, let summary = try runs(id: id, limit: 1).first else { return nil }
        return (summary, row[0].text ?? "", row[1].text ?? "")
    }

    // MARK: - Baseline

    /// The candidate values of a recorded run, to stand in for the champion.
    package func baseline(_ selector: BaselineSelector, gate: String, datasetSha256: String) throws(EvalGateError)
        -> Baseline
    {
        do {
            let id = try baselineRun(selector, gate: gate, datasetSha256: datasetSha256)
            var values: [String: [String: Double?]] = [:]
            for row in try connection.query(
                "SELECT slice, metric, candidate FROM slice_metrics WHERE run_id = ?", [.int(Int64(id))])
            {
                values[row[0].text ?? "", default: [:]][row[1].text ?? ""] = row[2].double
            }
            return Baseline(run: id, datasetSha256: datasetSha256, values: values)
        } catch let error as EvalGateError {
            throw error
        } catch let error as LedgerError {
            throw EvalGateError(error, consequence: "the baseline cannot be read")
        } catch {
            throw EvalGateError(
                .data, at: .init(file: name), "\(error); the baseline cannot be read",
                fix: "check that the ledger is reachable, or give champion predictions")
        }
    }

    /// The run a selector names, scored on the same golden set as this run.
    private func baselineRun(_ selector: BaselineSelector, gate: String, datasetSha256: String) throws -> Int {
        switch selector {
        case .run(let run):
            let rows = try connection.query("SELECT dataset_sha256, gate FROM runs WHERE id = ?", [.int(Int64(run))])
            guard let row = rows.first else {
                throw EvalGateError(
                    .data, at: .init(file: name), "has no run \(run)",
                    fix: "list the runs with 'evalgate history --ledger \(name)'")
            }
            guard row[0].text == datasetSha256 else {
                throw EvalGateError.data(
                    file: name,
                    message:
                        """
                        run \(run) was scored on dataset sha256 \(row[0].text ?? "none"), this run's dataset \
                        has sha256 \(datasetSha256); a baseline must come from the same golden set
                        """
                )
            }
            return run
        case .lastPass:
            let rows = try connection.query(
                "SELECT id, dataset_sha256 FROM runs WHERE gate = ? AND verdict = 'pass' ORDER BY id DESC",
                [.text(gate)])
            if let match = rows.first(where: { $0[1].text == datasetSha256 }) { return match[0].int ?? 0 }
            if let latest = rows.first {
                throw EvalGateError.data(
                    file: name,
                    message:
                        """
                        the last passing run of gate \(quote(gate)) (run \(latest[0].int ?? 0)) was \
                        scored on dataset sha256 \(latest[1].text ?? "none"), this run's dataset has \
                        sha256 \(datasetSha256), and no passing run used this golden set; pass --baseline \
                        RUN_ID or give champion predictions
                        """
                )
            }
            throw EvalGateError.data(
                file: name,
                message:
                    """
                    has no passing run of gate \(quote(gate)) to use as the baseline; give champion \
                    predictions for the first promotion
                    """
            )
        }
    }

    // MARK: - Helpers

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func show(_ value: SQLValue) -> String {
        value.double.map { formatNumber($0) } ?? "null"
    }
}
