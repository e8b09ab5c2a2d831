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
