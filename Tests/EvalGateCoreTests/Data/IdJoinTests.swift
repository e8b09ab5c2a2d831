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

    /// `unmix` undoes `mix`, so an entry of an id of at most 8 bytes holds the id.
    @Test func unmixUndoesMix() {
        var state: UInt64 = 0x1234_5678_9abc_def0
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            #expect(ByteHash.unmix(ByteHash.mix(state)) == state)
        }
        #expect(ByteHash.unmix(ByteHash.mix(0)) == 0 && ByteHash.unmix(ByteHash.mix(.max)) == .max)
    }

    /// A prediction file's ids of at most 8 bytes are freed once keyed;
    /// messages read them back from the entries, the same text as before.
    @Test func releasedIdsReadBackFromTheEntries() throws {
        let ids = ["u0000001", "7", "é-ü", "", "a b", "u0000002", "12345678"].filter { !$0.isEmpty }
        var keys = try keyed(ids)
        #expect(keys.holdsIds)
        let before = keys.texts(Array(0..<ids.count))
        keys.releaseText()
        #expect(keys.table.bytes.isEmpty && keys.table.cells.isEmpty)
        #expect(keys.texts(Array(0..<ids.count)) == ids && before == ids)
        #expect(keys.texts([4, 0, 4]) == ["u0000002", "u0000001", "u0000002"])
        #expect(keys.text(2) == "é-ü")
        // The join is unchanged without the text.
        let golden = try keyed(ids.reversed())
        #expect(keys.match(golden, goldenRows: ids.count).rowOf == (0..<Int32(ids.count)).reversed().map { $0 })
    }

    /// An id longer than 8 bytes keeps the table's text (the join compares it).
    @Test func longIdsKeepTheirText() throws {
        var keys = try keyed(["u0000001", "u000000002"])
        #expect(!keys.holdsIds)
        keys.releaseText()
        #expect(!keys.table.bytes.isEmpty)
        #expect(keys.texts([1, 0]) == ["u000000002", "u0000001"])
    }
}
