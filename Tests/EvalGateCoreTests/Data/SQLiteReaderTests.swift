import Foundation
import GRDB
import Testing

@testable import EvalGateCore

struct SQLiteReaderTests {
    /// A database with the golden rows in a table and predictions in another.
    static func database() throws -> String {
        let folder = try scratch([:])
        let queue = try DatabaseQueue(path: "\(folder)/eval.sqlite")
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE golden (id TEXT, y INTEGER, w REAL, region TEXT)")
            try db.execute(sql: "CREATE TABLE preds (id TEXT, s REAL, model TEXT)")
            let rows: [(String, Int, Double, String?)] = [
                ("a", 1, 1, "eu"), ("b", 0, 2, "eu"), ("c", 1, 0.5, nil), ("d", 0, 1, "na"),
            ]
            for (id, y, w, region) in rows {
                try db.execute(sql: "INSERT INTO golden VALUES (?, ?, ?, ?)", arguments: [id, y, w, region])
            }
            for (id, s) in [("a", 0.9), ("b", 0.4), ("c", 0.3), ("d", 0.6)] {
                try db.execute(sql: "INSERT INTO preds VALUES (?, ?, 'new')", arguments: [id, s])
                try db.execute(sql: "INSERT INTO preds VALUES (?, ?, 'old')", arguments: [id, 1 - s])
            }
        }
        return folder
    }

    static func gate(_ dataset: String, _ candidate: String) -> String {
        """
        version: 1
        name: sql
        dataset: {path: eval.sqlite, id: id, label: y, weight: w, \(dataset)}
        models: {candidate: {path: eval.sqlite, score: s, \(candidate)}}
        slices: [{name: region, by: region}]
        checks: [{metric: accuracy, min: 0}, {metric: auc, min: 0}]
        """
    }

    @Test func tablesAndReadOnlyQueriesAreRead() throws {
        let folder = try Self.database()
        try Self.gate("table: golden", "query: \"SELECT id, s FROM preds WHERE model = 'new'\"").write(
            toFile: "\(folder)/gate.yaml", atomically: true, encoding: .utf8)
        let report = runGate(folder)
        #expect(report.error == nil, "\(String(describing: report.error))")
        #expect(report.slices.map(\.name) == ["overall", "region/eu", "region/na", "region/(missing)"])
        // Weighted: a (1, 0.9) right, b (0, 0.4) right, c (1, 0.3) wrong, d (0, 0.6) wrong.
        #expect(report.slices[0].values[0].candidate == 3.0 / 4.5)
        #expect(report.inputs.map(\.rows) == [4, 4])
    }

    @Test func writingQueriesAreRefused() throws {
        let folder = try Self.database()
        try Self.gate("table: golden", "query: \"DELETE FROM preds\"").write(
            toFile: "\(folder)/gate.yaml", atomically: true, encoding: .utf8)
        let report = runGate(folder)
        #expect(report.exitCode == 2)
        #expect(
            report.error?.description.hasSuffix(
                "the query must be a read-only SELECT; evalgate never writes to your data") == true)
        let count = try DatabaseQueue(path: "\(folder)/eval.sqlite").read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM preds")
        }
        #expect(count == 8)
    }

    @Test func missingTablesSuggestTheNearestName() throws {
        let folder = try Self.database()
        try Self.gate("table: goldn", "table: preds").write(
            toFile: "\(folder)/gate.yaml", atomically: true, encoding: .utf8)
        let report = runGate(folder)
        #expect(report.exitCode == 3)
        #expect(
            report.error?.description
                == "eval.sqlite: table 'goldn' not found. Did you mean 'golden'? The database has: golden, preds")
    }

    @Test func tableAndQueryBelongToSQLitePaths() {
        let onCSV = decodeError(
            "version: 1\nname: g\ndataset: {path: d.csv, id: id, label: y, table: t}\nmodels: {candidate: {score: s}}\nchecks: [{metric: auc, min: 0}]\n"
        )
        #expect(onCSV?.contains("'table' applies to SQLite files (.sqlite, .sqlite3, .db); remove it") == true)
        let neither = decodeError(
            "version: 1\nname: g\ndataset: {path: d.db, id: id, label: y}\nmodels: {candidate: {score: s}}\nchecks: [{metric: auc, min: 0}]\n"
        )
        #expect(
            neither?.contains("'d.db' is a SQLite database: name the rows with 'table: NAME' or 'query: SELECT ...'")
                == true)
    }

    @Test func rowsAreNamedByRowNumber() throws {
        let folder = try Self.database()
        try DatabaseQueue(path: "\(folder)/eval.sqlite").write {
            try $0.execute(sql: "UPDATE preds SET s = 1.5 WHERE id = 'c' AND model = 'new'")
        }
        try Self.gate("table: golden", "query: \"SELECT id, s FROM preds WHERE model = 'new' ORDER BY id\"").write(
            toFile: "\(folder)/gate.yaml", atomically: true, encoding: .utf8)
        let report = runGate(folder)
        #expect(
            report.error?.description
                == "eval.sqlite: row 3 (id 'c'), column 's': '1.5' is not valid: a binary score is P(positive) and must be in [0, 1]"
        )
    }

    /// Runs the standard gate after `update` changed the golden table.
    static func runAfter(_ update: String) throws -> Report {
        let folder = try database()
        try DatabaseQueue(path: "\(folder)/eval.sqlite").write { try $0.execute(sql: update) }
        try gate("table: golden", "query: \"SELECT id, s FROM preds WHERE model = 'new'\"").write(
            toFile: "\(folder)/gate.yaml", atomically: true, encoding: .utf8)
        return runGate(folder)
    }

    /// SQLite keeps whatever bytes it was given; GRDB would repair them to
    /// U+FFFD, which must not pass as a value.
    @Test func textThatIsNotUTF8IsRefused() throws {
        let report = try Self.runAfter("UPDATE golden SET region = CAST(X'6361E9' AS TEXT) WHERE id = 'c'")
        #expect(report.exitCode == 3)
        #expect(
            report.error?.description
                == "eval.sqlite: row 3, column 'region', byte offset 2 of the value: the text is not valid UTF-8 (evalgate reads UTF-8 only); convert the text to UTF-8 before loading it, e.g. with iconv -f latin1 -t utf-8"
        )
    }

    @Test func aRealReplacementCharacterIsKept() throws {
        let report = try Self.runAfter("UPDATE golden SET region = 'x\u{FFFD}' WHERE id = 'c'")
        #expect(report.exitCode == 0, "\(report.error?.description ?? "")")
        #expect(report.slices.contains { $0.name == "region/x\u{FFFD}" })
    }
}
