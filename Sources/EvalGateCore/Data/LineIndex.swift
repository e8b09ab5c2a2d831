import Foundation

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
