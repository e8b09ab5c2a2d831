/// RFC 4180 reader (quoted fields, `""` escapes, newlines inside quotes,
/// CRLF), header row required, UTF-8 with an optional BOM. Works on the raw
/// bytes: quoted fields are unescaped in place, and only the requested
/// columns are kept, as packed references into the buffer. Columns are
/// preallocated from a newline count, so the hot loop only writes through
/// pointers.
package enum CSVReader {
    package static func read(
        file: String, bytes input: consuming [UInt8], delimiter: UInt8, columns requested: [String]
    ) throws(EvalGateError) -> Table {
        var bytes = input
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // The header: the first record, read with the same rules.
        var header: [String] = []
        var headerEnd = start
        var cursorLine: Int32 = 1
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(EvalGateError) in
            var cursor = Cursor(buffer: buffer, position: start, line: 1, delimiter: delimiter, file: file)
            cursor.skipBlankLines()
            guard cursor.position < buffer.count else {
                throw .data(file: file, message: "the file is empty; it needs a header row naming its columns")
            }
            repeat {
                let field = try cursor.nextField()
                header.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[field]), as: UTF8.self))
            } while !cursor.atRecordEnd
            cursor.endRecord()
            headerEnd = cursor.position
            cursorLine = cursor.line
        }
        try checkColumns(file: file, header: header, requested: requested)
        let slotOfField = header.map { name in requested.firstIndex(of: name) ?? -1 }

        // Upper bound on the number of records: one per newline, plus one.
        var capacity = 1
        for byte in bytes[headerEnd...] where byte == 0x0A { capacity += 1 }
        let fieldCount = header.count
        let startLine = cursorLine
        var lines = [Int32](repeating: 0, count: capacity)
        var rows = 0

        // Each requested column is written in place, straight into its final
        // array: no row-major buffer, no copy (at 10M rows a copy is GBs).
        let columns = try withColumnBuffers(requested.count, capacity: capacity) { (pointers) throws(EvalGateError) -> Int in
            try bytes.withUnsafeMutableBufferPointer { (buffer) throws(EvalGateError) in
                var cursor = Cursor(buffer: buffer, position: headerEnd, line: startLine, delimiter: delimiter, file: file)
                try lines.withUnsafeMutableBufferPointer { (lines) throws(EvalGateError) in
                    while true {
                        cursor.skipBlankLines()
                        if cursor.position >= buffer.count { break }
                        let recordLine = cursor.line
                        var field = 0
                        repeat {
                            let range = try cursor.nextField()
                            if field < fieldCount {
                                let slot = slotOfField[field]
                                if slot >= 0 {
                                    guard range.count <= Cell.maxLength else {
                                        throw .data(file: file, message: "line \(recordLine): a field is longer than 16 MiB")
                                    }
                                    let isNA = range.count == 2 && buffer[range.lowerBound] == 0x4E && buffer[range.lowerBound + 1] == 0x41
                                    pointers[slot][rows] = range.count > 0 && !isNA
                                        ? Cell.pack(offset: range.lowerBound, length: range.count) : Cell.missing
                                }
                            }
                            field += 1
                        } while !cursor.atRecordEnd
                        cursor.endRecord()
                        if field != fieldCount {
                            throw .data(file: file, message: "line \(recordLine) has \(field) fields but the header has \(fieldCount); check the delimiter and quoting on that line")
                        }
                        lines[rows] = recordLine
                        rows += 1
                    }
                }
            }
            return rows
        }
        var cells: [String: [UInt64]] = [:]
        for (slot, name) in requested.enumerated() { cells[name] = columns[slot] }
        lines.removeLast(capacity - rows)
        return Table(file: file, header: header, rowCount: rows, bytes: bytes, cells: cells, lines: lines)
    }

    /// Runs `fill` with `count` uninitialised column buffers of `capacity`
    /// cells; `fill` writes rows 0..<n of every column and returns n, and
    /// the columns come back as arrays of n cells. Nested
    /// `unsafeUninitializedCapacity` calls keep every pointer inside its
    /// array's lifetime.
    private static func withColumnBuffers(
        _ count: Int, capacity: Int, _ fill: ([UnsafeMutablePointer<UInt64>]) throws(EvalGateError) -> Int
    ) throws(EvalGateError) -> [[UInt64]] {
        func open(_ pointers: [UnsafeMutablePointer<UInt64>]) throws(EvalGateError) -> ([[UInt64]], Int) {
            if pointers.count == count { return ([], try fill(pointers)) }
            var inner: [[UInt64]] = []
            var rows = 0
            var failure: EvalGateError?
            let column = [UInt64](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                do throws(EvalGateError) {
                    (inner, rows) = try open(pointers + [buffer.baseAddress!])
                } catch {
                    failure = error
                }
                initialized = failure == nil ? rows : 0
            }
            if let failure { throw failure }
            return ([column] + inner, rows)
        }
        return try open([]).0
    }

    /// Every requested column must exist; duplicate header names are ambiguous.
    static func checkColumns(file: String, header: [String], requested: [String]) throws(EvalGateError) {
        for name in requested where !header.contains(name) {
            let shown = header.prefix(20).joined(separator: ", ") + (header.count > 20 ? ", ..." : "")
            throw .data(file: file, message: "column '\(name)' not found.\(didYouMean(name, among: header)) The file has: \(shown)")
        }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted && requested.contains(name) {
            throw .data(file: file, message: "column '\(name)' appears twice in the header; rename one")
        }
    }

    /// Position in the buffer while reading records.
    private struct Cursor {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var position: Int
        var line: Int32
        let delimiter: UInt8
        let file: String
        /// Set by `nextField` when the field ended its record.
        var atRecordEnd = false

        static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        mutating func skipBlankLines() {
            while position < buffer.count, buffer[position] == Self.lf || buffer[position] == Self.cr {
                if buffer[position] == Self.lf { line += 1 }
                position += 1
            }
        }

        /// The next field's byte range (quoted fields unescaped in place);
        /// leaves the cursor after its delimiter or before its line end.
        mutating func nextField() throws(EvalGateError) -> Range<Int> {
            let n = buffer.count
            var start = position
            var end: Int
            if position < n, buffer[position] == Self.quote {
                let openLine = line
                position += 1
                start = position
                var write = position
                var closed = false
                while position < n {
                    let byte = buffer[position]
                    if byte == Self.quote {
                        if position + 1 < n, buffer[position + 1] == Self.quote {
                            buffer[write] = Self.quote
                            write += 1
                            position += 2
                            continue
                        }
                        closed = true
                        position += 1
                        break
                    }
                    if byte == Self.lf { line += 1 }
                    buffer[write] = byte
                    write += 1
                    position += 1
                }
                guard closed else {
                    throw .data(file: file, message: "line \(openLine): a quoted field is never closed; add the closing '\"'")
                }
                end = write
                if position < n, buffer[position] != delimiter, buffer[position] != Self.lf, buffer[position] != Self.cr {
                    throw .data(file: file, message: "line \(line): unexpected character after a closing quote; a '\"' inside a quoted field must be doubled (\"\")")
                }
            } else {
                while position < n {
                    let byte = buffer[position]
                    if byte == delimiter || byte == Self.lf || byte == Self.cr { break }
                    position += 1
                }
                end = position
            }
            if position < n, buffer[position] == delimiter {
                position += 1
                atRecordEnd = false
            } else {
                atRecordEnd = true
            }
            return start..<end
        }

        /// Consumes the line end after a record's last field.
        mutating func endRecord() {
            if position < buffer.count, buffer[position] == Self.cr { position += 1 }
            if position < buffer.count, buffer[position] == Self.lf {
                position += 1
                line += 1
            }
            atRecordEnd = false
        }
    }
}
