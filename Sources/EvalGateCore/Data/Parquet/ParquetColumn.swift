import Foundation

/// One requested column as it fills, page after page, row group after row
/// group and part after part, in the form the loader asked for: numbers,
/// category codes or text cells (`ColumnKind`). A page's values are typed
/// straight from the physical values (a DOUBLE is never printed and parsed
/// again), a dictionary's entries once each, and then spread over the rows
/// by the definition levels. The values equal those the same data read
/// from a CSV gives: an empty string is missing, -0 reads as 0.
struct ParquetColumn {
    typealias Corrupt = ParquetValues.Corrupt

    let kind: ColumnKind
    private(set) var rows = 0
    private var numbers: [Double] = []
    private var missing = 0
    private var firstMissing: Int?
    private var firstInvalid: Int?
    private var firstInvalidText: String?
    private var codes: [Int32] = []
    private var interner = ByteInterner(capacity: 64)
    private var cells: [UInt64] = []
    private var text: [UInt8] = []
    /// The current chunk's dictionary as decoded, and typed for this column.
    private var dictionary: (batch: ParquetBatch, render: ParquetRender)?
    private var dictionaryNumbers: Typed<Double>?
    /// Codes of dictionary entries, interned when first used (-2 before)
    /// so that codes follow the order in which rows show the values.
    private var dictionaryCodes: [Int32] = []
    private var dictionaryCells: [UInt64] = []

    /// Values typed for this column, one per present value. `empty` lists
    /// the present values that are empty strings (missing, as in a CSV),
    /// `invalid` the first one that is not a number, with its text.
    struct Typed<T> {
        var values: [T]
        var empty: [Int] = []
        var invalid: (index: Int, text: String)?
    }

    init(kind: ColumnKind) { self.kind = kind }

    /// A new column chunk of `rows` rows: its dictionary, if any, comes next.
    mutating func startChunk(rows: Int) {
        switch kind {
        case .number: numbers.reserveCapacity(numbers.count + rows)
        case .category: codes.reserveCapacity(codes.count + rows)
        case .text: cells.reserveCapacity(cells.count + rows)
        }
        forgetDictionary()
    }

    private mutating func forgetDictionary() {
        dictionary = nil
        dictionaryNumbers = nil
        dictionaryCodes = []
        dictionaryCells = []
    }

    /// A dictionary page's entries, typed for this column (text is checked
    /// for UTF-8 where it is kept or interned, as a data page's is).
    mutating func setDictionary(_ batch: ParquetBatch, render: ParquetRender) throws(Corrupt) {
        forgetDictionary()
        dictionary = (batch, render)
        switch kind {
        case .number: dictionaryNumbers = try numbers(batch, render: render)
        case .category: dictionaryCodes = [Int32](repeating: -2, count: batch.count)
        case .text: dictionaryCells = try textCells(batch, render: render)
        }
    }

    /// One page's values; `levels` (one per row, 0 for a null) when some
    /// are null (`ParquetValues.levels` gives nil when none is).
    mutating func append(_ batch: ParquetBatch, levels: [UInt32]?, render: ParquetRender) throws(Corrupt) {
        let pageRows = levels?.count ?? batch.count
        switch kind {
        case .number:
            let typed = try numbers(batch, render: render)
            let start = numbers.count
            Self.spread(typed.values, levels: levels, missing: .nan, into: &numbers)
            noteMissing(levels: levels, empty: typed.empty, start: start)
            if firstInvalid == nil, let invalid = typed.invalid {
                firstInvalid = start + Self.row(ofPresent: invalid.index, levels: levels)
                firstInvalidText = invalid.text
            }
        case .category:
            Self.spread(try categoryCodes(batch, render: render), levels: levels, missing: -1, into: &codes)
        case .text:
            Self.spread(try textCells(batch, render: render), levels: levels, missing: Cell.missing, into: &cells)
        }
        rows += pageRows
    }

    /// `count` rows of one value (a Hive partition folder's), nil for missing.
    mutating func appendConstant(_ value: String?, count: Int) throws(Corrupt) {
        guard let value, count > 0 else {
            try append(.integers([]), levels: [UInt32](repeating: 0, count: count), render: ParquetRender(kind: .plain))
            return
        }
        let bytes = Array(value.utf8)
        let one = ParquetBatch.strings(
            ParquetStrings(storage: bytes, cells: [try ParquetStrings.cell(offset: 0, length: bytes.count)]))
        let start = rows
        let missingBefore = missing
        try append(one, levels: nil, render: ParquetRender(kind: .plain))
        switch kind {
        case .number:
            numbers += repeatElement(numbers[start], count: count - 1)
            missing += (missing - missingBefore) * (count - 1)
        case .category: codes += repeatElement(codes[start], count: count - 1)
        case .text: cells += repeatElement(cells[start], count: count - 1)
        }
        rows += count - 1
    }

    /// The typed columns of a table, and the one buffer its text cells point into.
    struct Assembled {
        var numbers: [String: NumberColumn] = [:]
        var categories: [String: CategoryColumn] = [:]
        var cells: [String: [UInt64]] = [:]
        var text: [UInt8] = []
    }

    /// Adds the column to the table's parts under `name`.
    func finish(_ name: String, into table: inout Assembled) {
        switch kind {
        case .number:
            table.numbers[name] = NumberColumn(
                values: numbers, missingCount: missing, firstMissing: firstMissing, firstInvalid: firstInvalid,
                firstInvalidText: firstInvalidText)
        case .category:
            table.categories[name] = CategoryColumn(codes: codes, values: (0..<interner.count).map(interner.string))
        case .text:
            // Cells move by where this column's text starts in the one buffer.
            let base = UInt64(table.text.count) << 24
            if table.text.isEmpty { table.text = text } else { table.text += text }  // the first is shared, not copied
            table.cells[name] = base == 0 ? cells : cells.map { $0 == Cell.missing ? $0 : $0 &+ base }
        }
    }
}

// MARK: - Typing

extension ParquetColumn {
    /// Numbers: integers and reals directly (as their text would parse), anything else through its text.
    private func numbers(_ batch: ParquetBatch, render: ParquetRender) throws(Corrupt) -> Typed<Double> {
        switch batch {
        case .reals(let values):
            var typed = Typed(values: values)
            for i in typed.values.indices {
                let value = typed.values[i]
                if value.isFinite {
                    typed.values[i] = value + 0  // -0 reads as 0, as its text "0" does
                } else {
                    if typed.invalid == nil { typed.invalid = (i, render.real(value)) }
                    typed.values[i] = .nan
                }
            }
            return typed
        case .integers(let values) where render.number(0) != nil:
            return Typed(values: values.map { render.number($0)! })
        case .strings(let strings):
            return strings.storage.withUnsafeBufferPointer { buffer in
                var typed = Typed(values: [Double](repeating: .nan, count: strings.cells.count))
                for (i, cell) in strings.cells.enumerated() {
                    let range = Cell.range(cell)!
                    if range.isEmpty, !render.isDecimalBytes {
                        typed.empty.append(i)
                        continue
                    }
                    let value =
                        render.isDecimalBytes
                        ? render.decimal(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[range]))
                        : parseDouble(buffer, range)
                    if let value, value.isFinite {
                        typed.values[i] = value
                    } else if typed.invalid == nil {
                        typed.invalid = (i, String(decoding: buffer[range], as: UTF8.self))
                    }
                }
                return typed
            }
        case .indices(let indices):
            return try numbers(indices)
        default:
            var typed = Typed(values: [Double](repeating: .nan, count: batch.count))
            for i in 0..<batch.count {
                guard let text = try render.text(batch, i) else {
                    typed.empty.append(i)
                    continue
                }
                if let value = Array(text.utf8).withUnsafeBufferPointer({ parseDouble($0, 0..<$0.count) }),
                    value.isFinite
                {
                    typed.values[i] = value
                } else if typed.invalid == nil {
                    typed.invalid = (i, text)
                }
            }
            return typed
        }
    }

    /// Numbers of dictionary indices, each entry typed once.
    private func numbers(_ indices: [UInt32]) throws(Corrupt) -> Typed<Double> {
        try checkIndices(indices)
        let dictionary = dictionaryNumbers!
        var typed = Typed(values: indices.map { dictionary.values[Int($0)] })
        if !dictionary.empty.isEmpty || dictionary.invalid != nil {
            let empty = Set(dictionary.empty)
            for (i, index) in indices.enumerated() where typed.values[i].isNaN {
                if empty.contains(Int(index)) {
                    typed.empty.append(i)
                } else if typed.invalid == nil, let raw = self.dictionary {
                    typed.invalid = (i, try raw.render.text(raw.batch, Int(index)) ?? "")
                }
            }
        }
        return typed
    }

    /// Category codes, interned in the order rows show the values; -1 for an empty string.
    private mutating func categoryCodes(_ batch: ParquetBatch, render: ParquetRender) throws(Corrupt) -> [Int32] {
        switch batch {
        case .strings(let strings) where !render.isDecimalBytes:
            try strings.checkUTF8()
            return strings.storage.withUnsafeBufferPointer { buffer in
                strings.cells.map { cell in
                    let range = Cell.range(cell)!
                    return range.isEmpty ? -1 : Int32(interner.intern(buffer, range))
                }
            }
        case .indices(let indices):
            try checkIndices(indices)
            let raw = dictionary!
            var codes = [Int32](repeating: -1, count: indices.count)
            for (i, index) in indices.enumerated() {
                var code = dictionaryCodes[Int(index)]
                if code == -2 {
                    code = try intern(raw.render.text(raw.batch, Int(index)))
                    dictionaryCodes[Int(index)] = code
                }
                codes[i] = code
            }
            return codes
        default:
            var codes = [Int32](repeating: -1, count: batch.count)
            for i in 0..<batch.count { codes[i] = try intern(render.text(batch, i)) }
            return codes
        }
    }

    private mutating func intern(_ text: String?) -> Int32 {
        guard var text else { return -1 }
        return text.withUTF8 { Int32(interner.intern($0, 0..<$0.count)) }
    }

    /// Text cells into this column's buffer; an empty string is missing.
    private mutating func textCells(_ batch: ParquetBatch, render: ParquetRender) throws(Corrupt) -> [UInt64] {
        switch batch {
        case .strings(let strings) where !render.isDecimalBytes:
            try strings.checkUTF8()
            // One allocation for all the page's bytes, then a copy per value.
            var cells = [UInt64](repeating: Cell.missing, count: strings.cells.count)
            var end = text.count
            text.append(contentsOf: repeatElement(0, count: strings.cells.reduce(0) { $0 + Int($1 & 0xFF_FFFF) }))
            strings.storage.withUnsafeBytes { source in
                text.withUnsafeMutableBytes { target in
                    for (i, cell) in strings.cells.enumerated() {
                        let range = Cell.range(cell)!
                        guard !range.isEmpty else { continue }
                        cells[i] = Cell.pack(offset: end, length: range.count)
                        target.baseAddress!.advanced(by: end).copyMemory(
                            from: source.baseAddress!.advanced(by: range.lowerBound), byteCount: range.count)
                        end += range.count
                    }
                }
            }
            return cells
        case .indices(let indices):
            try checkIndices(indices)
            return indices.map { dictionaryCells[Int($0)] }
        default:
            var cells = [UInt64](repeating: Cell.missing, count: batch.count)
            for i in 0..<batch.count {
                guard let value = try render.text(batch, i) else { continue }
                cells[i] = Cell.pack(offset: text.count, length: value.utf8.count)
                text += value.utf8
            }
            return cells
        }
    }

    /// Indices point into this chunk's dictionary, which exists.
    private func checkIndices(_ indices: [UInt32]) throws(Corrupt) {
        guard let count = dictionary?.batch.count else {
            throw Corrupt(message: "dictionary indices without a dictionary page")
        }
        let highest = indices.reduce(0) { max($0, $1) }
        guard indices.isEmpty || Int(highest) < count else {
            throw Corrupt(message: "dictionary index \(highest) is out of range (\(count) entries)")
        }
    }
}

// MARK: - Rows

extension ParquetColumn {
    /// The present values at level 1, `missing` at level 0.
    static func spread<T>(_ present: [T], levels: [UInt32]?, missing: T, into out: inout [T]) {
        guard let levels else {
            out += present
            return
        }
        out.reserveCapacity(out.count + levels.count)
        var next = 0
        for level in levels {
            if level == 1 {
                out.append(present[next])
                next += 1
            } else {
                out.append(missing)
            }
        }
    }

    /// The page row of present value `index`.
    static func row(ofPresent index: Int, levels: [UInt32]?) -> Int {
        guard let levels else { return index }
        var seen = 0
        for (row, level) in levels.enumerated() where level == 1 {
            if seen == index { return row }
            seen += 1
        }
        return levels.count
    }

    /// Counts the page's missing rows (nulls, and empty strings) of a number column whose page starts at `start`.
    private mutating func noteMissing(levels: [UInt32]?, empty: [Int], start: Int) {
        var first: Int?
        if let levels {
            for (row, level) in levels.enumerated() where level == 0 {
                missing += 1
                if first == nil { first = row }
            }
        }
        missing += empty.count
        if let index = empty.first {
            let row = Self.row(ofPresent: index, levels: levels)
            first = min(first ?? row, row)
        }
        if firstMissing == nil, let first { firstMissing = start + first }
    }
}
