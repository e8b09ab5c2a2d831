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

    package static func read(file: String, path: String, source: SQLiteSource, columns requested: [String]) throws(EvalGateError) -> Table {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db -> Table in
                let sql: String
                switch source {
                case .table(let name):
                    guard try db.tableExists(name) else {
                        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
                        throw EvalGateError.data(file: file, message: "table '\(name)' not found.\(didYouMean(name, among: tables)) The database has: \(tables.joined(separator: ", "))")
                    }
                    sql = "SELECT * FROM \(name.quotedDatabaseIdentifier)"
                case .query(let query):
                    sql = query
                }
                let statement = try db.makeStatement(sql: sql)
                guard statement.isReadonly else {
                    throw EvalGateError.usage("\(file): the query must be a read-only SELECT; evalgate never writes to your data")
                }
                let header = statement.columnNames
                try CSVReader.checkColumns(file: file, header: header, requested: requested)
                let indices = requested.map { header.firstIndex(of: $0)! }
                var text: [UInt8] = []
                var columns = Array(repeating: [UInt64](), count: requested.count)
                var rows: [Int32] = []
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() {
                    rows.append(Int32(rows.count + 1))
                    for (slot, index) in indices.enumerated() {
                        let rendered: String?
                        let value: DatabaseValue = row[index]
                        switch value.storage {
                        case .null: rendered = nil
                        case .int64(let n): rendered = String(n)
                        case .double(let x): rendered = formatNumber(x)
                        case .string(let s): rendered = s
                        case .blob:
                            throw EvalGateError.data(file: file, message: "row \(rows.count), column '\(requested[slot])': a BLOB is not a value evalgate can read; store text or numbers")
                        }
                        if let rendered, !rendered.isEmpty {
                            let offset = text.count
                            text.append(contentsOf: rendered.utf8)
                            columns[slot].append(Cell.pack(offset: offset, length: text.count - offset))
                        } else {
                            columns[slot].append(Cell.missing)
                        }
                    }
                }
                var cells: [String: [UInt64]] = [:]
                for (slot, name) in requested.enumerated() { cells[name] = columns[slot] }
                return Table(file: file, header: header, rowCount: rows.count, bytes: text, cells: cells, lines: rows, lineWord: "row")
            }
        } catch let error as EvalGateError {
            throw error
        } catch let error as DatabaseError {
            throw .data(file: file, message: "cannot be read as SQLite: \(error.message ?? "\(error)"); check the file and the table or query")
        } catch {
            throw .data(file: file, message: "cannot be read as SQLite: \(error)")
        }
    }
}
