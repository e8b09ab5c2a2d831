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

/// Splits a `where:` expression into tokens.
enum WhereLexer {
    static func tokenize(_ text: String) throws(WhereSyntaxError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let position = i + 1
            if c.isWhitespace {
                i += 1
                continue
            }
            switch c {
            case "(":
                tokens.append(Token(kind: .lparen, position: position))
                i += 1
            case ")":
                tokens.append(Token(kind: .rparen, position: position))
                i += 1
            case "[":
                tokens.append(Token(kind: .lbracket, position: position))
                i += 1
            case "]":
                tokens.append(Token(kind: .rbracket, position: position))
                i += 1
            case ",":
                tokens.append(Token(kind: .comma, position: position))
                i += 1
            case "=", "!", "<", ">":
                let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
                let two = next == "=" ? String([c, "="]) : String(c)
                guard let op = WhereExpression.CompareOp(rawValue: two) else {
                    throw WhereSyntaxError(
                        position: position,
                        message: c == "=" ? "use '==' to compare, not '='" : "unknown operator \(quote(two))")
                }
                tokens.append(Token(kind: .op(op), position: position))
                i += two.count
            case "\"", "'":
                var value = ""
                var j = i + 1
                var closed = false
                while j < chars.count {
                    if chars[j] == "\\", j + 1 < chars.count {
                        value.append(chars[j + 1])
                        j += 2
                        continue
                    }
                    if chars[j] == c {
                        closed = true
                        break
                    }
                    value.append(chars[j])
                    j += 1
                }
                guard closed else {
                    throw WhereSyntaxError(position: position, message: "string starting here is never closed")
                }
                tokens.append(Token(kind: .string(value), position: position))
                i = j + 1
            case "`":
                guard let end = chars[(i + 1)...].firstIndex(of: "`") else {
                    throw WhereSyntaxError(position: position, message: "column name in backticks is never closed")
                }
                tokens.append(Token(kind: .identifier(String(chars[(i + 1)..<end])), position: position))
                i = end + 1
            default:
                if c.isNumber
                    || ((c == "-" || c == "+" || c == ".") && i + 1 < chars.count
                        && (chars[i + 1].isNumber || chars[i + 1] == "."))
                {
                    var j = i + 1
                    while j < chars.count,
                        chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "E"
                            || ((chars[j] == "-" || chars[j] == "+") && (chars[j - 1] == "e" || chars[j - 1] == "E"))
                    {
                        j += 1
                    }
                    let literal = String(chars[i..<j])
                    guard let value = Double(literal), value.isFinite else {
                        throw WhereSyntaxError(position: position, message: "\(quote(literal)) is not a number")
                    }
                    tokens.append(Token(kind: .number(value), position: position))
                    i = j
                } else if c.isLetter || c == "_" {
                    var j = i + 1
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "."
                    {
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
                    tokens.append(Token(kind: kind, position: position))
                    i = j
                } else {
                    throw WhereSyntaxError(position: position, message: "unexpected character \(quote(c))")
                }
            }
        }
        return tokens
    }
}
