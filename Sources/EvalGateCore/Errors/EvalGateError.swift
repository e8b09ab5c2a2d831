import Foundation

/// Every way a gate can refuse to run. The exit code is a property of the
/// error, decided in one switch, so "fails closed" is visible in one place:
/// nothing here maps to 0 or 1.
package enum EvalGateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The gate file or the command line is invalid (exit 2).
    /// `location` is "path:line:column" or "path"; `key` the key path inside the file.
    case contract(location: String, key: String?, message: String)
    /// The command line is invalid (exit 2).
    case usage(String)
    /// The data is unusable (exit 3): missing file or column, unparsable value,
    /// id mismatch, hash mismatch. `file` is the path as the user wrote it.
    case data(file: String, message: String)

    package var exitCode: Int32 {
        switch self {
        case .contract, .usage: 2
        case .data: 3
        }
    }

    /// The one sentence printed on stderr.
    package var description: String {
        switch self {
        case .contract(let location, let key, let message):
            if let key, !key.isEmpty { return "\(location): \(key): \(message)" }
            return "\(location): \(message)"
        case .usage(let message):
            return message
        case .data(let file, let message):
            return "\(file): \(message)"
        }
    }

    /// Short category used in reports ("contract" | "usage" | "data").
    package var kind: String {
        switch self {
        case .contract: "contract"
        case .usage: "usage"
        case .data: "data"
        }
    }
}
