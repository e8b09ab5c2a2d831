import Testing

@testable import EvalGateCore

/// The error type is data; these are the sentences it renders and the exit
/// codes its kinds decide.
struct EvalGateErrorTests {
    @Test func aGateFileErrorNamesFileLineColumnAndKey() {
        let error = EvalGateError(
            .gateFile, at: .init(file: "gates/fraud.yaml", line: 12, column: 7, keyPath: "checks[1].max_drop"),
            "'max_drop' must be 0 or more, got -1", fix: "give the largest drop allowed")
        #expect(
            error.description
                == "gates/fraud.yaml:12:7: checks[1].max_drop: 'max_drop' must be 0 or more, got -1; "
                + "give the largest drop allowed")
        #expect(error.exitCode == 2)
        #expect(error.kind.rawValue == "contract")
    }

    @Test func aDataErrorNamesTheLineAndTheRowsId() {
        let error = EvalGateError(
            .data, at: .init(file: "preds.csv", line: 5, rowId: "a17"), "column 'score': 'x' is not valid: a number")
        #expect(error.description == "preds.csv: line 5 (id 'a17'), column 'score': 'x' is not valid: a number")
        #expect(error.exitCode == 3)
        let database = EvalGateError(.data, at: .init(file: "golden.db", row: 3), "a BLOB is not a value")
        #expect(database.description == "golden.db: row 3: a BLOB is not a value")
        let quoted = EvalGateError(
            .data, at: .init(file: "g.csv", line: 9, byteOffset: 120), "a quoted field is never closed",
            fix: "add the closing '\"'")
        #expect(
            quoted.description == "g.csv: line 9, byte offset 120: a quoted field is never closed; add the closing '\"'"
        )
    }

    @Test func everyKindHasItsExitCode() {
        #expect(EvalGateError(.commandLine, "--jobs must be 1 or more").exitCode == 2)
        #expect(EvalGateError(.output, "cannot write the report out/report.json").exitCode == 2)
        #expect(EvalGateError(.data, at: .init(file: "g.csv"), "the file is empty").exitCode == 3)
        #expect(EvalGateError(.commandLine, "--jobs must be 1 or more").description == "--jobs must be 1 or more")
    }
}
