import Foundation
import Testing

@testable import EvalGateCore

/// Inputs the fuzzer (scripts/harness/fuzz.sh) found, kept as regression tests; the
/// raw reproducers are in Fuzz/regressions/ and are replayed by the script.
struct CSVFuzzRegressionTests {
    /// Found by libFuzzer: records ended by a lone carriage return made more
    /// rows than the line feeds the parallel planner counted, and the reader
    /// wrote past the end of its row arrays (a trap in debug builds, memory
    /// corruption in release). A lone CR is now a data error.
    @Test func loneCarriageReturnsAreRefusedNotOverrun() throws {
        let reproducer = try #require(
            FileManager.default.contents(atPath: "\(repoRoot)/Fuzz/regressions/csv/lone-carriage-returns"))
        for jobs in [1, 2] {
            #expect {
                _ = try CSVReader.read(
                    file: "f.csv", bytes: Array(reproducer.dropFirst()), delimiter: 9, columns: ["ideB/oable1"],
                    jobs: jobs, chunkBytes: 8)
            } throws: { error in
                (error as? EvalGateError)?.description.contains(
                    "a carriage return (\\r) ends a record without a line feed") == true
            }
        }
        #expect(throws: EvalGateError.self) { try csvTable("id,v\r1,2\r3,4\n") }
    }

    @Test func crlfAndAFinalCarriageReturnStillRead() throws {
        let table = try csvTable("id,v\r\n1,2\r\n\r\n3,4\r")
        #expect(table.rowCount == 2)
        #expect(table.text("v", row: 1) == "4")
        #expect(table.lines == [2, 4])
    }
}
