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

    /// The same table without its text: for a file whose one text column
    /// (its ids) is held elsewhere once keyed (`KeyedRows.releaseText`).
    func withoutText() -> Table {
        Table(
            file: file, header: header, rowCount: rowCount, bytes: [], cells: [:], lineIndex: lineIndex,
            lineWord: lineWord, typedNumbers: typedNumbers, typedCategories: typedCategories)
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

    /// Where a row is, for an error: its line in a file, its row in a
    /// database, with its id when `idColumn` has one.
    package func location(row: Int, idColumn: String? = nil) -> EvalGateError.Location {
        let number = Int(lineIndex.line(of: row))
        return EvalGateError.Location(
            file: file, line: lineWord == "line" ? number : nil, row: lineWord == "line" ? nil : number,
            rowId: idColumn.flatMap { text($0, row: row) })
    }

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
