import Foundation

/// A data file read column by column. The text of the file stays in one byte
/// buffer; each requested text column is an array of packed (offset, length)
/// references into it, so reading never allocates a String per field. Typed
/// views (`numbers`, `categories`) are derived from those references, or
/// were made while parsing (`typedNumbers`, `typedCategories`), in which
/// case the column has no references at all.
package struct Table: Sendable {
    /// The path as the user wrote it, for messages.
    package let file: String
    /// Every column name in the file, in file order.
    package let header: [String]
    package let rowCount: Int
    package let bytes: [UInt8]
    /// Requested column -> one packed cell per row (see `Cell`).
    package let cells: [String: [UInt64]]
    /// 1-based line on which each row starts (the row number for SQLite), for messages.
    package let lineIndex: LineIndex
    /// What `lines` count: "line" in text files, "row" in databases.
    package var lineWord: String
    /// Columns typed while parsing.
    package var typedNumbers: [String: NumberColumn]
    package var typedCategories: [String: CategoryColumn]

    package init(
        file: String, header: [String], rowCount: Int, bytes: [UInt8], cells: [String: [UInt64]], lines: [Int32],
        lineWord: String = "line", typedNumbers: [String: NumberColumn] = [:],
        typedCategories: [String: CategoryColumn] = [:]
    ) {
        self.init(
            file: file, header: header, rowCount: rowCount, bytes: bytes, cells: cells, lineIndex: LineIndex(lines),
            lineWord: lineWord,
            typedNumbers: typedNumbers, typedCategories: typedCategories)
    }

    package init(
        file: String, header: [String], rowCount: Int, bytes: [UInt8], cells: [String: [UInt64]], lineIndex: LineIndex,
        lineWord: String = "line", typedNumbers: [String: NumberColumn] = [:],
        typedCategories: [String: CategoryColumn] = [:]
    ) {
        self.lineIndex = lineIndex
        self.lineWord = lineWord
        self.file = file
        self.header = header
        self.rowCount = rowCount
        self.bytes = bytes
        self.cells = cells
        self.typedNumbers = typedNumbers
        self.typedCategories = typedCategories
    }

    package func hasColumn(_ name: String) -> Bool {
        cells[name] != nil || typedNumbers[name] != nil || typedCategories[name] != nil
    }

    /// The text of one cell, or nil when it is missing. A number typed
    /// while parsing shows in its shortest form (its invalid cell as written).
    package func text(_ column: String, row: Int) -> String? {
        if let typed = typedCategories[column] {
            let code = typed.codes[row]
            return code < 0 ? nil : typed.values[Int(code)]
        }
        if let typed = typedNumbers[column] {
            if row == typed.firstInvalid { return typed.firstInvalidText }
            let value = typed.values[row]
            return value.isNaN ? nil : formatNumber(value)
        }
        guard let cell = cells[column]?[row], let range = Cell.range(cell) else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Every row's line.
    package var lines: [Int32] { lineIndex.all(rowCount) }

    /// "line 17" for messages.
    package func lineDescription(row: Int) -> String { "\(lineWord) \(lineIndex.line(of: row))" }

    /// Parses a column as numbers; missing cells become NaN. Fails on the
    /// first cell that is present but not a finite number.
    package func numbers(_ column: String) -> NumberColumn {
        if let typed = typedNumbers[column] { return typed }
        if let typed = typedCategories[column] {
            // Typed as categories while parsing: parse each distinct value once.
            let parsed = typed.parsedValues
            var column = NumberColumn(values: [Double](repeating: .nan, count: typed.codes.count), missingCount: 0)
            for (row, code) in typed.codes.enumerated() {
                if code < 0 {
                    column.missingCount += 1
                    if column.firstMissing == nil { column.firstMissing = row }
                } else if let value = parsed[Int(code)], value.isFinite {
                    column.values[row] = value
                } else if column.firstInvalid == nil {
                    column.firstInvalid = row
                    column.firstInvalidText = typed.values[Int(code)]
                }
            }
            return column
        }
        let refs = cells[column]!
        var values = [Double](repeating: .nan, count: refs.count)
        var missing = 0
        var firstInvalid: Int?
        var firstMissing: Int?
        bytes.withUnsafeBufferPointer { buffer in
            for row in 0..<refs.count {
                guard let range = Cell.range(refs[row]) else {
                    missing += 1
                    if firstMissing == nil { firstMissing = row }
                    continue
                }
                if let value = parseDouble(buffer, range), value.isFinite {
                    values[row] = value
                } else if firstInvalid == nil {
                    firstInvalid = row
                }
            }
        }
        return NumberColumn(
            values: values, missingCount: missing, firstMissing: firstMissing, firstInvalid: firstInvalid,
            firstInvalidText: firstInvalid.flatMap { text(column, row: $0) })
    }

    /// Interns a column's distinct texts to dense codes in order of first
    /// appearance; missing cells get code -1.
    package func categories(_ column: String) -> CategoryColumn {
        if let typed = typedCategories[column] { return typed }
        let refs = cells[column]!
        var interner = ByteInterner(capacity: 64)
        var codes = [Int32](repeating: -1, count: refs.count)
        bytes.withUnsafeBufferPointer { buffer in
            for row in 0..<refs.count {
                guard let range = Cell.range(refs[row]) else { continue }
                codes[row] = Int32(interner.intern(buffer, range))
            }
        }
        let values = (0..<interner.count).map(interner.string)
        return CategoryColumn(codes: codes, values: values)
    }
}

/// The line each row starts on, kept as runs of rows one line apart (one
/// run for a file without blank lines or records spanning lines), so that
/// a million rows do not need 4 MB to say that row r is on line r + 2.
package struct LineIndex: Sendable, Equatable {
    /// First row of each run, ascending, and the line it is on.
    private var startRows: [Int] = []
    private var firstLines: [Int32] = []

    /// From runs of (first row, its line), in row order.
    package init(runs: [(row: Int, line: Int32)]) {
        for (row, line) in runs { append(row: row, line: line) }
    }

    /// From one line per row.
    package init(_ lines: [Int32]) {
        for (row, line) in lines.enumerated() { append(row: row, line: line) }
    }

    private mutating func append(row: Int, line: Int32) {
        if let lastRow = startRows.last, Int(line) - Int(firstLines.last!) == row - lastRow { return }
        startRows.append(row)
        firstLines.append(line)
    }

    package func line(of row: Int) -> Int32 {
        var lo = 0
        var hi = startRows.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if startRows[mid] <= row { lo = mid } else { hi = mid }
        }
        guard lo < startRows.count else { return Int32(row + 1) }
        return firstLines[lo] + Int32(row - startRows[lo])
    }

    package func all(_ rowCount: Int) -> [Int32] { (0..<rowCount).map(line(of:)) }
}

/// Packing of one cell: offset in the upper 40 bits, length in the lower 24;
/// `missing` marks an absent value (empty field, `NA`, JSON null).
package enum Cell {
    package static let missing = UInt64.max
    static let maxLength = (1 << 24) - 1

    static func pack(offset: Int, length: Int) -> UInt64 {
        UInt64(offset) << 24 | UInt64(length)
    }

    /// A value longer than a cell can address: refused, never truncated.
    static func tooLong(file: String, place: String, bytes: Int) -> EvalGateError {
        .data(
            file: file,
            message:
                """
                \(place): the value is \(bytes) bytes, over the \(maxLength)-byte limit of a cell; a value this \
                long is not a label, score or slice value, so check the quoting or the export
                """
        )
    }

    package static func range(_ cell: UInt64) -> Range<Int>? {
        if cell == missing { return nil }
        let offset = Int(cell >> 24)
        return offset..<(offset + Int(cell & 0xFF_FFFF))
    }
}

package struct NumberColumn: Sendable {
    /// NaN where the cell is missing.
    package var values: [Double]
    package var missingCount: Int
    package var firstMissing: Int? = nil
    package var firstInvalid: Int? = nil
    /// The text of the first invalid cell, for messages once the table is gone.
    package var firstInvalidText: String? = nil
}

package struct CategoryColumn: Sendable {
    /// Index into `values`, or -1 where the cell is missing.
    package var codes: [Int32]
    package var values: [String]

    /// Each distinct value parsed as a number (nil when it is not one),
    /// so that a column is parsed once per value, not once per row.
    package var parsedValues: [Double?] {
        values.map { text in Array(text.utf8).withUnsafeBufferPointer { parseDouble($0, 0..<$0.count) } }
    }
}

/// Exact powers of ten up to 1e22: the largest that a Double holds exactly.
/// (A switch over literals, not a global array: a global is initialised
/// lazily, and every read would pay for the check.)
@inline(__always)
private func exactPowerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

/// Parses an ASCII decimal number (`-1.5e3`); rejects `inf`, `nan`, hex and
/// spaces, which `strtod` would accept. Correctly rounded: plain decimals
/// with at most 15 significant digits and no exponent are an exact integer
/// divided by an exact power of ten (one IEEE division, correctly rounded);
/// everything else goes to `strtod`.
func parseDouble(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    let length = range.count
    guard length > 0, length < 64 else { return nil }
    let base = buffer.baseAddress!
    var i = range.lowerBound
    let end = range.upperBound
    let negative = base[i] == UInt8(ascii: "-")
    if negative || base[i] == UInt8(ascii: "+") { i += 1 }
    var mantissa: UInt64 = 0
    var significant = 0
    var fractionDigits = 0
    var digits = 0
    var pointAt = -1
    while i < end {
        let digit = base[i] &- UInt8(ascii: "0")
        if digit < 10 {
            digits += 1
            if mantissa != 0 || digit != 0 { significant += 1 }  // leading zeros are not significant
            if significant > 15 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
        } else if base[i] == UInt8(ascii: "."), pointAt < 0 {
            pointAt = i
        } else {
            break
        }
        i += 1
    }
    if i == end {
        // At least one digit, and not a lone ".".
        guard digits > 0 else { return nil }
        fractionDigits = pointAt < 0 ? 0 : end - pointAt - 1
        guard fractionDigits <= 22 else { return nil }
        let value = Double(mantissa) / exactPowerOfTen(fractionDigits)
        return negative ? -value : value
    }
    for byte in buffer[range] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            continue
        default:
            return nil
        }
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { scratch in
        for (i, byte) in buffer[range].enumerated() { scratch[i] = CChar(bitPattern: byte) }
        scratch[length] = 0
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(scratch.baseAddress!, &end)
        return end == scratch.baseAddress! + length ? value : nil
    }
}
