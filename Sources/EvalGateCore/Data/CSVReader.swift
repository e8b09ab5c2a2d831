import Foundation

/// RFC 4180 reader (quoted fields, `""` escapes, newlines inside quotes,
/// CRLF), header row required, UTF-8 with an optional BOM. Works on the raw
/// bytes (quoted fields are unescaped in place) and keeps only the requested
/// columns, each written straight into its final array: numbers as
/// `Double`s, categories as `Int32` codes, text as packed references into a
/// buffer of the text cells' bytes, copied out as each chunk is parsed, so
/// that the table never refers to the input.
///
/// A body without any `"` cannot have a record that spans lines, so it is
/// cut at line ends into chunks parsed in parallel; each chunk writes its
/// rows where the newline counts before it say they start, and the gaps
/// that blank lines leave are closed afterwards. The result is the same
/// table, whatever the number of chunks.
package enum CSVReader {
    /// Smallest chunk worth a thread of its own.
    static let minimumChunkBytes = 1 << 22

    /// `kinds` (one per requested column, default all `.text`) says which
    /// columns are typed while they are parsed, as numbers or as category
    /// codes, so that their text is never referenced.
    package static func read(
        file: String, bytes input: consuming [UInt8], delimiter: UInt8, columns requested: [String],
        kinds requestedKinds: [ColumnKind]? = nil, jobs: Int = 1, chunkBytes: Int = minimumChunkBytes
    ) throws(EvalGateError) -> Table {
        var bytes = input
        return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(EvalGateError) in
            try read(
                file: file, buffer: buffer, delimiter: delimiter, columns: requested, kinds: requestedKinds, jobs: jobs,
                chunkBytes: chunkBytes, chunksPerJob: 1, release: false)
        }
    }

    /// Reads a file's bytes in place, from an anonymous private mapping
    /// that holds them (`InputFile.read`). Each chunk gives its pages back
    /// to the kernel once its records are parsed, so the file's bytes are
    /// freed as the table grows: the table never references the mapping.
    package static func read(
        file: String, mapped buffer: UnsafeMutableBufferPointer<UInt8>, delimiter: UInt8, columns requested: [String],
        kinds requestedKinds: [ColumnKind]? = nil, jobs: Int = 1
    ) throws(EvalGateError) -> Table {
        try read(
            file: file, buffer: buffer, delimiter: delimiter, columns: requested, kinds: requestedKinds, jobs: jobs,
            chunkBytes: minimumChunkBytes, chunksPerJob: 4, release: true)
    }

    /// Gives the whole pages inside `range` of an anonymous private mapping
    /// back to the kernel (`MADV_DONTNEED`). They read as zeros afterwards,
    /// so only a chunk whose records are parsed (and whose text is copied
    /// out) is released.
    static func release(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base = Int(bitPattern: buffer.baseAddress!)
        let start = (base + range.lowerBound + page - 1) / page * page
        let end = (base + range.upperBound) / page * page
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED) }
    }

    /// The header, planning, the parallel parse and the merge of the
    /// chunks' results into one table.
    private static func read(
        file: String, buffer: UnsafeMutableBufferPointer<UInt8>, delimiter: UInt8, columns requested: [String],
        kinds requestedKinds: [ColumnKind]?, jobs: Int, chunkBytes: Int, chunksPerJob: Int, release: Bool
    ) throws(EvalGateError) -> Table {
        let kinds = requestedKinds ?? [ColumnKind](repeating: .text, count: requested.count)
        precondition(kinds.count == requested.count, "one kind per requested column")
        let readOnly = UnsafeBufferPointer(buffer)
        let header = try readHeader(file: file, buffer: buffer, delimiter: delimiter)
        try checkColumns(file: file, header: header.names, requested: requested)
        let layout = RecordLayout(
            slotOfField: header.names.map { name in requested.firstIndex(of: name) ?? -1 }, kindOfSlot: kinds,
            header: header.names, delimiter: delimiter, file: file)

        var clock = StageClock()
        let chunks = plan(
            body: header.end..<readOnly.count, in: readOnly, jobs: jobs, chunkBytes: chunkBytes,
            chunksPerJob: chunksPerJob)
        clock.lap("\(file): plan")
        if let bad = chunks.lazy.compactMap(\.firstInvalidUTF8).first {
            throw invalidUTF8(
                file: file, bytes: Array(readOnly), offset: bad, header: header.names, bodyStart: header.end,
                delimiter: delimiter)
        }
        var parsed = try parseChunks(
            chunks, of: buffer, layout: layout, firstBodyLine: header.bodyLine, jobs: jobs, release: release)
        clock.lap("\(file): records")
        var rowCount = 0
        for count in parsed.rowsInChunk { rowCount += count }
        var chunkStarts = [0]
        for count in parsed.rowsInChunk.dropLast() { chunkStarts.append(chunkStarts.last! + count) }
        var columns = typedColumns(requested, parsed: parsed, chunkStarts: chunkStarts)
        // The text references now live in `columns` alone, so that moving
        // them below does not copy them.
        parsed.columns = []
        clock.lap("\(file): typed columns")
        let text = mergeText(parsed.texts, into: &columns.cells, chunkStarts: chunkStarts, rowCount: rowCount)
        parsed.texts = []
        clock.lap("\(file): text")
        return Table(
            file: file, header: header.names, rowCount: rowCount, bytes: text, cells: columns.cells,
            lineIndex: LineIndex(
                runs: zip(chunkStarts, parsed.lineRuns).flatMap { start, runs in
                    runs.map { (start + $0.row, $0.line) }
                }),
            typedNumbers: columns.numbers, typedCategories: columns.categories)
    }

    /// The header: the first record, read with the same rules as the body,
    /// its names, where the body starts and on which line.
    private static func readHeader(
        file: String, buffer: UnsafeMutableBufferPointer<UInt8>, delimiter: UInt8
    ) throws(EvalGateError) -> (names: [String], end: Int, bodyLine: Int32) {
        let readOnly = UnsafeBufferPointer(buffer)
        let start = readOnly.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var names: [String] = []
        var cursor = Cursor(
            buffer: buffer, end: buffer.count, position: start, line: 1, delimiter: delimiter, file: file)
        cursor.skipBlankLines()
        guard cursor.position < buffer.count else {
            throw EvalGateError(
                .data, at: .init(file: file), "the file is empty", fix: "it needs a header row naming its columns")
        }
        repeat {
            let field = try cursor.nextField()
            names.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[field]), as: UTF8.self))
        } while !cursor.atRecordEnd
        try cursor.endRecord()
        if let bad = UTF8Check.firstInvalid(readOnly, in: start..<cursor.position) {
            throw invalidUTF8(
                file: file, bytes: Array(readOnly), offset: bad, header: nil, bodyStart: cursor.position,
                delimiter: delimiter)
        }
        return (names, cursor.position, cursor.line)
    }

    /// What the chunks parsed, in file order.
    private struct ParsedChunks {
        var columns: [ColumnStorage]
        var rowsInChunk: [Int]
        var typing: [[SlotTyping]] = []
        var texts: [[UInt8]] = []
        var lineRuns: [[(row: Int, line: Int32)]] = []
    }

    /// Parses the chunks in parallel straight into the column buffers, then
    /// closes the gaps that blank lines left between chunks. Rows of chunk
    /// i start at the newlines before it: an upper bound on the records
    /// before it (one record per line at most, without quotes; with quotes
    /// there is a single chunk). The first error in file order wins.
    private static func parseChunks(
        _ chunks: [Chunk], of buffer: UnsafeMutableBufferPointer<UInt8>, layout: RecordLayout, firstBodyLine: Int32,
        jobs: Int, release: Bool
    ) throws(EvalGateError) -> ParsedChunks {
        let kinds = layout.kindOfSlot
        let rowStart = chunks.reduce(into: [0]) { starts, chunk in starts.append(starts.last! + chunk.newlines + 1) }
        var parsed = ParsedChunks(columns: [], rowsInChunk: [Int](repeating: 0, count: chunks.count))
        var failure: EvalGateError?
        parsed.columns = try withColumnBuffers(kinds, capacity: rowStart.last!) {
            (pointers) throws(EvalGateError) -> Int in
            let target = Target(buffer: buffer, columns: pointers)
            let results = parallelMap(Array(chunks.indices), jobs: jobs) {
                index -> Result<ChunkResult, EvalGateError> in
                var lineBefore = firstBodyLine
                for previous in chunks[..<index] { lineBefore += Int32(previous.newlines) }
                let result = parse(
                    chunks[index], into: target, firstRow: rowStart[index], firstLine: lineBefore, layout: layout)
                if release { Self.release(UnsafeBufferPointer(target.buffer), chunks[index].range) }
                return result
            }
            for (index, result) in results.enumerated() {
                switch result {
                case .success(let chunk):
                    parsed.rowsInChunk[index] = chunk.rows
                    parsed.typing.append(chunk.typing)
                    parsed.texts.append(chunk.text)
                    parsed.lineRuns.append(chunk.lineRuns)
                case .failure(let error):
                    if failure == nil { failure = error }
                }
            }
            if let failure { throw failure }
            var rows = 0
            for (index, count) in parsed.rowsInChunk.enumerated() {
                if rows != rowStart[index] {
                    for (column, kind) in zip(pointers, kinds) {
                        let width = cellBytes(kind)
                        (column + rows * width).copyMemory(
                            from: column + rowStart[index] * width, byteCount: count * width)
                    }
                }
                rows += count
            }
            return rows
        }
        return parsed
    }

    /// Each requested column in its final form: text references, or the
    /// numbers and categories typed while parsing, merged across chunks.
    private static func typedColumns(
        _ requested: [String], parsed: ParsedChunks, chunkStarts: [Int]
    ) -> (cells: [String: [UInt64]], numbers: [String: NumberColumn], categories: [String: CategoryColumn]) {
        var cells: [String: [UInt64]] = [:]
        var numbers: [String: NumberColumn] = [:]
        var categories: [String: CategoryColumn] = [:]
        for (slot, (name, column)) in zip(requested, parsed.columns).enumerated() {
            let perChunk = parsed.typing.map { $0[slot] }
            switch column {
            case .text(let refs): cells[name] = refs
            case .number(let values): numbers[name] = SlotTyping.numbers(values, perChunk, chunkStarts: chunkStarts)
            case .category(let codes):
                categories[name] = SlotTyping.categories(codes, perChunk, chunkStarts: chunkStarts)
            }
        }
        return (cells, numbers, categories)
    }

    /// Each chunk copied its text cells' bytes into its own buffer; joins
    /// them and moves each chunk's references by the bytes before it.
    private static func mergeText(
        _ texts: [[UInt8]], into cells: inout [String: [UInt64]], chunkStarts: [Int], rowCount: Int
    ) -> [UInt8] {
        var textStarts: [Int] = []
        var textBytes = 0
        for own in texts {
            textStarts.append(textBytes)
            textBytes += own.count
        }
        let text = [UInt8](unsafeUninitializedCapacity: textBytes) { target, initialized in
            for (own, start) in zip(texts, textStarts) where !own.isEmpty {
                own.withUnsafeBufferPointer {
                    (target.baseAddress! + start).initialize(from: $0.baseAddress!, count: own.count)
                }
            }
            initialized = textBytes
        }
        for name in cells.keys {
            cells[name]!.withUnsafeMutableBufferPointer { refs in
                for (c, start) in chunkStarts.enumerated() where c < textStarts.count && textStarts[c] > 0 {
                    let end = c + 1 < chunkStarts.count ? chunkStarts[c + 1] : rowCount
                    let shift = UInt64(textStarts[c]) << 24
                    for row in start..<end where refs[row] != Cell.missing { refs[row] &+= shift }
                }
            }
        }
        return text
    }

    /// The separator a one-field header seems to use instead: the most
    /// frequent of tab, ";", "|" and ",".
    static func otherDelimiter(_ field: String) -> (name: String, yaml: String, tsvHint: String)? {
        let options: [(Character, String, String, String)] = [
            ("\t", "tabs", "\"\\t\"", " (or name it .tsv)"), (";", "semicolons", "\";\"", ""),
            ("|", "'|'", "\"|\"", ""), (",", "commas", "\",\"", ""),
        ]
        let counted = options.map { option in (option, field.filter { $0 == option.0 }.count) }
        guard let best = counted.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return nil }
        return (best.0.1, best.0.2, best.0.3)
    }

    /// Every requested column must exist; duplicate header names are ambiguous.
    static func checkColumns(file: String, header: [String], requested: [String]) throws(EvalGateError) {
        for name in requested where !header.contains(name) {
            let shown = excerpt(
                header.prefix(20).map { excerpt($0) }.joined(separator: ", ") + (header.count > 20 ? ", ..." : ""))
            if header.count == 1, let other = otherDelimiter(header[0]) {
                throw EvalGateError(
                    .data, at: .init(file: file, line: 1),
                    """
                    column \(quote(name)) not found: the header is one field, \(quote(escapingControls(header[0]))), \
                    so the file seems to be separated by \(other.name), not by the delimiter evalgate used
                    """,
                    fix: "add delimiter: \(other.yaml) to this file's entry in the gate file\(other.tsvHint)")
            }
            throw .data(
                file: file,
                message: "column \(quote(name)) not found.\(didYouMean(name, among: header)) The file has: \(shown)")
        }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted && requested.contains(name) {
            throw EvalGateError(
                .data, at: .init(file: file), "column \(quote(name)) appears twice in the header", fix: "rename one")
        }
    }

    /// The error for bytes that are not UTF-8 at `offset`: file, line, the
    /// column they are in (found by reading the records again, an error
    /// path only) and the byte offset.
    static func invalidUTF8(
        file: String, bytes: [UInt8], offset: Int, header: [String]?, bodyStart: Int, delimiter: UInt8
    ) -> EvalGateError {
        let found = UTF8Check.locate(bytes, offset: offset)
        guard let header else {
            return UTF8Check.dataError(file: file, place: "the header (line \(found.line))", found)
        }
        var copy = bytes  // the walk unescapes quoted fields in place
        return copy.withUnsafeMutableBufferPointer { buffer in
            var cursor = Cursor(
                buffer: buffer, end: buffer.count, position: bodyStart, line: 1, delimiter: delimiter, file: file)
            var field = -1
            walk: while cursor.position < buffer.count {
                cursor.skipBlankLines()
                var index = 0
                repeat {
                    guard (try? cursor.nextField()) != nil else { break walk }
                    if offset < cursor.position || cursor.atRecordEnd && offset <= cursor.position {
                        field = index
                        break walk
                    }
                    index += 1
                } while !cursor.atRecordEnd
                guard (try? cursor.endRecord()) != nil else { break walk }
            }
            let place =
                field >= 0 && field < header.count
                ? "line \(found.line), column \(quote(header[field]))" : "line \(found.line)"
            return UTF8Check.dataError(file: file, place: place, found)
        }
    }

    // MARK: - Chunks

    struct Chunk: Sendable {
        var range: Range<Int>
        /// Line feeds inside the chunk.
        var newlines: Int
        /// Offset of the first byte that is not valid UTF-8, if any.
        var firstInvalidUTF8: Int?
    }

    /// Cuts the body at line ends into up to `jobs × chunksPerJob` chunks of
    /// at least `chunkBytes`, or one chunk when the body holds a quote; counts
    /// each chunk's line feeds and checks its UTF-8 (giving its pages back
    /// when `release`).
    static func plan(
        body: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>, jobs: Int, chunkBytes: Int, chunksPerJob: Int = 1,
        release: Bool = false
    ) -> [Chunk] {
        let count = max(1, min(jobs * chunksPerJob, body.count / max(chunkBytes, 1)))
        var bounds = [body.lowerBound]
        for i in 1..<max(count, 1) {
            var cut = max(bounds.last!, body.lowerBound + body.count * i / count)
            while cut < body.upperBound, buffer[cut - 1] != 0x0A { cut += 1 }
            if cut < body.upperBound, cut > bounds.last! { bounds.append(cut) }
        }
        bounds.append(body.upperBound)
        let ranges = zip(bounds, bounds.dropFirst()).map { $0..<$1 }
        let buffers = SendableBytes(buffer: buffer)
        let scanned = parallelMap(ranges, jobs: jobs) { range -> (Chunk, hasQuote: Bool) in
            let start = buffers.buffer.baseAddress! + range.lowerBound
            let hasQuote = !range.isEmpty && memchr(start, Int32(UInt8(ascii: "\"")), range.count) != nil
            var newlines = 0
            var p = start
            let end = buffers.buffer.baseAddress! + range.upperBound
            while p < end, let hit = memchr(p, 0x0A, end - p) {
                newlines += 1
                p = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            // Chunks end at line ends, so no UTF-8 sequence spans two.
            let invalid = UTF8Check.firstInvalid(buffers.buffer, in: range)
            if release { Self.release(buffers.buffer, range) }
            return (Chunk(range: range, newlines: newlines, firstInvalidUTF8: invalid), hasQuote)
        }
        // A quote may open a field that spans lines, so the cuts may be wrong:
        // one chunk then.
        guard scanned.count > 1, scanned.contains(where: \.hasQuote) else { return scanned.map(\.0) }
        return [
            Chunk(
                range: body, newlines: scanned.reduce(0) { $0 + $1.0.newlines },
                firstInvalidUTF8: scanned.lazy.compactMap(\.0.firstInvalidUTF8).first)
        ]
    }

    private struct SendableBytes: @unchecked Sendable {
        var buffer: UnsafeBufferPointer<UInt8>
    }

    /// Where the chunks write; each chunk writes only its own rows.
    private struct Target: @unchecked Sendable {
        var buffer: UnsafeMutableBufferPointer<UInt8>
        var columns: [UnsafeMutableRawPointer]
    }

    private struct RecordLayout: Sendable {
        /// For each field of a record, the requested column it fills, or -1.
        var slotOfField: [Int]
        var kindOfSlot: [ColumnKind]
        var header: [String]
        var delimiter: UInt8
        var file: String
    }

    /// Parses the records of one chunk into rows `firstRow...`; returns the
    /// number of records.
    /// Kept whole: the per-field loop is the hottest code of a run (fields
    /// found 8 bytes at a time, numbers parsed in place); split into calls,
    /// its cursor and per-slot typing state would go through memory on
    /// every field.
    private static func parse(
        _ chunk: Chunk, into target: Target, firstRow: Int, firstLine: Int32, layout: RecordLayout
    ) -> Result<ChunkResult, EvalGateError> {
        let buffer = target.buffer
        let bytes = UnsafeBufferPointer(buffer)
        let fieldCount = layout.slotOfField.count
        var typing = layout.kindOfSlot.map(SlotTyping.init)
        var text: [UInt8] = []
        // Runs of records one line apart: (first row in the chunk, its line).
        var runs: [(row: Int, line: Int32)] = []
        var lastLine: Int32 = 0
        var cursor = Cursor(
            buffer: buffer, end: chunk.range.upperBound, position: chunk.range.lowerBound, line: firstLine,
            delimiter: layout.delimiter, file: layout.file)
        var rows = 0
        // Per field of a record: its column's buffer and kind (nil: not kept).
        let fieldTargets: [(UnsafeMutableRawPointer, ColumnKind, Int)?] = layout.slotOfField.map { slot in
            slot < 0 ? nil : (target.columns[slot], layout.kindOfSlot[slot], slot)
        }
        let result = fieldTargets.withUnsafeBufferPointer { fieldTargets in
            typing.withUnsafeMutableBufferPointer { typing -> Result<Int, EvalGateError> in
                do throws(EvalGateError) {
                    while true {
                        cursor.skipBlankLines()
                        if cursor.position >= chunk.range.upperBound { break }
                        let recordLine = cursor.line
                        let row = firstRow + rows
                        var field = 0
                        repeat {
                            let range = try cursor.nextField()
                            if field < fieldCount, let (column, kind, slot) = fieldTargets[field] {
                                guard range.count <= Cell.maxLength else {
                                    throw Cell.tooLong(
                                        file: layout.file,
                                        place: "line \(recordLine), column \(quote(layout.header[field]))",
                                        bytes: range.count)
                                }
                                let isNA =
                                    range.count == 2 && buffer[range.lowerBound] == 0x4E
                                    && buffer[range.lowerBound + 1] == 0x41
                                let present = range.count > 0 && !isNA
                                switch kind {
                                case .text:
                                    // Copied out, so that nothing refers to the input once the chunk is done.
                                    if present {
                                        column.assumingMemoryBound(to: UInt64.self)[row] = Cell.pack(
                                            offset: text.count, length: range.count)
                                        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
                                    } else {
                                        column.assumingMemoryBound(to: UInt64.self)[row] = Cell.missing
                                    }
                                case .number:
                                    column.assumingMemoryBound(to: Double.self)[row] = typing[slot].number(
                                        bytes, range, present: present, row: rows)
                                case .category:
                                    column.assumingMemoryBound(to: Int32.self)[row] =
                                        present ? Int32(typing[slot].interner.intern(bytes, range)) : -1
                                }
                            }
                            field += 1
                        } while !cursor.atRecordEnd
                        try cursor.endRecord()
                        if field != fieldCount {
                            // "line N has ..." reads better than "line N: ...": the line stays in the text.
                            throw EvalGateError(
                                .data, at: .init(file: layout.file),
                                "line \(recordLine) has \(field) fields but the header has \(fieldCount)",
                                fix: "check the delimiter and quoting on that line")
                        }
                        if rows == 0 || recordLine != lastLine + 1 { runs.append((rows, recordLine)) }
                        lastLine = recordLine
                        rows += 1
                    }
                } catch {
                    return .failure(error)
                }
                return .success(rows)
            }
        }
        if case .failure(let error) = result { return .failure(error) }
        return .success(ChunkResult(rows: rows, typing: typing, text: text, lineRuns: runs))
    }

    private struct ChunkResult: Sendable {
        var rows: Int
        var typing: [SlotTyping]
        /// The bytes of the chunk's text cells, which its references point into.
        var text: [UInt8]
        var lineRuns: [(row: Int, line: Int32)]
    }

    /// A parsed column in its final form.
    enum ColumnStorage {
        case text([UInt64])
        case number([Double])
        /// Chunk-local codes until `SlotTyping.categories` recodes them.
        case category([Int32])
    }

    /// Runs `fill` with one uninitialised buffer of `capacity` cells per
    /// kind (UInt64 cell references, Double numbers, Int32 codes); `fill`
    /// writes rows 0..<n of every column and returns n, and the columns come
    /// back as arrays of n cells. Nested `unsafeUninitializedCapacity` calls
    /// keep every pointer inside its array's lifetime, and each array is the
    /// final one: nothing is copied after parsing.
    private static func withColumnBuffers(
        _ kinds: [ColumnKind], capacity: Int, _ fill: ([UnsafeMutableRawPointer]) throws(EvalGateError) -> Int
    ) throws(EvalGateError) -> [ColumnStorage] {
        func open(_ pointers: [UnsafeMutableRawPointer]) throws(EvalGateError) -> ([ColumnStorage], Int) {
            if pointers.count == kinds.count { return ([], try fill(pointers)) }
            var inner: [ColumnStorage] = []
            var rows = 0
            var failure: EvalGateError?
            func nested<T>(_ type: T.Type) -> [T] {
                [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                    do throws(EvalGateError) {
                        (inner, rows) = try open(pointers + [UnsafeMutableRawPointer(buffer.baseAddress!)])
                    } catch {
                        failure = error
                    }
                    initialized = failure == nil ? rows : 0
                }
            }
            let column: ColumnStorage
            switch kinds[pointers.count] {
            case .text: column = .text(nested(UInt64.self))
            case .number: column = .number(nested(Double.self))
            case .category: column = .category(nested(Int32.self))
            }
            if let failure { throw failure }
            return ([column] + inner, rows)
        }
        return try open([]).0
    }

    /// Bytes per cell of a kind's buffer.
    static func cellBytes(_ kind: ColumnKind) -> Int { kind == .category ? 4 : 8 }

    // MARK: - Cursor

    /// Position in the buffer while reading records, up to `end`.
    private struct Cursor {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        let end: Int
        var position: Int
        var line: Int32
        let delimiter: UInt8
        let file: String
        /// Set by `nextField` when the field ended its record.
        var atRecordEnd = false

        static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        mutating func skipBlankLines() {
            while position < end {
                if buffer[position] == Self.lf {
                    line += 1
                    position += 1
                } else if buffer[position] == Self.cr, position + 1 == end || buffer[position + 1] == Self.lf {
                    position += 1
                } else {
                    break
                }
            }
        }

        /// The next field's byte range (quoted fields unescaped in place);
        /// leaves the cursor after its delimiter or before its line end.
        mutating func nextField() throws(EvalGateError) -> Range<Int> {
            let n = end
            var start = position
            var fieldEnd: Int
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
                    throw EvalGateError(
                        .data, at: .init(file: file, line: Int(openLine)), "a quoted field is never closed",
                        fix: "add the closing '\"'")
                }
                fieldEnd = write
                if position < n, buffer[position] != delimiter, buffer[position] != Self.lf, buffer[position] != Self.cr
                {
                    throw EvalGateError(
                        .data, at: .init(file: file, line: Int(line)), "unexpected character after a closing quote",
                        fix: "a '\"' inside a quoted field must be doubled (\"\")")
                }
            } else {
                position = Self.fieldEnd(buffer.baseAddress!, from: position, to: n, delimiter: delimiter)
                fieldEnd = position
            }
            if position < n, buffer[position] == delimiter {
                position += 1
                atRecordEnd = false
            } else {
                atRecordEnd = true
            }
            return start..<fieldEnd
        }

        /// The first delimiter, line feed or carriage return at or after
        /// `from` (or `end`), eight bytes at a time: a byte equal to `b` is a
        /// zero byte of `word ^ b·0x0101…`, and the lowest zero byte is
        /// found exactly by the borrow trick (false hits only land above it).
        @inline(__always)
        static func fieldEnd(_ base: UnsafeMutablePointer<UInt8>, from: Int, to end: Int, delimiter: UInt8) -> Int {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let d = UInt64(delimiter) &* ones
            let lf = UInt64(Self.lf) &* ones
            let cr = UInt64(Self.cr) &* ones
            var p = from
            while p + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                let x = w ^ d
                let y = w ^ lf
                let z = w ^ cr
                let hits = ((x &- ones) & ~x | (y &- ones) & ~y | (z &- ones) & ~z) & highs
                if hits != 0 { return p + hits.trailingZeroBitCount >> 3 }
                p += 8
            }
            while p < end {
                let byte = base[p]
                if byte == delimiter || byte == Self.lf || byte == Self.cr { return p }
                p += 1
            }
            return end
        }

        /// Consumes the line end after a record's last field. A carriage
        /// return must be followed by a line feed (or end the file): a lone
        /// one would end a record on no line, which neither line numbers nor
        /// the row count planned from line feeds would see.
        mutating func endRecord() throws(EvalGateError) {
            if position < end, buffer[position] == Self.cr {
                position += 1
                if position < end, buffer[position] != Self.lf {
                    throw EvalGateError(
                        .data, at: .init(file: file, line: Int(line)),
                        "a carriage return (\\r) ends a record without a line feed",
                        fix: "evalgate reads LF or CRLF line ends: convert the file, e.g. with tr '\\r' '\\n'")
                }
            }
            if position < end, buffer[position] == Self.lf {
                position += 1
                line += 1
            }
            atRecordEnd = false
        }
    }
}
