/// The DELTA encodings and BYTE_STREAM_SPLIT (parquet-format's
/// Encodings.md), as DuckDB's PARQUET_VERSION V2 and pyarrow's
/// column_encoding write them. Each reads within its slice and says how
/// many bytes it used, so the next part of the page can follow.
extension ParquetValues {
    /// An array's bytes to a body that throws `Corrupt` (withUnsafeBytes
    /// only rethrows untyped errors).
    static func withBytes<T>(
        _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Corrupt) -> T
    ) throws(Corrupt) -> T {
        try array.withUnsafeBytes { bytes in Result { () throws(Corrupt) in try body(bytes) } }.get()
    }

    /// DELTA_BINARY_PACKED: integers as blocks of bit-packed deltas.
    /// At most `limit` values (the page's count): a header may not claim more.
    static func deltaBinaryPacked(
        _ data: UnsafeRawBufferPointer, limit: Int
    ) throws(Corrupt) -> (values: [Int64], used: Int) {
        var position = 0
        func varint() throws(Corrupt) -> UInt64 { try ParquetValues.varint(data, &position, what: "the delta header") }
        func zigzag() throws(Corrupt) -> Int64 {
            let v = try varint()
            return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
        }
        let blockSize = Int(clamping: try varint())
        let miniblocks = Int(clamping: try varint())
        let total = Int(clamping: try varint())
        var last = try zigzag()
        // Writers use blocks of 128 values; a bound keeps `block x width` far from overflow.
        guard miniblocks > 0, blockSize > 0, blockSize <= 1 << 24, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 8 == 0, total <= limit
        else {
            throw Corrupt(message: "a delta header of block \(blockSize), \(miniblocks) miniblocks, \(total) values")
        }
        let perMiniblock = blockSize / miniblocks
        var values: [Int64] = []
        values.reserveCapacity(total)
        if total > 0 { values.append(last) }
        while values.count < total {
            let minDelta = try zigzag()
            guard miniblocks <= data.count - position else { throw Corrupt(message: "the bit widths are cut off") }
            let widths = (0..<miniblocks).map { Int(data[position + $0]) }
            position += miniblocks
            for width in widths where values.count < total {
                guard width <= 64 else { throw Corrupt(message: "a miniblock bit width of \(width)") }
                let bytes = perMiniblock * width / 8
                guard bytes <= data.count - position else { throw Corrupt(message: "a miniblock runs past the page") }
                for i in 0..<min(perMiniblock, total - values.count) {
                    let delta = ParquetValues.unpacked(data, from: position, index: i, width: width)
                    last = last &+ minDelta &+ Int64(bitPattern: delta)
                    values.append(last)
                }
                position += bytes
            }
        }
        return (values, position)
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then the bytes.
    static func deltaLengthByteArray(_ data: UnsafeRawBufferPointer, count: Int) throws(Corrupt) -> ParquetBatch {
        let (lengths, used) = try deltaBinaryPacked(data, limit: count)
        guard lengths.count >= count else { throw Corrupt(message: "\(lengths.count) lengths for \(count) values") }
        var position = used
        var cells: [UInt64] = []
        cells.reserveCapacity(count)
        for length in lengths.prefix(count) {
            guard length >= 0, length <= data.count - position else {
                throw Corrupt(message: "a value runs past the page")
            }
            cells.append(try ParquetStrings.cell(offset: position, length: Int(length)))
            position += Int(length)
        }
        return .strings(ParquetStrings(storage: [UInt8](data[0..<position]), cells: cells))
    }

    /// DELTA_BYTE_ARRAY: each value is a prefix of the one before plus a suffix.
    static func deltaByteArray(_ data: UnsafeRawBufferPointer, count: Int) throws(Corrupt) -> ParquetBatch {
        let (prefixes, usedPrefixes) = try deltaBinaryPacked(data, limit: count)
        let rest = UnsafeRawBufferPointer(rebasing: data[usedPrefixes...])
        let (suffixes, usedSuffixes) = try deltaBinaryPacked(rest, limit: count)
        guard prefixes.count >= count, suffixes.count >= count else {
            throw Corrupt(message: "the prefix and suffix lengths do not cover \(count) values")
        }
        var position = usedPrefixes + usedSuffixes
        var storage: [UInt8] = []
        var cells: [UInt64] = []
        cells.reserveCapacity(count)
        var previous = 0..<0
        for i in 0..<count {
            let prefix = prefixes[i]
            let suffix = suffixes[i]
            guard prefix >= 0, prefix <= previous.count, suffix >= 0, suffix <= data.count - position else {
                throw Corrupt(message: "value \(i) has a prefix or suffix that does not fit")
            }
            let start = storage.count
            // Byte by byte: appending a slice of the array itself would copy all of it.
            for k in 0..<Int(prefix) { storage.append(storage[previous.lowerBound + k]) }
            storage.append(contentsOf: data[position..<(position + Int(suffix))])
            position += Int(suffix)
            cells.append(try ParquetStrings.cell(offset: start, length: storage.count - start))
            previous = start..<storage.count
        }
        return .strings(ParquetStrings(storage: storage, cells: cells))
    }

    /// BYTE_STREAM_SPLIT: byte k of every value, then byte k+1, ...
    static func byteStreamSplit(
        _ data: UnsafeRawBufferPointer, type: ParquetType, typeLength: Int, count: Int
    ) throws(Corrupt) -> ParquetBatch {
        let width: Int
        switch type {
        case .float, .int32: width = 4
        case .double, .int64: width = 8
        case .fixedLenByteArray: width = typeLength
        default: throw Corrupt(message: "BYTE_STREAM_SPLIT on a \(type) column")
        }
        guard width > 0, count >= 0, width * count <= data.count else {
            throw Corrupt(message: "the split streams are cut off")
        }
        var joined = [UInt8](repeating: 0, count: width * count)
        for i in 0..<count {
            for k in 0..<width { joined[i * width + k] = data[k * count + i] }
        }
        return try withBytes(joined) { (bytes) throws(Corrupt) in
            try plain(bytes, type: type, typeLength: typeLength, count: count)
        }
    }
}
