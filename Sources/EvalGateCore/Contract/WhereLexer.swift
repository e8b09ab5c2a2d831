/// What the lexer of a `where:` expression yields.
enum TokenKind: Equatable {
    case identifier(String)
    case number(Double)
    case string(String)
    case op(WhereExpression.CompareOp)
    case and, or, not, `in`, `is`, missing
    case lparen, rparen, lbracket, rbracket, comma

    var display: String {
        switch self {
        case .identifier(let s): "column \(quote(s))"
        case .number(let n): "number \(formatNumber(n))"
        case .string(let s): "string \"\(s)\""
        case .op(let o): "\(quote(o.rawValue))"
        case .and: "'and'"
        case .or: "'or'"
        case .not: "'not'"
        case .in: "'in'"
        case .is: "'is'"
        case .missing: "'missing'"
        case .lparen: "'('"
        case .rparen: "')'"
        case .lbracket: "'['"
        case .rbracket: "']'"
        case .comma: "','"
        }
    }
}

/// A token and where it starts in the expression (for error positions).
struct Token {
    var kind: TokenKind
    var position: Int
}

/// Splits a `where:` expression into tokens; positions are 1-based
/// character offsets, for error messages.
struct WhereLexer {
    private let chars: [Character]
    private var i = 0
    private var tokens: [Token] = []

    static func tokenize(_ text: String) throws(WhereSyntaxError) -> [Token] {
        var lexer = WhereLexer(chars: Array(text))
        while lexer.i < lexer.chars.count { try lexer.next() }
        return lexer.tokens
    }

    private init(chars: [Character]) { self.chars = chars }

    private func peek(_ offset: Int = 1) -> Character? { i + offset < chars.count ? chars[i + offset] : nil }

    private mutating func emit(_ kind: TokenKind, length: Int) {
        tokens.append(Token(kind: kind, position: i + 1))
        i += length
    }

    private mutating func next() throws(WhereSyntaxError) {
        let c = chars[i]
        switch c {
        case _ where c.isWhitespace: i += 1
        case "(": emit(.lparen, length: 1)
        case ")": emit(.rparen, length: 1)
        case "[": emit(.lbracket, length: 1)
        case "]": emit(.rbracket, length: 1)
        case ",": emit(.comma, length: 1)
        case "=", "!", "<", ">": try comparison(c)
        case "\"", "'": try quoted(c)
        case "`": try backticked()
        case _ where startsNumber(c): try number()
        case _ where c.isLetter || c == "_": word()
        default: throw WhereSyntaxError(position: i + 1, message: "unexpected character \(quote(c))")
        }
    }

    private mutating func comparison(_ c: Character) throws(WhereSyntaxError) {
        let two = peek() == "=" ? String([c, "="]) : String(c)
        guard let op = WhereExpression.CompareOp(rawValue: two) else {
            throw WhereSyntaxError(
                position: i + 1, message: c == "=" ? "use '==' to compare, not '='" : "unknown operator \(quote(two))")
        }
        emit(.op(op), length: two.count)
    }

    /// A string in single or double quotes; a backslash escapes the next character.
    private mutating func quoted(_ quote: Character) throws(WhereSyntaxError) {
        var value = ""
        var j = i + 1
        while j < chars.count, chars[j] != quote {
            if chars[j] == "\\", j + 1 < chars.count { j += 1 }
            value.append(chars[j])
            j += 1
        }
        guard j < chars.count else {
            throw WhereSyntaxError(position: i + 1, message: "string starting here is never closed")
        }
        emit(.string(value), length: j + 1 - i)
    }

    private mutating func backticked() throws(WhereSyntaxError) {
        guard let end = chars[(i + 1)...].firstIndex(of: "`") else {
            throw WhereSyntaxError(position: i + 1, message: "column name in backticks is never closed")
        }
        emit(.identifier(String(chars[(i + 1)..<end])), length: end + 1 - i)
    }

    private func startsNumber(_ c: Character) -> Bool {
        c.isNumber || ((c == "-" || c == "+" || c == ".") && (peek().map { $0.isNumber || $0 == "." } ?? false))
    }

    private mutating func number() throws(WhereSyntaxError) {
        var j = i + 1
        while j < chars.count,
            chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "E"
                || ((chars[j] == "-" || chars[j] == "+") && (chars[j - 1] == "e" || chars[j - 1] == "E"))
        {
            j += 1
        }
        let literal = String(chars[i..<j])
        guard let value = Double(literal), value.isFinite else {
            throw WhereSyntaxError(position: i + 1, message: "\(quote(literal)) is not a number")
        }
        emit(.number(value), length: j - i)
    }

    /// A keyword or a column name (letters, digits, `_` and `.`).
    private mutating func word() {
        var j = i + 1
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." {
            j += 1
        }
        let word = String(chars[i..<j])
        let kind: TokenKind =
            switch word {
            case "and": .and
            case "or": .or
            case "not": .not
            case "in": .in
            case "is": .is
            case "missing": .missing
            default: .identifier(word)
            }
        emit(kind, length: j - i)
    }
}
