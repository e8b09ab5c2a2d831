import Foundation
import Testing

@testable import EvalGateCore

struct CSVReaderTests {
    @Test func quotedFieldsEscapedQuotesAndNewlinesInsideQuotes() throws {
        let table = try csvTable("id,note,x\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n")
        #expect(table.rowCount == 3)
        #expect(table.text("note", row: 0) == "a, b")
        #expect(table.text("note", row: 1) == "say \"hi\"")
        #expect(table.text("note", row: 2) == "two\nlines")
        #expect(table.lines == [2, 3, 4])
        #expect(table.numbers("x").values == [2, 3, 4])
    }

    @Test func crlfBomAndMissingValues() throws {
        let table = try csvTable("\u{FEFF}id,v\r\n1,NA\r\n2,\r\n3,\"\"\r\n4,7.5\r\n")
        #expect(table.header == ["id", "v"])
        let numbers = table.numbers("v")
        #expect(numbers.missingCount == 3)
        #expect(numbers.values[3] == 7.5)
        #expect(numbers.firstInvalid == nil)
    }

    @Test func tabSeparatedFiles() throws {
        let table = try csvTable("id\tlabel\n1\tcat dog\n", delimiter: "\t")
        #expect(table.text("label", row: 0) == "cat dog")
    }

    @Test func noTrailingNewlineAndBlankLinesAreFine() throws {
        let table = try csvTable("id,v\n\n1,2\n\n2,3")
        #expect(table.rowCount == 2)
        #expect(table.lines == [3, 5])
    }

    @Test func wrongFieldCountNamesTheLine() {
        #expect(
            throws: EvalGateError.data(
                file: "data.csv",
                message: "line 3 has 3 fields but the header has 2; check the delimiter and quoting on that line")
        ) {
            try csvTable("id,v\n1,2\n2,3,4\n")
        }
    }

    @Test func unclosedQuoteNamesTheLine() {
        #expect(
            throws: EvalGateError.data(
                file: "data.csv", message: "line 2: a quoted field is never closed; add the closing '\"'")
        ) {
            try csvTable("id,v\n1,\"oops\n2,3\n")
        }
    }

    @Test func textAfterAClosingQuoteIsRejected() {
        #expect(throws: EvalGateError.self) { try csvTable("id,v\n1,\"a\"b\n") }
    }

    @Test func missingColumnSuggestsTheNearestName() {
        #expect(
            throws: EvalGateError.data(
                file: "p.csv", message: "column 'scroe' not found. Did you mean 'score'? The file has: id, score")
        ) {
            try CSVReader.read(
                file: "p.csv", bytes: Array("id,score\n1,0.5\n".utf8), delimiter: 44, columns: ["id", "scroe"])
        }
    }

    @Test func emptyFileNeedsAHeader() {
        #expect(
            throws: EvalGateError.data(
                file: "data.csv", message: "the file is empty; it needs a header row naming its columns")
        ) {
            try csvTable("")
        }
    }

    @Test func numbersRejectInfinityNaNAndText() throws {
        let table = try csvTable("id,v\n1,1e3\n2,-0.25\n3,inf\n")
        let numbers = table.numbers("v")
        #expect(numbers.values[0] == 1000)
        #expect(numbers.values[1] == -0.25)
        #expect(numbers.firstInvalid == 2)
        #expect(try csvTable("id,v\n1,nan\n").numbers("v").firstInvalid == 0)
        #expect(try csvTable("id,v\n1,0x10\n").numbers("v").firstInvalid == 0)
        #expect(try csvTable("id,v\n1,12345678901234567890\n").numbers("v").values == [12_345_678_901_234_567_890])
    }

    @Test func jsonLinesWithNullsBooleansAndNumbers() throws {
        let text =
            "{\"id\": \"a\", \"y\": true, \"s\": 0.25}\n\n{\"id\": \"b\", \"y\": false, \"s\": null}\n{\"id\": 3, \"y\": 1, \"s\": 1.0}\n"
        let table = try JSONLinesReader.read(file: "p.jsonl", bytes: Array(text.utf8), columns: ["id", "y", "s"])
        #expect(table.rowCount == 3)
        #expect(table.lines == [1, 3, 4])
        #expect(table.text("id", row: 2) == "3")
        #expect(table.text("y", row: 0) == "true")
        #expect(table.text("s", row: 1) == nil)
        #expect(table.text("s", row: 2) == "1")
    }

    @Test func jsonLinesSyntaxErrorsNameTheLine() throws {
        let error = try #require(throws: EvalGateError.self) {
            try JSONLinesReader.read(file: "p.jsonl", bytes: Array("{\"id\": 1}\n{\"id\": \n".utf8), columns: ["id"])
        }
        #expect(error.description.hasPrefix("p.jsonl: line 2 is not a JSON object"))
    }

    @Test func gzipRoundTrip() throws {
        // "id,v\n1,2\n" compressed with gzip -n.
        let gz: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x4c, 0xd1, 0x29, 0xe3, 0x32,
            0xd4, 0x31, 0xe2, 0x02, 0x00, 0xaa, 0xb5, 0xdb, 0xa9, 0x09, 0x00, 0x00, 0x00,
        ]
        #expect(try Gzip.inflate(gz) == Array("id,v\n1,2\n".utf8))
        #expect(throws: Gzip.Failure.self) { try Gzip.inflate(Array(gz.prefix(15))) }
    }
}

/// Quote-free bodies are parsed in chunks; the table must not depend on it.
struct ChunkedCSVTests {
    static func read(_ text: String, jobs: Int, chunkBytes: Int) throws -> Table {
        try CSVReader.read(
            file: "c.csv", bytes: Array(text.utf8), delimiter: 44, columns: ["id", "v"], jobs: jobs,
            chunkBytes: chunkBytes)
    }

    @Test(arguments: [
        "id,v\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n8,h\n",
        "id,v\r\n1,a\r\n\r\n2,\r\n\n\n3,NA\r\n4,d\r\n5,e",
        "\u{FEFF}id,x,v\n\n1,0,a\n2,0,b\n\n\n\n3,0,c\n4,0,d\n5,0,\n",
        "id,v\n1,\"quoted, so one chunk\"\n2,b\n3,c\n",
    ])
    func chunkingGivesTheSameTable(text: String) throws {
        let whole = try Self.read(text, jobs: 1, chunkBytes: 1 << 30)
        for jobs in [2, 3, 8] {
            let chunked = try Self.read(text, jobs: jobs, chunkBytes: 4)
            #expect(chunked.rowCount == whole.rowCount)
            #expect(chunked.lines == whole.lines)
            for row in 0..<whole.rowCount {
                #expect(chunked.text("id", row: row) == whole.text("id", row: row))
                #expect(chunked.text("v", row: row) == whole.text("v", row: row))
            }
        }
    }

    /// Typed while parsing, in chunks or not, a column holds what typing
    /// its text afterwards gives: the same numbers, missing and first
    /// invalid cell (with its text), and the same category codes in order
    /// of first appearance.
    @Test(arguments: [
        "id,v,c\n1,0.5,b\n2,,a\n3,NA,b\n4,x1,\n5,2e3,c\n6,-0.25,a\n7,oops,d\n8,1,b\n",
        "id,v,c\r\n1,1,z\r\n\r\n2,2,y\r\n\n\n3,3,x\r\n4,4,z\r\n5,inf,y",
        "id,v,c\n1,\"1.5\",\"q,1\"\n2,3,\"q,1\"\n3,,r\n",
    ])
    func typingWhileParsingMatchesTypingTheText(text: String) throws {
        let untyped = try CSVReader.read(
            file: "c.csv", bytes: Array(text.utf8), delimiter: 44, columns: ["id", "v", "c"])
        for (jobs, chunkBytes) in [(1, 1 << 30), (2, 4), (3, 8), (8, 4)] {
            let typed = try CSVReader.read(
                file: "c.csv", bytes: Array(text.utf8), delimiter: 44, columns: ["id", "v", "c"],
                kinds: [.text, .number, .category],
                jobs: jobs, chunkBytes: chunkBytes)
            #expect(typed.cells["v"] == nil && typed.cells["c"] == nil)
            let (a, b) = (typed.numbers("v"), untyped.numbers("v"))
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
            #expect(a.missingCount == b.missingCount && a.firstMissing == b.firstMissing)
            #expect(a.firstInvalid == b.firstInvalid && a.firstInvalidText == b.firstInvalidText)
            #expect(typed.categories("c").codes == untyped.categories("c").codes)
            #expect(typed.categories("c").values == untyped.categories("c").values)
            for row in 0..<typed.rowCount { #expect(typed.text("c", row: row) == untyped.text("c", row: row)) }
            if let invalid = b.firstInvalid {
                #expect(typed.text("v", row: invalid) == untyped.text("v", row: invalid))
            }
        }
    }

    @Test func theFirstErrorInFileOrderIsReported() {
        let text = "id,v\n1,a\n2,b\n3\n4,d\n5,e,f\n6,g\n"
        for jobs in [1, 4] {
            #expect(
                throws: EvalGateError.data(
                    file: "c.csv",
                    message: "line 4 has 1 fields but the header has 2; check the delimiter and quoting on that line")
            ) {
                try Self.read(text, jobs: jobs, chunkBytes: 4)
            }
        }
    }

    @Test func chunksAreCutAtLineEnds() throws {
        let text = "id,v\n" + (0..<100).map { "\($0),x" }.joined(separator: "\n") + "\n"
        let chunks = Array(text.utf8).withUnsafeBufferPointer {
            CSVReader.plan(body: 5..<$0.count, in: $0, jobs: 4, chunkBytes: 16)
        }
        #expect(chunks.count == 4)
        #expect(chunks.map(\.newlines).reduce(0, +) == 100)
        for chunk in chunks.dropFirst() { #expect(Array(text.utf8)[chunk.range.lowerBound - 1] == 0x0A) }
    }
}

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
