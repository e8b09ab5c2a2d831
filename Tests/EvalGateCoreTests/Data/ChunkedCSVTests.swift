import Foundation
import Testing

@testable import EvalGateCore

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
