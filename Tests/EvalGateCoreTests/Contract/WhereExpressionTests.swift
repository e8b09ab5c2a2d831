import Testing

@testable import EvalGateCore

struct WhereExpressionTests {
    @Test func precedenceIsNotThenAndThenOr() throws {
        let e = try WhereExpression.parse("a == 1 or not b == 2 and c < 3")
        #expect(
            e
                == .or(
                    .compare(column: "a", op: .eq, value: .number(1)),
                    .and(
                        .not(.compare(column: "b", op: .eq, value: .number(2))),
                        .compare(column: "c", op: .lt, value: .number(3)))))
    }

    @Test func parenthesesListsAndMissing() throws {
        let e = try WhereExpression.parse(
            "(region in [\"eu\", 'na'] or x not in [1, 2.5]) and y is not missing and z is missing")
        #expect(e.columns == ["region", "x", "y", "z"])
        guard
            case .and(
                .and(.or(.member(_, let strings, false), .member(_, let numbers, true)), .missing(_, true)),
                .missing(_, false)) = e
        else {
            Issue.record("unexpected tree \(e)")
            return
        }
        #expect(strings == [.string("eu"), .string("na")])
        #expect(numbers == [.number(1), .number(2.5)])
    }

    @Test func everyComparisonOperatorParses() throws {
        for op in WhereExpression.CompareOp.allCases {
            #expect(
                try WhereExpression.parse("amount \(op.rawValue) -1.5e3")
                    == .compare(column: "amount", op: op, value: .number(-1500)))
        }
    }

    @Test(arguments: [
        ("amount >= ", 11, "expected a number or a quoted string, found the end of the expression"),
        ("amount = 5", 8, "use '==' to compare, not '='"),
        ("(a == 1", 8, "expected ')', found the end of the expression"),
        ("a == \"open", 6, "string starting here is never closed"),
        ("a == 1 b == 2", 8, "unexpected column 'b' after a complete expression"),
        ("a == atm", 6, "expected a number or a quoted string, found atm; quote text values, e.g. \"atm\""),
        ("a in [1, \"x\"]", 10, "a list mixes numbers and strings; use one kind"),
        ("a is present", 6, "expected 'missing', found column 'present'"),
        ("a # 1", 3, "unexpected character '#'"),
    ])
    func syntaxErrorsHavePositions(text: String, position: Int, message: String) {
        #expect(throws: WhereSyntaxError(position: position, message: message)) { try WhereExpression.parse(text) }
    }

    @Test func evaluationTreatsMissingAsFalseForComparisons() throws {
        let table = try csvTable("id,amount,channel\n1,20000,web\n2,,pos\n3,50,NA\n4,10000,atm\n")
        let slicer = Slicer(table: table)
        func rows(_ text: String) throws -> [Bool] { try slicer.evaluate(WhereExpression.parse(text), slice: "s") }
        #expect(try rows("amount >= 10000 and channel != \"atm\"") == [true, false, false, false])
        #expect(try rows("channel != \"atm\"") == [true, true, false, false])
        #expect(try rows("not channel == \"atm\"") == [true, true, true, false])
        #expect(try rows("amount is missing or channel is missing") == [false, true, true, false])
        #expect(try rows("amount in [50, 10000]") == [false, false, true, true])
        #expect(try rows("amount not in [50]") == [true, false, false, true])
        #expect(try rows("channel in [\"web\", \"pos\"]") == [true, true, false, false])
        #expect(try rows("channel < \"q\"") == [false, true, false, true])
    }

    @Test func comparingTextWithANumberIsADataError() throws {
        let table = try csvTable("id,amount\n1,12\n2,lots\n")
        let slicer = Slicer(table: table)
        #expect(
            throws: EvalGateError.data(
                file: "data.csv",
                message:
                    "line 3, column 'amount': 'lots' is not a number, but the where expression of slice 'big' compares it with 10; fix the value or compare with a quoted string"
            )
        ) {
            try slicer.evaluate(WhereExpression.parse("amount > 10"), slice: "big")
        }
    }
}
