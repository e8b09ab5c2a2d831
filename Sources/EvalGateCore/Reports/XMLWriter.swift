/// A small streaming XML writer: every attribute value and text node goes
/// through `escape`, so no caller can emit unescaped content. Control
/// characters show as `escapingControls` writes them (`\n`, `\u001b`), as on
/// the console, so a CI page shows one line per value; U+FFFE and U+FFFF,
/// which XML 1.0 forbids, are dropped. A text of several lines is given as
/// `lines`, each escaped.
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
        element(name, attributes, lines: text.map { [$0] })
    }

    /// `<name a="1">line 1&#10;line 2</name>`: lines joined by newlines.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], lines: [String]?) {
        if let lines {
            let text = lines.map { Self.escape($0, attribute: false) }.joined(separator: "\n")
            output += "\(indent)<\(name)\(Self.render(attributes))>\(text)</\(name)>\n"
        } else {
            output += "\(indent)<\(name)\(Self.render(attributes))/>\n"
        }
    }

    private static func render(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1, attribute: true))\"" }.joined()
    }

    static func escape(_ text: String, attribute: Bool) -> String {
        Markup.escape(text, quotes: attribute ? .double : .none)
    }
}
