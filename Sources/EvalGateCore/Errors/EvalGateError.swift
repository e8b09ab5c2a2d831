import Foundation

/// Every way a run can refuse to go on, as data: what kind of problem it
/// is (which decides the exit code, in one place, so "fails closed" is
/// visible here: nothing maps to 0 or 1), where it is (file, line, column,
/// key path, row id, byte offset), what is wrong and how to fix it. The
/// sentence on stderr and in the reports is rendered from those fields in
/// `description`, the only place that formats an error.
package struct EvalGateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two errors are the same when they tell the user the same thing and
    /// end the run the same way, however their parts were assembled.
    package static func == (a: EvalGateError, b: EvalGateError) -> Bool {
        a.kind == b.kind && a.description == b.description
    }

    /// The raw value is the category reports show ("contract", "usage", "data", "output").
    package enum Kind: String, Sendable {
        /// The gate file is invalid (exit 2).
        case gateFile = "contract"
        /// The command line is invalid (exit 2).
        case commandLine = "usage"
        /// The data is unusable (exit 3): missing file or column, unparsable
        /// value, id mismatch, hash mismatch.
        case data
        /// A report or a CI side channel cannot be written where the command
        /// line or the CI environment says (exit 2).
        case output
    }

    /// Where the problem is. `file` is the path as the user wrote it.
    package struct Location: Equatable, Sendable {
        package var file: String?
        /// 1-based line of the gate file or data file.
        package var line: Int?
        /// 1-based column of the gate file, with `line`.
        package var column: Int?
        /// The key inside the gate file (`checks[2].max_drop`).
        package var keyPath: String?
        /// 1-based row of a database table (where a file has a line).
        package var row: Int?
        /// The row's id value in a data file.
        package var rowId: String?
        /// The byte offset inside the file.
        package var byteOffset: Int?

        package init(
            file: String? = nil, line: Int? = nil, column: Int? = nil, keyPath: String? = nil, row: Int? = nil,
            rowId: String? = nil, byteOffset: Int? = nil
        ) {
            self.file = file
            self.line = line
            self.row = row
            self.column = column
            self.keyPath = keyPath
            self.rowId = rowId
            self.byteOffset = byteOffset
        }
    }

    package var kind: Kind
    package var location: Location
    /// What is wrong, as a clause ("column 'score' not found").
    package var problem: String
    /// What to do about it ("check the delimiter"); nil when the problem
    /// says it already.
    package var fix: String?

    package init(_ kind: Kind, at location: Location = Location(), _ problem: String, fix: String? = nil) {
        self.kind = kind
        self.location = location
        self.problem = problem
        self.fix = fix
    }

    package var exitCode: Int32 {
        switch kind {
        case .gateFile, .commandLine, .output: 2
        case .data: 3
        }
    }

    /// The one sentence printed on stderr: in a gate file
    /// `file:line:column: key.path: problem; fix`, in a data file
    /// `file: line N: problem; fix`, or `file: line N (id 'x'), problem;
    /// fix` for a row with an id (`row N` in a database), with `byte
    /// offset B` after the line where it is known.
    package var description: String {
        var sentence = fix.map { "\(problem); \($0)" } ?? problem
        var place = location.file ?? ""
        if kind == .data, let at = location.line.map({ "line \($0)" }) ?? location.row.map({ "row \($0)" }) {
            let offset = location.byteOffset.map { ", byte offset \($0)" } ?? ""
            sentence =
                location.rowId.map { "\(at) (id \(quote($0)))\(offset), \(sentence)" } ?? "\(at)\(offset): \(sentence)"
        } else if let line = location.line, !place.isEmpty {
            place += ":\(line)"
            if let column = location.column { place += ":\(column)" }
        }
        var parts = place.isEmpty ? [] : [place]
        if let key = location.keyPath, !key.isEmpty { parts.append(key) }
        parts.append(sentence)
        return parts.joined(separator: ": ")
    }

    // MARK: - The common shapes

    /// A data problem in a file, its place and fix already in `message`.
    package static func data(file: String, message: String) -> EvalGateError {
        EvalGateError(.data, at: Location(file: file), message)
    }

    /// A gate-file problem at a line and column, under a key.
    package static func gateFile(
        _ file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, _ problem: String
    ) -> EvalGateError {
        EvalGateError(.gateFile, at: Location(file: file, line: line, column: column, keyPath: key), problem)
    }

    /// A command-line problem; the message names the flag.
    package static func usage(_ message: String) -> EvalGateError {
        EvalGateError(.commandLine, message)
    }
}
