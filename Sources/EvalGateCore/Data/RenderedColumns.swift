/// Columns of values rendered to text, for the readers whose values are not
/// already bytes in a file (JSON Lines, SQLite): the text goes into one
/// buffer and each cell is a packed reference into it, as `Table` expects.
struct RenderedColumns {
    private var text: [UInt8] = []
    private var columns: [[UInt64]]
    private(set) var lines: [Int32] = []

    init(count: Int) {
        columns = Array(repeating: [], count: count)
    }

    /// Appends one cell; nil or empty is missing. A cell longer than a
    /// packed reference can address is refused (`place` names it), never truncated.
    mutating func append(_ value: String?, column: Int, file: String, place: @autoclosure () -> String)
        throws(EvalGateError)
    {
        guard let value, !value.isEmpty else {
            columns[column].append(Cell.missing)
            return
        }
        let length = value.utf8.count
        guard length <= Cell.maxLength else { throw Cell.tooLong(file: file, place: place(), bytes: length) }
        let offset = text.count
        text.append(contentsOf: value.utf8)
        columns[column].append(Cell.pack(offset: offset, length: text.count - offset))
    }

    /// Ends a row that started on `line` (or is row number `line`).
    mutating func endRow(line: Int32) { lines.append(line) }

    func table(file: String, header: [String], names: [String], lineWord: String = "line") -> Table {
        var cells: [String: [UInt64]] = [:]
        for (slot, name) in names.enumerated() { cells[name] = columns[slot] }
        return Table(
            file: file, header: header, rowCount: lines.count, bytes: text, cells: cells, lines: lines,
            lineWord: lineWord)
    }
}
