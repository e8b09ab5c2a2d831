package struct WhereSyntaxError: Error, Equatable, Sendable {
    package var position: Int
    package var message: String
}

struct WhereParser {
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
