import Foundation

/// Text from a gate file or a data file may have been written by whoever
/// opened the pull request. Shown raw, a newline in a slice value starts a
/// new log line, and a line that begins with `::` is a GitHub Actions
/// workflow command (`::stop-commands::` silences every annotation after
/// it); an ESC byte drives the terminal. So every console and CI writer
/// shows such text through `escapingControls`: C0 and C1 controls, DEL and
/// the Unicode line and paragraph separators become visible escapes
/// (`\n`, `\t`, `\r`, `\u001b`, `\u2028`). Nothing else changes, so text
/// without them is returned as it is. report.json keeps the exact value.
package func escapingControls(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Whether a scalar is one that `escapingControls` rewrites.
package func isEscapedControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
    default: false
    }
}

/// Error messages quote at most this many characters of a file's content.
package let excerptLimit = 200

/// A piece of a file's content for an error message: at most
/// `excerptLimit` characters, cut with "…" and the full length.
package func excerpt(_ text: some StringProtocol) -> String {
    guard text.count > excerptLimit else { return String(text) }
    return "\(text.prefix(excerptLimit))… (\(text.count) characters)"
}

/// A value from a file, quoted for an error message: `'value'`, cut at
/// `excerptLimit` characters.
package func quote(_ value: some CustomStringConvertible) -> String { "'\(excerpt(value.description))'" }
