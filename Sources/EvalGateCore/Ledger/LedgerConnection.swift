/// A value bound to or read from a ledger query. The ledger's SQL is written
/// once, with `?` placeholders, for both backends.
package enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    package init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
    package init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    package init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }

    package var int: Int? {
        switch self {
        case .int(let n): Int(n)
        case .double(let x): Int(exactly: x)
        default: nil
        }
    }

    package var double: Double? {
        switch self {
        case .double(let x): x
        case .int(let n): Double(n)
        default: nil
        }
    }

    package var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

/// What the ledger needs from a database: statements with `?` placeholders,
/// rows of values, and one transaction that holds the writers' lock (SQLite:
/// BEGIN IMMEDIATE; PostgreSQL: an exclusive lock on the runs table), so
/// concurrent runs get consecutive ids and each is recorded whole or not at all.
package protocol LedgerConnection: AnyObject {
    /// How the ledger is named in messages ("ledger.sqlite", "postgres://host/db").
    var name: String { get }
    func execute(_ sql: String, _ values: [SQLValue]) throws(LedgerError)
    func query(_ sql: String, _ values: [SQLValue]) throws(LedgerError) -> [[SQLValue]]
    /// Runs `body` in a write transaction that serialises writers.
    func writeTransaction<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T
    /// Brings the schema to `LedgerSchema.migrations`; refuses a ledger that a
    /// newer evalgate migrated further.
    func migrate() throws(LedgerError)
    func close()
}

/// Anything that goes wrong with a ledger, as one sentence naming it.
package struct LedgerError: Error, CustomStringConvertible, Sendable, Equatable {
    package var ledger: String
    package var message: String

    package init(ledger: String, _ message: String) {
        self.ledger = ledger
        self.message = message
    }

    package var description: String { "ledger \(ledger): \(message)" }

    /// The ledger has migrations this evalgate does not know.
    static func newerSchema(_ ledger: String, unknown: [String]) -> LedgerError {
        LedgerError(
            ledger: ledger,
            """
            was written by a newer evalgate (schema migrations \(unknown.joined(separator: ", ")) are unknown to \
            this one); upgrade evalgate to use it
            """
        )
    }
}

extension EvalGateError {
    /// A ledger that cannot be read, as the data error it is to the run
    /// that needed it; `consequence` says what that run cannot do ("the
    /// baseline cannot be read").
    package init(_ error: LedgerError, consequence: String? = nil) {
        self = .data(file: error.ledger, message: error.message + (consequence.map { "; \($0)" } ?? ""))
    }
}
