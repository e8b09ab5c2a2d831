/// RFC 4180 reader (quoted fields, `""` escapes, newlines inside quotes,
/// CRLF), header row required, UTF-8 with an optional BOM. Works on the raw
/// bytes: quoted fields are unescaped in place, and only the requested
/// columns are kept, as packed references into the buffer.
package enum CSVReader {
    package static func read(
        file: String, bytes input: [UInt8], delimiter: UInt8, columns requested: [String]
    ) throws(EvalGateError) -> Table {
        var bytes = input
        var headerFields: [String] = []
        var lines: [Int32] = []
        var slotsOfField: [Int] = []  // field index -> requested slot or -1
        var columns: [[UInt64]] = []
        var failure: EvalGateError?

        bytes.withUnsafeMutableBufferPointer { buffer in
            let n = buffer.count
            var i = 0
            if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
            var line: Int32 = 1
            var isHeader = true
            var field = 0
            var recordLine: Int32 = 1
            var rowCells: [UInt64] = []
            let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

            func endRecord() -> Bool {
                if isHeader {
                    isHeader = false
                    slotsOfField = headerFields.map { requested.firstIndex(of: $0) ?? -1 }
                    columns = Array(repeating: [], count: requested.count)
                    rowCells = Array(repeating: Cell.missing, count: requested.count)
                    return true
                }
                if field + 1 != headerFields.count {
                    failure = .data(file: file, message: "line \(recordLine) has \(field + 1) fields but the header has \(headerFields.count); check the delimiter and quoting on that line")
                    return false
                }
                for slot in 0..<requested.count { columns[slot].append(rowCells[slot]) }
                lines.append(recordLine)
                return true
            }

            func store(_ start: Int, _ length: Int) -> Bool {
                if isHeader {
                    headerFields.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]), as: UTF8.self))
                    return true
                }
                guard field < slotsOfField.count else { return true }  // counted as an error at the record end
                let slot = slotsOfField[field]
                guard slot >= 0 else { return true }
                if length > Cell.maxLength {
                    failure = .data(file: file, message: "line \(recordLine): a field is longer than 16 MiB")
                    return false
                }
                let isNA = length == 2 && buffer[start] == UInt8(ascii: "N") && buffer[start + 1] == UInt8(ascii: "A")
                rowCells[slot] = (length == 0 || isNA) ? Cell.missing : Cell.pack(offset: start, length: length)
                return true
            }

            while i < n {
                // Skip blank lines between records.
                if field == 0, buffer[i] == lf || buffer[i] == cr {
                    if buffer[i] == lf { line += 1 }
                    i += 1
                    continue
                }
                if field == 0 { recordLine = line }
                var start = i
                var length = 0
                if buffer[i] == quote {
                    // Quoted field: unescape "" -> " in place.
                    let openLine = line
                    i += 1
                    start = i
                    var write = i
                    var closed = false
                    while i < n {
                        let byte = buffer[i]
                        if byte == quote {
                            if i + 1 < n, buffer[i + 1] == quote {
                                buffer[write] = quote; write += 1; i += 2
                                continue
                            }
                            closed = true
                            i += 1
                            break
                        }
                        if byte == lf { line += 1 }
                        buffer[write] = byte; write += 1; i += 1
                    }
                    guard closed else {
                        failure = .data(file: file, message: "line \(openLine): a quoted field is never closed; add the closing '\"'")
                        return
                    }
                    length = write - start
                    if i < n, buffer[i] != delimiter, buffer[i] != lf, buffer[i] != cr {
                        failure = .data(file: file, message: "line \(line): unexpected character after a closing quote; a '\"' inside a quoted field must be doubled (\"\")")
                        return
                    }
                } else {
                    while i < n, buffer[i] != delimiter, buffer[i] != lf, buffer[i] != cr { i += 1 }
                    length = i - start
                }
                guard store(start, length) else { return }
                if i < n, buffer[i] == delimiter {
                    field += 1
                    i += 1
                    if i == n {  // trailing delimiter at end of file: one more empty field
                        guard store(i, 0), endRecord() else { return }
                    }
                    continue
                }
                // End of record (newline or end of file).
                if i < n, buffer[i] == cr { i += 1 }
                if i < n, buffer[i] == lf { i += 1; line += 1 }
                guard endRecord() else { return }
                field = 0
                for slot in 0..<rowCells.count { rowCells[slot] = Cell.missing }
            }
            if isHeader { failure = .data(file: file, message: "the file is empty; it needs a header row naming its columns") }
        }
        if let failure { throw failure }
        try checkColumns(file: file, header: headerFields, requested: requested)
        var cells: [String: [UInt64]] = [:]
        for (slot, name) in requested.enumerated() { cells[name] = columns[slot] }
        return Table(file: file, header: headerFields, rowCount: lines.count, bytes: bytes, cells: cells, lines: lines)
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
}
