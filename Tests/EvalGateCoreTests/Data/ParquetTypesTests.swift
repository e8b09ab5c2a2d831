import Foundation
import Testing

@testable import EvalGateCore

/// Every logical type a gate may read, in files pyarrow wrote
/// (scripts/harness/make-parquet.py, `types`; `.ci/run` sets
/// EVALGATE_TEST_PARQUET): the text each value reads as, written here as
/// literals from the Python values the script writes, and the same values
/// read as numbers and as category codes.
struct ParquetTypesTests {
    static let folder = ParquetFiles.folder

    /// Column -> its three rows as text (nil: null), from the values in make-parquet.py.
    static let expected: [(String, [String?])] = [
        ("id", ["a", "b", "c"]),
        ("label", ["true", "false", "true"]),
        ("u8", ["255", "0", nil]),
        ("u16", ["65535", "1", nil]),
        ("u32", ["4294967295", "2", nil]),
        ("u64", ["18446744073709551615", "3", nil]),
        ("i8", ["-128", "127", nil]),
        ("i16", ["-32768", "32767", nil]),
        ("day", ["2024-03-01", "1970-01-01", nil]),
        ("t_ms", ["13:45:07.25", "00:00:00", nil]),
        ("t_us", ["13:45:07.123456", "23:59:59", nil]),
        ("ts_ms", ["2024-03-01T12:34:56.789Z", nil, "1969-12-31T23:59:59.999Z"]),
        ("ts_us", ["2024-03-01T12:34:56.789Z", nil, "1969-12-31T23:59:59.999999Z"]),
        ("ts_ns", ["2024-03-01T12:34:56.789Z", nil, "1969-12-31T23:59:59.999999Z"]),
        ("ts_utc", ["2024-03-01T12:34:56.789Z", nil, "1969-12-31T23:59:59.999999Z"]),
        ("price", ["12.34", "-0.05", nil]),
        // float32 0.1 widened to float64, as pandas shows it.
        ("f32", ["0.10000000149011612", "-2.5", nil]),
        ("color", ["red", nil, "blue"]),
        ("big", ["x", "y", nil]),
        ("score", ["0.9", "0.2", "0.7"]),
    ]

    static func read(_ name: String, columns: [String], kinds: [ColumnKind]? = nil) throws -> Table {
        let path = "\(try #require(folder))/types/\(name)"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try ParquetReader.read(file: name, bytes: bytes, columns: columns, kinds: kinds)
    }

    @Test func everyLogicalTypeReadsAsItsText() throws {
        guard Self.folder != nil else { return }
        let table = try Self.read("types.parquet", columns: Self.expected.map(\.0))
        #expect(table.rowCount == 3)
        for (column, values) in Self.expected {
            #expect((0..<3).map { table.text(column, row: $0) } == values, "\(column)")
        }
    }

    @Test func int96TimestampsReadAsISO8601() throws {
        guard Self.folder != nil else { return }
        let table = try Self.read("int96.parquet", columns: ["ts_ns"])
        #expect(
            (0..<3).map { table.text("ts_ns", row: $0) } == [
                "2024-03-01T12:34:56.789Z", nil, "1969-12-31T23:59:59.999999Z",
            ])
    }

    /// Typed while decoding, a column gives what its text parses to.
    @Test func numbersAndCategoriesAgreeWithTheText() throws {
        guard Self.folder != nil else { return }
        let names = Self.expected.map(\.0)
        let numbers = try Self.read("types.parquet", columns: names, kinds: names.map { _ in .number })
        let categories = try Self.read("types.parquet", columns: names, kinds: names.map { _ in .category })
        for (column, values) in Self.expected {
            let typed = numbers.numbers(column)
            let codes = categories.categories(column)
            for (row, text) in values.enumerated() {
                let code = Int(codes.codes[row])
                #expect((code < 0 ? nil : codes.values[code]) == text, "\(column)")
                let parsed = text.flatMap { Double($0) }
                if let parsed, parsed.isFinite {
                    #expect(typed.values[row] == parsed, "\(column) row \(row)")
                } else {
                    #expect(typed.values[row].isNaN, "\(column) row \(row)")
                }
            }
            #expect(typed.missingCount == values.filter { $0 == nil }.count, "\(column)")
            let invalid = values.firstIndex { $0 != nil && Double($0!) == nil }
            #expect(typed.firstInvalid == invalid, "\(column)")
        }
    }

    /// Partition folders: values URL-decoded (pyarrow writes `a%2Fb`,
    /// `%C3%A9%3D1`), `__HIVE_DEFAULT_PARTITION__` missing, parts in byte
    /// order of their paths (`%` < `_` < `a` < `x`), so rows d, c, b, a.
    @Test func hivePartitionsAreDecodedColumns() throws {
        guard let folder = Self.folder else { return }
        let path = "\(folder)/types/hive"
        let file = InputFile(displayPath: "hive", resolvedPath: path)
        let (table, sha) = try file.loadHashed(
            columns: ["id", "v", "part"], kinds: [.text, .number, .category], jobs: 2, profile: "test")
        #expect((0..<4).map { table.text("id", row: $0) } == ["d", "c", "b", "a"])
        #expect(table.numbers("v").values == [4.5, 3.5, 2.5, 1.5])
        #expect((0..<4).map { table.text("part", row: $0) } == ["é=1", nil, "a/b", "x y"])
        #expect(table.header == ["id", "v", "part"])
        #expect(sha.count == 64)
        let everything = try file.loadEveryColumn()
        #expect((0..<4).map { everything.text("part", row: $0) } == ["é=1", nil, "a/b", "x y"])
    }
}

/// Where `.ci/run` put the files make-parquet.py wrote.
enum ParquetFiles {
    static let folder: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["EVALGATE_TEST_PARQUET"], !folder.isEmpty { return folder }
        return nil
    }()
}
