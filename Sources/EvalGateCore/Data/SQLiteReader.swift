import GRDB

/// Which rows of a SQLite database to read: a whole table, or a read-only
/// SELECT (SPEC.md section 4).
package enum SQLiteSource: Sendable, Equatable {
    case table(String)
    case query(String)
}

/// Reads SQLite inputs (`.sqlite`, `.sqlite3`, `.db`) read-only through
/// GRDB. Values are rendered to text into one buffer, like JSON Lines, so
/// every later stage treats all formats alike: NULL is missing, INTEGER and
/// REAL print in shortest round-trip form, BLOB is refused.
package enum SQLiteReader {
    package static let extensions = [".sqlite", ".sqlite3", ".db"]

    package static func isSQLite(_ path: String) -> Bool {
        extensions.contains { path.lowercased().hasSuffix($0) }
    }

    package static func read(file: String, path: String, source: SQLiteSource, columns requested: [String])
        throws(EvalGateError) -> Table
    {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db -> Table in
                let statement = try self.statement(for: source, in: db, file: file)
                let header = statement.columnNames
                try CSVReader.checkColumns(file: file, header: header, requested: requested)
                let indices = requested.map { header.firstIndex(of: $0)! }
                var output = RenderedColumns(count: requested.count)
                let cursor = try Row.fetchCursor(statement)
                var rowNumber: Int32 = 0
                while let row = try cursor.next() {
                    rowNumber += 1
                    for (slot, index) in indices.enumerated() {
                        // Built only when an error needs it: this loop runs once per cell.
                        func place() -> String { "row \(rowNumber), column \(quote(requested[slot]))" }
                        let rendered = try text(of: row, at: index, file: file, place: place())
                        try output.append(rendered, column: slot, file: file, place: place())
                    }
                    output.endRow(line: rowNumber)
                }
                return output.table(file: file, header: header, names: requested, lineWord: "row")
            }
        } catch let error as EvalGateError {
            throw error
        } catch let error as DatabaseError {
            throw EvalGateError(
                .data, at: .init(file: file), "cannot be read as SQLite: \(error.message ?? "\(error)")",
                fix: "check the file and the table or query")
        } catch {
            throw EvalGateError(
                .data, at: .init(file: file), "cannot be read as SQLite: \(error)",
                fix: "check the file and the table or query")
        }
    }

    /// The statement that reads the gate file's `table:` or `query:`; a
    /// query must be read-only.
    private static func statement(for source: SQLiteSource, in db: Database, file: String) throws -> Statement {
        let sql: String
        switch source {
        case .table(let name):
            guard try db.tableExists(name) else {
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
                throw EvalGateError.data(
                    file: file,
                    message:
                        """
                        table \(quote(name)) not found.\(didYouMean(name, among: tables)) The database \
                        has: \(tables.joined(separator: ", "))
                        """
                )
            }
            sql = "SELECT * FROM \(name.quotedDatabaseIdentifier)"
        case .query(let query):
            sql = query
        }
        let statement = try db.makeStatement(sql: sql)
        guard statement.isReadonly else {
            throw EvalGateError(
                .gateFile, at: .init(file: file), "the query must be a read-only SELECT",
                fix: "evalgate never writes to your data")
        }
        return statement
    }

    /// A cell as the text a CSV file would hold: nil for NULL, numbers as
    /// evalgate prints them, text checked for UTF-8; a BLOB is refused.
    private static func text(
        of row: Row, at index: Int, file: String, place: @autoclosure () -> String
    ) throws -> String? {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return nil
        case .int64(let n): return String(n)
        case .double(let x): return formatNumber(x)
        case .string(let s):
            // SQLite stores whatever bytes it was given; GRDB repairs
            // invalid UTF-8 to U+FFFD, so look at the raw bytes then.
            if s.contains("\u{FFFD}"),
                let bad = try row.withUnsafeData(atIndex: index, { $0.flatMap { UTF8Check.firstInvalid([UInt8]($0)) } })
            {
                throw EvalGateError.data(
                    file: file,
                    message:
                        """
                        \(place()), byte offset \(bad) of the value: the text is not valid UTF-8 (evalgate reads UTF-8 \
                        only); convert the text to UTF-8 before loading it, e.g. with iconv -f latin1 -t utf-8
                        """
                )
            }
            return s
        case .blob:
            throw EvalGateError(
                .data, at: .init(file: file), "\(place()): a BLOB is not a value evalgate can read",
                fix: "store text or numbers")
        }
    }
}
