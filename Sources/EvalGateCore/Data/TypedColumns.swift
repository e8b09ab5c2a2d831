/// How a reader keeps a requested column: as references to its text, or
/// typed while it is parsed (numbers; category codes), which keeps only
/// the typed array and never references the text.
package enum ColumnKind: Sendable, Hashable {
    case text, number, category
}

/// One chunk's typing state for one column: the interner of a category
/// column, and for a number column what was missing or invalid (rows local
/// to the chunk). Chunks are merged in file order, so the result is the
/// same whatever the number of chunks.
struct SlotTyping: Sendable {
    var interner: ByteInterner
    var missing = 0
    var firstMissing: Int?
    var firstInvalid: Int?
    var firstInvalidText: String?

    init(_ kind: ColumnKind) { interner = ByteInterner(capacity: kind == .category ? 64 : 1) }

    /// The value to store for a number cell; NaN where it is missing or not
    /// a finite number, which is noted.
    @inline(__always)
    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, present: Bool, row: Int) -> Double {
        if present, let value = parseDouble(bytes, range), value.isFinite { return value }
        if !present {
            missing += 1
            if firstMissing == nil { firstMissing = row }
        } else if firstInvalid == nil {
            firstInvalid = row
            firstInvalidText = String(decoding: bytes[range], as: UTF8.self)
        }
        return .nan
    }

    /// A number column from its parsed bit patterns and the chunks' notes;
    /// `chunkStarts` is the first row of each chunk.
    static func numbers(_ values: [Double], _ chunks: [SlotTyping], chunkStarts: [Int]) -> NumberColumn {
        var column = NumberColumn(values: values, missingCount: 0)
        for (chunk, start) in zip(chunks, chunkStarts) {
            column.missingCount += chunk.missing
            if column.firstMissing == nil, let local = chunk.firstMissing { column.firstMissing = start + local }
            if column.firstInvalid == nil, let local = chunk.firstInvalid {
                column.firstInvalid = start + local
                column.firstInvalidText = chunk.firstInvalidText
            }
        }
        return column
    }

    /// A category column from the chunk-local codes: each chunk's values
    /// are interned again in chunk order (which keeps first-appearance
    /// order) and its rows recoded.
    static func categories(_ localCodes: [Int32], _ chunks: [SlotTyping], chunkStarts: [Int]) -> CategoryColumn {
        var global = ByteInterner(capacity: 64)
        var remaps: [[Int32]] = []
        for chunk in chunks {
            chunk.interner.storage.withUnsafeBufferPointer { storage in
                remaps.append(
                    (0..<chunk.interner.count).map { Int32(global.intern(storage, chunk.interner.keyRange($0))) })
            }
        }
        var codes = localCodes
        codes.withUnsafeMutableBufferPointer { codes in
            for (c, remap) in remaps.enumerated() where c < chunkStarts.count {
                // The first chunk's codes are already global.
                if remap.indices.allSatisfy({ remap[$0] == Int32($0) }) { continue }
                let end = c + 1 < chunkStarts.count ? chunkStarts[c + 1] : codes.count
                for row in chunkStarts[c]..<end where codes[row] >= 0 { codes[row] = remap[Int(codes[row])] }
            }
        }
        return CategoryColumn(codes: codes, values: (0..<global.count).map(global.string))
    }
}
