import Foundation
import Testing

@testable import EvalGateCore

/// The sort-merge join on its own: long keys, repeats, one-byte keys.
struct IdJoinTests {
    func keyed(_ ids: [String]) throws -> KeyedRows {
        let table = try csvTable("id\n" + ids.joined(separator: "\n") + "\n")
        return KeyedRows(table, column: "id")
    }

    @Test func longIdsJoinByTheirWholeBytes() throws {
        let golden = (0..<500).map { "3f2c9a1e-0000-4000-8000-\(String(format: "%012d", $0))" }
        let predictions = try keyed(golden.reversed())
        let (rowOf, unknown) = predictions.match(try keyed(golden), goldenRows: golden.count)
        #expect(unknown.isEmpty)
        #expect(rowOf == (0..<500).map { 499 - $0 })
    }

    @Test func repeatsAreFoundForShortAndLongIds() throws {
        let ids = [
            "a", "b", "a", "a-very-long-identifier-1", "a-very-long-identifier-2", "a-very-long-identifier-1", "b",
        ]
        #expect(try keyed(ids).repeatedRows() == [2, 5, 6])
        #expect(try keyed(Array(repeating: "same", count: 5000)).repeatedRows().count == 4999)
    }

    /// Past a few million rows the matches are written in golden-row
    /// order; the join must not change.
    @Test func writingMatchesInGoldenRowOrderGivesTheSameJoin() throws {
        let golden = (0..<3000).map { "u\(String(format: "%07d", ($0 * 7919) % 10_000_000))" }
        var shuffled = Array(golden.enumerated().filter { $0.offset % 10 != 3 }.map(\.element).reversed())
        shuffled.append("not-in-golden")
        let predictions = try keyed(shuffled)
        let ids = try keyed(golden)
        let direct = predictions.match(ids, goldenRows: golden.count)
        let ordered = predictions.match(ids, goldenRows: golden.count, orderWritesAbove: 0)
        #expect(direct.rowOf == ordered.rowOf)
        #expect(direct.unknown == ordered.unknown && direct.unknown == [shuffled.count - 1])
        #expect(direct.rowOf.filter { $0 < 0 }.count == 300)
    }

    @Test func idsThatShareTheirFirstEightBytesStayApart() throws {
        let golden = try keyed(["prefix00-1", "prefix00-2", "prefix00"])
        let (rowOf, unknown) = try keyed(["prefix00", "prefix00-3", "prefix00-1"]).match(golden, goldenRows: 3)
        #expect(rowOf == [2, -1, 0])
        #expect(unknown == [1])
    }
}
