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
        // 12345678901234567168 is the double nearest 12345678901234567890.
        #expect(try csvTable("id,v\n1,12345678901234567890\n").numbers("v").values == [12_345_678_901_234_567_168])
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
