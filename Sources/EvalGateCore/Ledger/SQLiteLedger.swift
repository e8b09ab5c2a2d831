import Foundation
import GRDB

/// The embedded ledger: one SQLite file, in WAL mode with a busy timeout so
/// that a CI matrix of runs started at once on a shared volume all record.
final class SQLiteLedger: LedgerConnection {
    let name: String
    private let queue: DatabaseQueue
    /// The connection while a write transaction runs: statements inside it
    /// use it directly (GRDB's queue is not reentrant).
    private var inTransaction: Database?

    init(path: String, displayName: String) throws(LedgerError) {
        name = displayName
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            // WAL is a property of the file: readers never block the writer.
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
        }
        // A new file switching to WAL while other runs open it can be
        // refused at once, without the busy timeout: try again, as migrate does.
        var attempt = 0
        while true {
            do {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                return
            } catch {
                attempt += 1
                if attempt >= Self.attempts { throw LedgerError(ledger: displayName, Self.describe(error)) }
                usleep(Self.pause(attempt))
            }
        }
    }

    /// Tries at a race that SQLite settles without its busy handler, and the
    /// pause before each: 20, 40, ... 200 ms, about 8 s in all.
    private static let attempts = 50
    private static func pause(_ attempt: Int) -> UInt32 { UInt32(20_000 * min(attempt, 10)) }

    func execute(_ sql: String, _ values: [SQLValue]) throws(LedgerError) {
        do {
            // Cached: the batches of one table share their SQL.
            try withDatabase { db in try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(values)) }
        } catch {
            throw LedgerError(ledger: name, Self.describe(error))
        }
    }

    func query(_ sql: String, _ values: [SQLValue]) throws(LedgerError) -> [[SQLValue]] {
        do {
            return try withDatabase { db in
                try Row.fetchAll(db, sql: sql, arguments: Self.arguments(values)).map { row in
                    row.databaseValues.map { value in
                        switch value.storage {
                        case .null: .null
                        case .int64(let n): .int(n)
                        case .double(let x): .double(x)
                        case .string(let s): .text(s)
                        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                        }
                    }
                }
            }
        } catch {
            throw LedgerError(ledger: name, Self.describe(error))
        }
    }

    func writeTransaction<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        var result: Result<T, LedgerError>?
        do {
            try queue.inDatabase { db in
                // IMMEDIATE takes the write lock up front (waiting up to the
                // busy timeout), so the next run id is read under the lock.
                try db.inTransaction(.immediate) {
                    inTransaction = db
                    defer { inTransaction = nil }
                    do throws(LedgerError) {
                        result = .success(try body())
                        return .commit
                    } catch {
                        result = .failure(error)
                        return .rollback
                    }
                }
            }
        } catch {
            throw LedgerError(ledger: name, Self.describe(error))
        }
        return try result!.get()
    }

    private func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = inTransaction { return try body(db) }
        return try queue.inDatabase(body)
    }

    func migrate() throws(LedgerError) {
        var migrator = DatabaseMigrator()
        for migration in LedgerSchema.migrations {
            migrator.registerMigration(migration.identifier) { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        // Runs started at once may race to create the schema: the loser's
        // CREATE fails because the winner committed first; it then finds the
        // migrations applied.
        var attempt = 0
        while true {
            do {
                if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
                    let applied = try queue.read { try migrator.appliedIdentifiers($0) }
                    let unknown = applied.subtracting(migrator.migrations).sorted()
                    throw LedgerError.newerSchema(name, unknown: unknown)
                }
                try migrator.migrate(queue)
                return
            } catch let error as LedgerError {
                throw error
            } catch {
                attempt += 1
                if attempt >= Self.attempts { throw LedgerError(ledger: name, Self.describe(error)) }
                usleep(Self.pause(attempt))
            }
        }
    }

    func close() {
        try? queue.close()
    }

    private static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .int(let n): n
                case .double(let x): x
                case .text(let s): s
                }
            })
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return
                    "is locked by another process (\(error.message ?? "busy")); try again, or check for a stuck writer"
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return
                    """
                    is not a usable SQLite ledger (\(error.message ?? "corrupt")); point --ledger at a ledger \
                    file or a new path
                    """
            case .SQLITE_CANTOPEN:
                return
                    "cannot be opened (\(error.message ?? "cannot open")); check that its folder exists and is writable"
            case .SQLITE_READONLY:
                return "is read-only; evalgate needs to write to it"
            default:
                return error.message ?? "\(error)"
            }
        }
        return "\(error)"
    }
}
