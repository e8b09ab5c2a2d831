/// A `where:` slice filter, SPEC.md section 3: comparisons between a column
/// and a number or quoted string, `in [..]`, `not in [..]`, `is missing`,
/// `is not missing`, `and`, `or`, `not` and parentheses. Precedence, from
/// loosest to tightest: `or`, `and`, `not`, comparison.
package indirect enum WhereExpression: Sendable, Equatable {
    case or(WhereExpression, WhereExpression)
    case and(WhereExpression, WhereExpression)
    case not(WhereExpression)
    case compare(column: String, op: CompareOp, value: Literal)
    case member(column: String, values: [Literal], negated: Bool)
    case missing(column: String, negated: Bool)

    package enum CompareOp: String, Sendable, CaseIterable {
        case eq = "=="
        case ne = "!="
        case lt = "<"
        case le = "<="
        case gt = ">"
        case ge = ">="
    }

    package enum Literal: Sendable, Equatable, CustomStringConvertible {
        case number(Double)
        case string(String)

        package var description: String {
            switch self {
            case .number(let value): formatNumber(value)
            case .string(let value): "\"\(value)\""
            }
        }
    }

    /// Every column the expression reads, in order of first use.
    package var columns: [String] {
        var seen: [String] = []
        func visit(_ e: WhereExpression) {
            switch e {
            case .or(let l, let r), .and(let l, let r):
                visit(l)
                visit(r)
            case .not(let inner): visit(inner)
            case .compare(let c, _, _), .member(let c, _, _), .missing(let c, _):
                if !seen.contains(c) { seen.append(c) }
            }
        }
        visit(self)
        return seen
    }

    /// Parses an expression; errors carry the 1-based character position.
    package static func parse(_ text: String) throws(WhereSyntaxError) -> WhereExpression {
        var parser = WhereParser(tokens: try WhereLexer.tokenize(text), length: text.count)
        let expression = try parser.parseOr()
        if let extra = parser.peek {
            throw WhereSyntaxError(
                position: extra.position, message: "unexpected \(extra.kind.display) after a complete expression")
        }
        return expression
    }
}

package struct WhereSyntaxError: Error, Equatable, Sendable {
    package var position: Int
    package var message: String
}

private enum TokenKind: Equatable {
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

private struct Token {
    var kind: TokenKind
    var position: Int
}

private enum WhereLexer {
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

private struct WhereParser {
    var tokens: [Token]
    var length: Int
    var index = 0

    var peek: Token? { index < tokens.count ? tokens[index] : nil }
    var endPosition: Int { length + 1 }

    mutating func next() -> Token? {
        defer { index += 1 }
        return peek
    }

    mutating func accept(_ kind: TokenKind) -> Bool {
        if peek?.kind == kind {
            index += 1
            return true
        }
        return false
    }

    func failure(_ expected: String) -> WhereSyntaxError {
        if let token = peek {
            return WhereSyntaxError(
                position: token.position, message: "expected \(expected), found \(token.kind.display)")
        }
        return WhereSyntaxError(position: endPosition, message: "expected \(expected), found the end of the expression")
    }

    mutating func parseOr() throws(WhereSyntaxError) -> WhereExpression {
        var left = try parseAnd()
        while accept(.or) { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(WhereSyntaxError) -> WhereExpression {
        var left = try parseNot()
        while accept(.and) { left = .and(left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws(WhereSyntaxError) -> WhereExpression {
        if accept(.not) { return .not(try parseNot()) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(WhereSyntaxError) -> WhereExpression {
        if accept(.lparen) {
            let inner = try parseOr()
            guard accept(.rparen) else { throw failure("')'") }
            return inner
        }
        guard case .identifier(let column)? = peek?.kind else { throw failure("a column name or '('") }
        index += 1
        if case .op(let op)? = peek?.kind {
            index += 1
            return .compare(column: column, op: op, value: try parseLiteral())
        }
        if accept(.in) { return .member(column: column, values: try parseList(), negated: false) }
        if accept(.not) {
            guard accept(.in) else { throw failure("'in' after 'not'") }
            return .member(column: column, values: try parseList(), negated: true)
        }
        if accept(.is) {
            let negated = accept(.not)
            guard accept(.missing) else { throw failure("'missing'") }
            return .missing(column: column, negated: negated)
        }
        throw failure("a comparison (== != < <= > >=), 'in', 'not in' or 'is missing' after column \(quote(column))")
    }

    mutating func parseLiteral() throws(WhereSyntaxError) -> WhereExpression.Literal {
        switch peek?.kind {
        case .number(let value)?:
            index += 1
            return .number(value)
        case .string(let value)?:
            index += 1
            return .string(value)
        case .identifier(let word)?:
            throw WhereSyntaxError(
                position: peek!.position,
                message: "expected a number or a quoted string, found \(word); quote text values, e.g. \"\(word)\"")
        default: throw failure("a number or a quoted string")
        }
    }

    mutating func parseList() throws(WhereSyntaxError) -> [WhereExpression.Literal] {
        guard accept(.lbracket) else { throw failure("'[' to start a list") }
        var values: [WhereExpression.Literal] = []
        if accept(.rbracket) { return values }
        repeat {
            let position = peek?.position ?? endPosition
            let value = try parseLiteral()
            if let first = values.first {
                switch (first, value) {
                case (.number, .string), (.string, .number):
                    throw WhereSyntaxError(
                        position: position, message: "a list mixes numbers and strings; use one kind")
                default: break
                }
            }
            values.append(value)
        } while accept(.comma)
        guard accept(.rbracket) else { throw failure("',' or ']'") }
        return values
    }
}
