import EvalGateCore
import Foundation

enum FuzzTargets {
    static func csv(_ input: [UInt8]) {
        // The first byte picks the delimiter, so one corpus covers CSV and TSV.
        let delimiter: UInt8 =
            input.first.map { $0 & 1 == 0 ? UInt8(ascii: ",") : UInt8(ascii: "\t") } ?? UInt8(ascii: ",")
        let bytes = Array(input.dropFirst())
        numbersAreStrtod(bytes)
        guard let probe = try? CSVReader.read(file: "fuzz.csv", bytes: bytes, delimiter: delimiter, columns: []) else {
            return
        }
        var columns: [String] = []
        for name in probe.header where !columns.contains(name) { columns.append(name) }
        let serial: Table
        do {
            serial = try CSVReader.read(file: "fuzz.csv", bytes: bytes, delimiter: delimiter, columns: columns)
        } catch {
            _ = error.description
            return
        }
        // Tiny chunks on two workers: every cut the parallel path can make.
        guard
            let chunked = try? CSVReader.read(
                file: "fuzz.csv", bytes: bytes, delimiter: delimiter, columns: columns, jobs: 2, chunkBytes: 8)
        else {
            fatalError("the chunked read failed where the serial one succeeded")
        }
        guard chunked.rowCount == serial.rowCount, chunked.lines == serial.lines else {
            fatalError("the chunked read has other rows than the serial one")
        }
        for column in columns {
            for row in 0..<serial.rowCount where serial.text(column, row: row) != chunked.text(column, row: row) {
                fatalError("row \(row), column \(column) differs between the chunked and the serial read")
            }
            exercise(serial, column)
        }
        // Typed while parsing (columns alternately numbers and categories),
        // in tiny chunks: the same values as typing the serial read's text.
        let kinds: [ColumnKind] = columns.indices.map { $0 % 2 == 0 ? .number : .category }
        guard
            let typed = try? CSVReader.read(
                file: "fuzz.csv", bytes: bytes, delimiter: delimiter, columns: columns, kinds: kinds, jobs: 2,
                chunkBytes: 8)
        else {
            fatalError("the typed read failed where the text read succeeded")
        }
        for (column, kind) in zip(columns, kinds) {
            if kind == .number {
                let (a, b) = (typed.numbers(column), serial.numbers(column))
                guard a.values.map(\.bitPattern) == b.values.map(\.bitPattern), a.firstInvalid == b.firstInvalid,
                    a.firstInvalidText == b.firstInvalidText, a.firstMissing == b.firstMissing,
                    a.missingCount == b.missingCount
                else { fatalError("column \(column) typed as numbers while parsing differs from its text") }
            } else {
                let (a, b) = (typed.categories(column), serial.categories(column))
                guard a.codes == b.codes, a.values == b.values else {
                    fatalError("column \(column) typed as categories while parsing differs from its text")
                }
            }
        }
    }

    static func jsonLines(_ bytes: [UInt8]) {
        guard let probe = try? JSONLinesReader.read(file: "fuzz.jsonl", bytes: bytes, columns: []) else { return }
        guard let table = try? JSONLinesReader.read(file: "fuzz.jsonl", bytes: bytes, columns: probe.header) else {
            fatalError("reading the columns the file has failed")
        }
        for column in probe.header { exercise(table, column) }
    }

    static func whereExpression(_ bytes: [UInt8]) {
        guard UTF8Check.firstInvalid(bytes) == nil else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let expression = try WhereExpression.parse(text)
            _ = "\(expression)"
        } catch {
            _ = error.position
        }
    }

    static func gateFile(_ bytes: [UInt8]) {
        guard UTF8Check.firstInvalid(bytes) == nil else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let contract = try ContractDecoder(displayPath: "fuzz.yaml", text: text, baseDirectory: "").decode()
            _ = contract.checks.count
        } catch {
            _ = error.description
        }
    }

    /// The typed views every later stage uses.
    private static func exercise(_ table: Table, _ column: String) {
        let numbers = table.numbers(column)
        let categories = table.categories(column)
        precondition(numbers.values.count == table.rowCount && categories.codes.count == table.rowCount)
        if let row = numbers.firstInvalid { _ = table.lineDescription(row: row) }
    }

    /// Every field made only of digits, signs, points and exponents parses
    /// as `strtod` reads it, bit for bit, or is refused where `strtod`
    /// stops early.
    static func numbersAreStrtod(_ bytes: [UInt8]) {
        let numeric = Set("0123456789+-.eE".utf8)
        for field in bytes.split(whereSeparator: { !numeric.contains($0) }) where field.count < 64 {
            let text = String(decoding: field, as: UTF8.self)
            var end: UnsafeMutablePointer<CChar>?
            let reference: Double? = text.withCString { start in
                let value = strtod(start, &end)
                return end.map { UnsafePointer($0) == start + field.count } == true ? value : nil
            }
            let ours = Array(field).withUnsafeBufferPointer { parseDouble($0, 0..<$0.count) }
            precondition(ours?.bitPattern == reference?.bitPattern, "parseDouble(\(text)) is not strtod's")
        }
    }

    /// A Parquet file: its header, then every column as text, as numbers
    /// and as categories (two threads); a table or an EvalGateError, never
    /// a trap, and the three readings agree row by row.
    static func parquet(_ input: [UInt8]) {
        guard let probe = try? ParquetReader.read(file: "fuzz.parquet", bytes: input, columns: []) else { return }
        var columns: [String] = []
        for name in probe.header where !columns.contains(name) { columns.append(name) }
        guard let text = try? ParquetReader.read(file: "fuzz.parquet", bytes: input, columns: columns) else { return }
        let numbers = try? ParquetReader.read(
            file: "fuzz.parquet", bytes: input, columns: columns, kinds: columns.map { _ in .number }, jobs: 2)
        let categories = try? ParquetReader.read(
            file: "fuzz.parquet", bytes: input, columns: columns, kinds: columns.map { _ in .category })
        guard let numbers, let categories else { preconditionFailure("typed readings failed where text did not") }
        for column in columns {
            let typed = numbers.numbers(column)
            let codes = categories.categories(column)
            for row in 0..<text.rowCount {
                let value = text.text(column, row: row)
                let code = Int(codes.codes[row])
                precondition((code < 0 ? nil : codes.values[code]) == value, "category differs from text")
                let parsed = value.flatMap { Array($0.utf8).withUnsafeBufferPointer { parseDouble($0, 0..<$0.count) } }
                let expected = parsed.flatMap { $0.isFinite ? $0 : nil }
                precondition(
                    expected.map { $0 == typed.values[row] } ?? typed.values[row].isNaN, "number differs from text")
            }
        }
    }

    /// Snappy on its own: the first two bytes are the expected length.
    static func snappy(_ input: [UInt8]) {
        guard input.count >= 2 else { return }
        let expected = Int(input[0]) | Int(input[1]) << 8
        let body = Array(input.dropFirst(2))
        _ = body.withUnsafeBytes { try? Snappy.decompress($0, expected: expected) }
    }
}
