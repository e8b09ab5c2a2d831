/// A small streaming XML writer: every attribute value and text node goes
/// through `escape`, so no caller can emit unescaped content. Characters
/// that XML 1.0 forbids (controls other than TAB, LF, CR; U+FFFE, U+FFFF)
/// are dropped.
struct XMLWriter {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []
    private var indentUnit = "  "

    private var indent: String { String(repeating: indentUnit, count: open.count) }

    /// `<name a="1">` on its own line; close it with `end()`.
    mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        output += "\(indent)<\(name)\(Self.render(attributes))>\n"
        open.append(name)
    }

    mutating func end() {
        let name = open.removeLast()
        output += "\(indent)</\(name)>\n"
    }

    /// `<name a="1"/>`, or `<name a="1">text</name>` when text is given.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        if let text {
            output += "\(indent)<\(name)\(Self.render(attributes))>\(Self.escape(text, attribute: false))</\(name)>\n"
        } else {
            output += "\(indent)<\(name)\(Self.render(attributes))/>\n"
        }
    }

    private static func render(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1, attribute: true))\"" }.joined()
    }

    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            // Attribute values normalise whitespace unless it is escaped.
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
