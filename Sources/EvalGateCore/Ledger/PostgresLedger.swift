import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The team ledger: one PostgreSQL database that every ephemeral CI runner
/// writes to, with the same schema and migrations as the SQLite file.
/// evalgate is a single-shot command, so each statement blocks on its
/// future; there is one connection per run.
final class PostgresLedger: LedgerConnection {
    let name: String
    private let connection: PostgresConnection
    private let logger = Logger(label: "evalgate.ledger")

    /// Advisory lock keys: one serialises migrations, one run-id assignment.
    private static let migrationLock: Int64 = 0x6576_616c_6761_7401
    private static let writeLock: Int64 = 0x6576_616c_6761_7402

    /// Connects to `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`;
    /// the password may also come from PGPASSWORD.
    init(url: String, environment: [String: String]) throws(LedgerError) {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw LedgerError(ledger: url, "is not a PostgreSQL URL; use postgres://USER@HOST:PORT/DATABASE")
        }
        // Messages never show the password.
        var shown = components
        shown.password = nil
        shown.query = nil
        name = shown.string ?? "postgres://\(host)"
        let user = components.user ?? environment["PGUSER"] ?? "postgres"
        let password = components.password ?? environment["PGPASSWORD"]
        let database = components.path.isEmpty || components.path == "/" ? user : String(components.path.dropFirst())
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch mode {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case "require", "verify-ca", "verify-full":
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default:
                throw LedgerError(
                    ledger: name, "sslmode \(quote(mode)) is not supported; use disable, prefer or require")
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(ledger: name, "cannot set up TLS: \(error)")
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw LedgerError(
                ledger: name,
                "cannot connect (\(Self.describe(error))); check the URL, that the server is up, and the credentials")
        }
    }

    func execute(_ sql: String, _ values: [SQLValue]) throws(LedgerError) {
        _ = try run(sql, values)
    }

    /// Creates an empty database with a unique name on the server of
    /// `serverURL` and returns its URL: a fresh ledger for each test.
    static func scratchDatabase(on serverURL: String, prefix: String) throws(LedgerError) -> String {
        let name = "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "_"))"
        let admin = try PostgresLedger(url: serverURL, environment: [:])
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)", [])
        guard var components = URLComponents(string: serverURL) else {
            throw LedgerError(ledger: serverURL, "is not a URL")
        }
        components.path = "/\(name)"
        return components.string ?? serverURL
    }

    func query(_ sql: String, _ values: [SQLValue]) throws(LedgerError) -> [[SQLValue]] {
        try run(sql, values).rows.map { row in
            row.map { cell -> SQLValue in
                guard cell.bytes != nil else { return .null }
                switch cell.dataType {
                case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map { .int($0) } ?? .null
                case .float4, .float8, .numeric: return (try? cell.decode(Double.self)).map { .double($0) } ?? .null
                default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
                }
            }
        }
    }

    func writeTransaction<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try transaction(holding: Self.writeLock, body)
    }

    /// The same migrations as SQLite, in one transaction under an advisory
    /// lock, recorded in a `grdb_migrations` table like GRDB's.
    func migrate() throws(LedgerError) {
        try transaction(holding: Self.migrationLock) { () throws(LedgerError) in
            try execute("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)", [])
            let applied = Set(try query("SELECT identifier FROM grdb_migrations", []).compactMap { $0.first?.text })
            let unknown = applied.subtracting(LedgerSchema.migrations.map(\.identifier)).sorted()
            guard unknown.isEmpty else { throw LedgerError.newerSchema(name, unknown: unknown) }
            for migration in LedgerSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements { try execute(statement, []) }
                try execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", [.text(migration.identifier)])
            }
        }
    }

    /// Runs `body` in a transaction that first takes the advisory lock `key`
    /// (released at COMMIT or ROLLBACK), so concurrent runs take turns.
    private func transaction<T>(holding key: Int64, _ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try execute("BEGIN", [])
        do throws(LedgerError) {
            try execute("SELECT pg_advisory_xact_lock(?)", [.int(key)])
            let result = try body()
            try execute("COMMIT", [])
            return result
        } catch {
            try? execute("ROLLBACK", [])
            throw error
        }
    }

    func close() {
        try? connection.close().wait()
    }

    private func run(_ sql: String, _ values: [SQLValue]) throws(LedgerError) -> PostgresQueryResult {
        var bindings = PostgresBindings()
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let n): bindings.append(n)
            case .double(let x): bindings.append(x)
            case .text(let s): bindings.append(s)
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings), logger: logger)
                .wait()
        } catch {
            throw LedgerError(ledger: name, Self.describe(error))
        }
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, ...` (the ledger's SQL has
    /// no `?` inside string literals).
    static func numbered(_ sql: String) -> String {
        var result = ""
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
