import Foundation

/// The one way evalgate writes to its standard output and error. Every
/// line is escaped whole (evalgate's own text has no control characters),
/// then a colour may be put around its leading tag.
package enum Console {
    package enum Stream { case out, error }

    /// Writes `lines`, each escaped and ended by a newline.
    package static func write(_ lines: [String], to stream: Stream = .out) {
        write(lines.map { ConsoleLine($0) }, color: false, to: stream)
    }

    /// Writes `lines`, each escaped, its tag painted when `color`.
    package static func write(_ lines: [ConsoleLine], color: Bool, to stream: Stream = .out) {
        guard !lines.isEmpty else { return }
        let text = lines.map { $0.rendered(color: color) }.joined(separator: "\n") + "\n"
        let handle = stream == .out ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }

    /// Writes a text of several lines (split on newlines), each escaped.
    package static func write(text: String, to stream: Stream = .out) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        write(lines, to: stream)
    }

    /// `evalgate: warning: ...` on stderr.
    package static func warning(_ message: String) { write(["evalgate: warning: \(message)"], to: .error) }

    /// `evalgate: error: ...` on stderr.
    package static func error(_ message: String) { write(["evalgate: error: \(message)"], to: .error) }
}
