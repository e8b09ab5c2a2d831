/// The one escaper of XML and HTML text (junit.xml, report.html). A
/// control character (most are allowed in neither, even as a reference)
/// shows as `escapingControls` writes it (`\n`, `\u001b`), as on the
/// console; U+FFFE and U+FFFF, which XML forbids, are dropped.
enum Markup {
    enum Quotes {
        /// Text content: quotes stay as they are.
        case none
        /// An XML attribute in double quotes.
        case double
        /// HTML, where a value may sit in either kind of quotes.
        case both
    }

    static func escape(_ text: String, quotes: Quotes) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in escapingControls(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes != .none: out += "&quot;"
            case "'" where quotes == .both: out += "&#39;"
            case _ where scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
