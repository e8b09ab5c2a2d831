import Foundation

/// A Parquet file (apache/parquet-format) read into the loader's table:
/// the footer, then for each requested column each row group's pages,
/// decompressed and decoded. Only the requested columns are decoded, so a
/// column the gate does not read may use anything. Flat REQUIRED and
/// OPTIONAL columns; a null is a missing value.
package enum ParquetReader {
    static let magic: [UInt8] = Array("PAR1".utf8)

    static let rewrite = "write the file again, or check how it was copied"

    /// The data error every refusal of a Parquet file is.
    static func failure(_ file: String, _ problem: String, fix: String = rewrite) -> EvalGateError {
        EvalGateError(.data, at: .init(file: file), problem, fix: fix)
    }

    static func isParquet(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".parquet") || lower.hasSuffix(".pq")
    }

    /// The bytes and rows of a Parquet file or folder from the footers
    /// alone (for the memory estimate); nil when it is not Parquet or its
    /// footer cannot be read (the read proper then says why).
    static func sizeAndRows(_ path: String) -> (size: Int, rows: Int)? {
        if ParquetDataset.isFolder(path) {
            guard let parts = try? ParquetDataset.parts(path, display: path) else { return nil }
            var total = (size: 0, rows: 0)
            for part in parts {
                guard let one = sizeAndRows("\(path)/\(part)") else { return nil }
                total = (total.size + one.size, total.rows + one.rows)
            }
            return total
        }
        // stat before open: opening a FIFO would wait for a writer, then take its data.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 12 else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = Int(info.st_size)
        var tail = [UInt8](repeating: 0, count: 8)
        var head = [UInt8](repeating: 0, count: 4)
        guard tail.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, 8, off_t(size - 8)) }) == 8,
            head.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, 4, 0) }) == 4, head == magic,
            tail.suffix(4).elementsEqual(magic)
        else { return nil }
        let length = Int(tail.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        guard length <= size - 12 else { return nil }
        var footer = [UInt8](repeating: 0, count: length)
        guard footer.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, length, off_t(size - 8 - length)) }) == length
        else { return nil }
        let meta = footer.withUnsafeBytes { bytes in
            var reader = ThriftReader(bytes)
            return try? reader.fileMeta()
        }
        guard let meta, meta.rowCount >= 0 else { return nil }
        return (size, Int(clamping: meta.rowCount))
    }

    /// One leaf of the schema: its name (dotted below the top level) and
    /// what it takes to decode it.
    struct Leaf {
        var name: String
        var element: SchemaElement
        /// A top-level column that is not repeated.
        var flat: Bool
        var optional: Bool
    }

    /// The requested columns of a Parquet file, typed as `kinds` says (all text when nil).
    package static func read(
        file: String, bytes: [UInt8], columns requested: [String], kinds: [ColumnKind]? = nil, jobs: Int = 1
    ) throws(EvalGateError) -> Table {
        var columns = (kinds ?? requested.map { _ in .text }).map(ParquetColumn.init(kind:))
        let (header, rows) = try append(file: file, bytes: bytes, columns: requested, into: &columns, jobs: jobs)
        return table(file: file, header: header, names: requested, columns: columns, rows: rows)
    }

    /// A table of the filled columns (`rows` rows when there are none):
    /// rows are counted from 1 ("row 17").
    static func table(
        file: String, header: [String], names: [String], columns: [ParquetColumn], rows: Int
    ) -> Table {
        var parts = ParquetColumn.Assembled()
        for (name, column) in zip(names, columns) { column.finish(name, into: &parts) }
        return Table(
            file: file, header: header, rowCount: columns.first?.rows ?? rows, bytes: parts.text, cells: parts.cells,
            lineIndex: LineIndex(runs: [(row: 0, line: 1)]), lineWord: "row", typedNumbers: parts.numbers,
            typedCategories: parts.categories)
    }

    /// Decodes the requested columns of one file onto the ends of `columns`
    /// (one per name); returns the file's column names and its row count.
    @discardableResult
    static func append(
        file: String, bytes: [UInt8], columns requested: [String], into columns: inout [ParquetColumn], jobs: Int = 1
    ) throws(EvalGateError) -> (header: [String], rows: Int) {
        func corrupt(_ problem: String, fix: String = rewrite) -> EvalGateError { failure(file, problem, fix: fix) }
        guard bytes.count >= 12, bytes.starts(with: magic) else {
            throw corrupt("is not a Parquet file (it does not start with PAR1)")
        }
        if bytes.suffix(4).elementsEqual(Array("PARE".utf8)) {
            throw corrupt("is an encrypted Parquet file", fix: "decrypt it first; evalgate reads plaintext Parquet")
        }
        guard bytes.suffix(4).elementsEqual(magic) else { throw corrupt("does not end with PAR1: it is cut short") }
        let footerLength = Int(
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self) })
        guard footerLength <= bytes.count - 12 else {
            throw corrupt("its footer says \(footerLength) bytes, more than the file holds")
        }
        let footerStart = bytes.count - 8 - footerLength
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(EvalGateError) -> (header: [String], rows: Int) in
                try decode(buffer, footerStart: footerStart, file: file, columns: requested, into: &columns, jobs: jobs)
            }
        }
        return try result.get()
    }

    private static func decode(
        _ buffer: UnsafeRawBufferPointer, footerStart: Int, file: String, columns requested: [String],
        into columns: inout [ParquetColumn], jobs: Int
    ) throws(EvalGateError) -> (header: [String], rows: Int) {
        func corrupt(_ problem: String, fix: String = rewrite) -> EvalGateError { failure(file, problem, fix: fix) }
        var reader = ThriftReader(UnsafeRawBufferPointer(rebasing: buffer[footerStart..<(buffer.count - 8)]))
        let meta: FileMeta
        do throws(ThriftError) { meta = try reader.fileMeta() } catch {
            throw corrupt("its footer is not valid: \(error.message)")
        }
        if meta.encrypted { throw corrupt("is an encrypted Parquet file", fix: "decrypt it first") }
        // Rows cost memory whatever they compress to: a footer may not
        // claim more than any writer could fit in the file's bytes.
        let plausible = Int64(buffer.count) * 64 + 1024
        let claimed = meta.rowGroups.reduce(Int64(0)) { $0 &+ max(0, $1.rowCount) }
        guard meta.rowCount >= 0, meta.rowCount <= plausible, claimed <= plausible else {
            throw corrupt("its footer claims \(max(meta.rowCount, claimed)) rows in \(buffer.count) bytes")
        }
        let leaves = try Self.leaves(meta.schema, file: file)
        let header = leaves.map(\.name)
        for name in requested where !header.contains(name) {
            guard let kind = nestedKind(name, meta.schema) else { continue }
            throw corrupt(
                "column \(quote(name)) is \(kind) column, which a gate cannot read as one value per row",
                fix: "flatten it into a column of plain values before the gate reads it")
        }
        try CSVReader.checkColumns(file: file, header: header, requested: requested)
        // Columns decode on up to `jobs` threads, each into its own box (so
        // nothing is copied on write); the first failure in column order wins.
        let boxes = columns.map(ColumnBox.init)
        columns = []
        let bytes = Bytes(buffer: buffer)
        let failures = parallelMap(Array(boxes.indices), jobs: jobs) { (c) -> EvalGateError? in
            do throws(EvalGateError) {
                try column(
                    requested[c], leaves: leaves, meta: meta, buffer: bytes.buffer, footerStart: footerStart,
                    file: file, into: &boxes[c].column)
                return nil
            } catch {
                return error
            }
        }
        columns = boxes.map(\.column)
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return (header, Int(clamping: claimed))
    }

    /// A column that one thread fills in place.
    private final class ColumnBox: @unchecked Sendable {
        var column: ParquetColumn
        init(_ column: ParquetColumn) { self.column = column }
    }

    /// The file's bytes, read (never written) by every column's thread.
    private struct Bytes: @unchecked Sendable {
        let buffer: UnsafeRawBufferPointer
    }

    /// One requested column over every row group.
    private static func column(
        _ name: String, leaves: [Leaf], meta: FileMeta, buffer: UnsafeRawBufferPointer, footerStart: Int, file: String,
        into column: inout ParquetColumn
    ) throws(EvalGateError) {
        func corrupt(_ problem: String, fix: String = rewrite) -> EvalGateError { failure(file, problem, fix: fix) }
        let index = leaves.firstIndex { $0.name == name }!
        let leaf = leaves[index]
        guard leaf.flat else {
            let kind = leaf.element.repetition == 2 ? "a repeated (list)" : "a nested (struct)"
            throw corrupt(
                "column \(quote(name)) is \(kind) column, which a gate cannot read as one value per row",
                fix: "flatten it into a column of plain values before the gate reads it")
        }
        for (g, group) in meta.rowGroups.enumerated() {
            if let unsupported = group.unsupported { throw corrupt("row group \(g): \(unsupported)") }
            guard index < group.columns.count else {
                throw corrupt("row group \(g) has \(group.columns.count) columns, fewer than the schema")
            }
            do throws(ParquetChunk.Failure) {
                try ParquetChunk(
                    buffer: buffer, end: footerStart, meta: group.columns[index], leaf: leaf,
                    rows: Int(clamping: group.rowCount)
                ).decode(into: &column)
            } catch {
                throw corrupt(
                    "row group \(g), column \(quote(name))\(error.page.map { ", page \($0)" } ?? ""): \(error.message)",
                    fix: error.fix ?? rewrite)
            }
        }
    }

    /// "a nested (struct)", "a repeated (list)" or "a map" when `name` is a
    /// top-level group of the schema (a column with columns inside).
    static func nestedKind(_ name: String, _ schema: [SchemaElement]) -> String? {
        var index = 1
        for _ in 0..<max(0, schema.first?.children ?? 0) {
            guard index < schema.count else { return nil }
            let element = schema[index]
            if element.name == name, element.children > 0 {
                if element.convertedType == 3 || element.logical == 3 { return "a repeated (list)" }
                if [1, 2].contains(element.convertedType) || element.logical == 2 { return "a map" }
                return "a nested (struct)"
            }
            // Skip the element and everything below it.
            var pending = 1
            while pending > 0, index < schema.count {
                pending += Int(max(0, schema[index].children)) - 1
                index += 1
            }
        }
        return nil
    }

    /// The schema's leaves in column order (depth first).
    static func leaves(_ schema: [SchemaElement], file: String) throws(EvalGateError) -> [Leaf] {
        guard let root = schema.first else {
            throw EvalGateError(.data, at: .init(file: file), "has an empty schema", fix: "write the file again")
        }
        var leaves: [Leaf] = []
        var index = 1
        func walk(_ children: Int32, prefix: [String], depth: Int) throws(EvalGateError) {
            guard depth < 64 else {
                throw EvalGateError(.data, at: .init(file: file), "nests more than 64 levels", fix: "flatten it")
            }
            for _ in 0..<max(0, children) {
                guard index < schema.count else {
                    throw EvalGateError(
                        .data, at: .init(file: file), "has a schema with fewer elements than it says",
                        fix: "write the file again")
                }
                let element = schema[index]
                index += 1
                let path = prefix + [element.name]
                if element.children > 0 {
                    try walk(element.children, prefix: path, depth: depth + 1)
                } else {
                    leaves.append(
                        Leaf(
                            name: path.joined(separator: "."), element: element,
                            flat: depth == 0 && element.repetition != 2, optional: element.repetition == 1))
                }
            }
        }
        try walk(root.children, prefix: [], depth: 0)
        return leaves
    }
}
