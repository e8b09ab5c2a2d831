/// The golden set's slice columns, typed once while the data loads (numbers
/// where a definition bins them or compares them with numbers, categories
/// otherwise, both when both are asked for). The raw table, its bytes and
/// its cell references are released when loading ends: slicing needs only
/// these arrays, and messages need only the line of each row.
package struct SliceColumns: Sendable {
    /// The golden set's path as the user wrote it, for messages.
    package var file: String
    package var rowCount: Int
    package var numbers: [String: NumberColumn]
    package var categories: [String: CategoryColumn]
    /// 1-based line (or database row) of each row, for messages.
    package var lines: LineIndex
    package var lineWord: String

    /// Types the columns `uses` names, in parallel.
    package init(table: Table, uses: [SliceColumnUse], jobs: Int = 1) {
        file = table.file
        rowCount = table.rowCount
        lines = table.lineIndex
        lineWord = table.lineWord
        let typed = parallelMap(uses, jobs: jobs) { use -> (NumberColumn?, CategoryColumn?) in
            use.numeric ? (table.numbers(use.column), nil) : (nil, table.categories(use.column))
        }
        numbers = [:]
        categories = [:]
        for (use, (number, category)) in zip(uses, typed) {
            if let number { numbers[use.column] = number }
            if let category { categories[use.column] = category }
        }
    }

    /// Frees the typed columns once the slices are made (the file, row
    /// count and lines stay, for messages).
    package mutating func dropColumns() {
        numbers = [:]
        categories = [:]
    }

    /// Every column of a table both ways: for slicing small tables in tests.
    package init(allOf table: Table) {
        self.init(
            table: table,
            uses: table.header.filter(table.hasColumn).flatMap {
                [SliceColumnUse(column: $0, numeric: false), SliceColumnUse(column: $0, numeric: true)]
            })
    }

    /// "line 17" for messages.
    package func lineDescription(row: Int) -> String { "\(lineWord) \(lines.line(of: row))" }
}

/// One column a slice definition reads, and how.
package struct SliceColumnUse: Sendable, Equatable {
    package var column: String
    /// Read as numbers (binned or compared with a number) rather than as categories.
    package var numeric: Bool

    /// The columns the definitions read, categorical ones first, each use once.
    package static func of(_ specs: [SliceSpec]) -> [SliceColumnUse] {
        var categorical: [String] = []
        var numeric: [String] = []
        func note(_ column: String, numeric isNumeric: Bool) {
            if isNumeric {
                if !numeric.contains(column) { numeric.append(column) }
            } else if !categorical.contains(column) {
                categorical.append(column)
            }
        }
        func visit(_ e: WhereExpression) {
            switch e {
            case .or(let l, let r), .and(let l, let r):
                visit(l)
                visit(r)
            case .not(let inner): visit(inner)
            case .compare(let c, _, let value):
                if case .number = value { note(c, numeric: true) } else { note(c, numeric: false) }
            case .member(let c, let values, _):
                if case .number? = values.first { note(c, numeric: true) } else { note(c, numeric: false) }
            case .missing(let c, _): note(c, numeric: false)
            }
        }
        for spec in specs {
            switch spec {
            case .filter(_, let expression): visit(expression)
            case .by(_, let columns): for column in columns { note(column, numeric: false) }
            case .bins(_, let column, _): note(column, numeric: true)
            }
        }
        return categorical.map { SliceColumnUse(column: $0, numeric: false) }
            + numeric.map { SliceColumnUse(column: $0, numeric: true) }
    }
}
