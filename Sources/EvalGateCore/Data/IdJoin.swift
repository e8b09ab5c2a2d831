/// The id join as a sort-merge over hashed keys. Each id becomes a 16-byte
/// entry (64-bit hash, row, length), the entries are radix sorted by hash,
/// and equal keys meet as neighbours: every step reads memory
/// sequentially. A hash table over a million ids does not fit in cache and
/// costs a cache miss (about 100 ns) per probe; this join costs a few
/// sequential passes. An id of at most 8 bytes is hashed by a bijection of
/// its bytes, so equal hashes and lengths mean equal ids; longer ids with
/// equal hashes are compared byte by byte. A collision never joins the
/// wrong rows.
struct KeyedRows: Sendable {
    struct Entry: Sendable {
        var hash: UInt64
        var row32: UInt32
        var length32: UInt32

        var row: Int { Int(row32) }
        var length: Int { Int(length32) }
    }

    /// Sorted by the hash's upper 32 bits, then by row. Equal keys have equal
    /// hashes, so they sit in one run of equal upper bits.
    var entries: [Entry]
    private(set) var table: Table
    let column: String
    /// The first row without an id.
    let firstMissing: Int?
    /// Every id has at most 8 bytes, so each entry holds its id (the hash
    /// is a bijection of the bytes; `ByteHash.unmix` gives them back).
    let holdsIds: Bool

    /// Entries for every row with an id; `firstMissing` is the first row
    /// without one. Sorted as they are made: one pass hashes the ids to
    /// count the entries of each of 1024 partitions (the hash's top 10
    /// bits), a second hashes them again (two multiplies an id) and writes
    /// each entry straight into its partition, rows in order; then each
    /// partition (about n / 1024 entries, which fit in the core's cache) is
    /// sorted by the next 22 bits with two stable 11-bit passes through a
    /// small scratch buffer. Memory is crossed twice and there is one
    /// entry array, never a second: what keeps 10M-row joins from waiting
    /// on DRAM, in the memory of one copy.
    init(_ table: Table, column: String) {
        self.table = table
        self.column = column
        let refs = table.cells[column]!
        var starts = [Int](repeating: 0, count: 1025)
        var longest = 0
        var missing: Int?
        table.bytes.withUnsafeBufferPointer { buffer in
            for (row, cell) in refs.enumerated() {
                guard let range = Cell.range(cell) else {
                    if missing == nil { missing = row }
                    continue
                }
                longest = max(longest, range.count)
                starts[Int(ByteHash.hash(buffer, range) >> 54) + 1] += 1
            }
        }
        holdsIds = longest <= 8
        firstMissing = missing
        for p in 0..<1024 { starts[p + 1] += starts[p] }
        var next = Array(starts.dropLast())
        let count = starts[1024]
        entries = [Entry](unsafeUninitializedCapacity: count) { all, initialized in
            table.bytes.withUnsafeBufferPointer { buffer in
                for (row, cell) in refs.enumerated() {
                    guard let range = Cell.range(cell) else { continue }
                    let hash = ByteHash.hash(buffer, range)
                    let p = Int(hash >> 54)
                    all[next[p]] = Entry(hash: hash, row32: UInt32(row), length32: UInt32(range.count))
                    next[p] += 1
                }
            }
            var scratch: [Entry] = []
            var counts = RadixSort.counts(RadixSort.digitMask)
            for p in 0..<1024 where starts[p + 1] - starts[p] > 1 {
                let part = UnsafeMutableBufferPointer(rebasing: all[starts[p]..<starts[p + 1]])
                if scratch.count < part.count { scratch = Array(part) }
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let local = UnsafeMutableBufferPointer(rebasing: scratch[0..<part.count])
                    // Two passes: the result is back in `part`.
                    _ = RadixSort.pass(from: part, to: local, shift: 32, counts: &counts)
                    _ = RadixSort.pass(from: local, to: part, shift: 43, counts: &counts)
                }
            }
            initialized = count
        }
    }

    /// Frees the table's copy of the ids when the entries hold them and
    /// they are its only text: 16 bytes a row (8 of text, 8 of reference).
    /// Messages then read the ids from the entries (`texts`).
    mutating func releaseText() {
        guard holdsIds, table.cells.count == 1, tableHasIds else { return }
        table = table.withoutText()
    }

    /// Whether the table still has the ids' text (see `releaseText`).
    private var tableHasIds: Bool { table.cells[column] != nil }

    func text(_ row: Int) -> String { tableHasIds ? table.text(column, row: row) ?? "" : texts([row])[0] }

    /// The ids of `rows`, for messages: from the table, or when it no
    /// longer has them, from the entries in one pass.
    func texts(_ rows: [Int]) -> [String] {
        if tableHasIds { return rows.map(text) }
        var found = Dictionary(rows.map { ($0, "") }, uniquingKeysWith: { first, _ in first })
        for entry in entries where found[entry.row] != nil {
            let word = ByteHash.unmix(entry.hash)
            found[entry.row] = String(
                decoding: (0..<entry.length).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) },
                as: UTF8.self)
        }
        return rows.map { found[$0]! }
    }

    /// Whether entry `a` of self and entry `b` of `other` hold the same id.
    func sameKey(_ a: Entry, _ other: KeyedRows, _ b: Entry) -> Bool {
        guard a.hash == b.hash, a.length32 == b.length32 else { return false }
        if a.length <= 8 { return true }
        let ra = Cell.range(table.cells[column]![a.row])!
        let rb = Cell.range(other.table.cells[other.column]![b.row])!
        return table.bytes[ra].elementsEqual(other.table.bytes[rb])
    }

    /// Rows whose id already appeared on an earlier row, in row order.
    /// Within a run of equal hashes, keys are grouped by (hash, length) so
    /// that even a file of one repeated id stays linear.
    func repeatedRows() -> [Int] {
        var repeated: [Int] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].hash >> 32 == entries[start].hash >> 32 { end += 1 }
            if end - start > 1 {
                var representatives: [[UInt64]: [Int]] = [:]
                for i in start..<end {
                    let e = entries[i]
                    let group = [e.hash, UInt64(e.length)]
                    if representatives[group, default: []].contains(where: { sameKey(entries[$0], self, e) }) {
                        repeated.append(e.row)
                    } else {
                        representatives[group, default: []].append(i)
                    }
                }
            }
            start = end
        }
        return repeated.sorted()
    }

    /// For each row of `golden` (by row index), the row of self holding the
    /// same id, or -1; and the rows of self whose id the golden set lacks.
    /// Assumes neither side repeats an id.
    func match(_ golden: KeyedRows, goldenRows: Int, orderWritesAbove: Int = 1 << 22) -> (
        rowOf: [Int32], unknown: [Int]
    ) {
        var rowOf = [Int32](repeating: -1, count: goldenRows)
        var unknown: [Int] = []
        var g = 0
        let mine = entries
        let theirs = golden.entries
        // Matches arrive in hash order, so their golden rows are scattered.
        // Past a few million rows each scattered write fetches a cache line
        // from memory: there the matches are collected a million at a time
        // and written in golden-row order (radix sorted), so that a line
        // fetched takes several of them.
        let blockSize = goldenRows > orderWritesAbove ? 1 << 20 : 0
        var pending: [UInt64] = []
        var scratch = [UInt64](repeating: 0, count: blockSize)
        pending.reserveCapacity(blockSize)
        func flush() {
            pending.withUnsafeMutableBufferPointer { pending in
                scratch.withUnsafeMutableBufferPointer { RadixSort.sortByUpperHalf(pending, scratch: $0) }
                rowOf.withUnsafeMutableBufferPointer { rowOf in
                    for match in pending { rowOf[Int(match >> 32)] = Int32(truncatingIfNeeded: match & 0xFFFF_FFFF) }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < mine.count {
            let run = mine[i].hash >> 32
            while g < theirs.count, theirs[g].hash >> 32 < run { g += 1 }
            var gEnd = g
            while gEnd < theirs.count, theirs[gEnd].hash >> 32 == run { gEnd += 1 }
            var iEnd = i
            while iEnd < mine.count, mine[iEnd].hash >> 32 == run { iEnd += 1 }
            for k in i..<iEnd {
                if let partner = (g..<gEnd).first(where: { golden.sameKey(theirs[$0], self, mine[k]) }) {
                    if blockSize == 0 {
                        rowOf[theirs[partner].row] = Int32(truncatingIfNeeded: mine[k].row32)
                    } else {
                        pending.append(UInt64(theirs[partner].row32) << 32 | UInt64(mine[k].row32))
                        if pending.count == blockSize { flush() }
                    }
                } else {
                    unknown.append(mine[k].row)
                }
            }
            i = iEnd
            g = gEnd
        }
        if !pending.isEmpty { flush() }
        return (rowOf, unknown.sorted())
    }
}

extension KeyedRows.Entry: RadixKeyed {
    /// The join sorts entries by their id's hash.
    @inline(__always) var radixKey: UInt64 { hash }
}
