import CZlib

/// One column chunk of one row group: its pages, in order, decompressed,
/// decoded and added to the column that reads them.
struct ParquetChunk {
    struct Failure: Error {
        var message: String
        var page: Int?
        var fix: String?
    }

    let buffer: UnsafeRawBufferPointer
    /// Where the column data ends (the footer starts).
    let end: Int
    let meta: ColumnMeta
    let leaf: ParquetReader.Leaf
    let rows: Int

    var render: ParquetRender {
        let element = leaf.element
        if (element.type ?? meta.type) == .int96 {
            return ParquetRender(kind: .timestamp(unitsPerSecond: 1_000_000_000))
        }
        switch (element.logical, element.convertedType) {
        case (5, _), (nil, 5?):
            let scale = Int(element.logicalScale ?? element.scale)
            return ParquetRender(
                kind: element.type == .fixedLenByteArray || element.type == .byteArray
                    ? .bigEndianDecimal(scale: scale) : .decimal(scale: scale))
        case (6, _), (nil, 6?): return ParquetRender(kind: .date)
        case (8, _): return ParquetRender(kind: .timestamp(unitsPerSecond: element.unitsPerSecond))
        case (7, _): return ParquetRender(kind: .time(unitsPerSecond: element.unitsPerSecond))
        case (nil, 7?): return ParquetRender(kind: .time(unitsPerSecond: 1000))
        case (nil, 8?): return ParquetRender(kind: .time(unitsPerSecond: 1_000_000))
        case (10, _) where element.integerSigned == false:
            return ParquetRender(kind: element.integerWidth == 64 ? .unsigned64 : .unsigned32)
        case (nil, 9?): return ParquetRender(kind: .timestamp(unitsPerSecond: 1000))
        case (nil, 10?): return ParquetRender(kind: .timestamp(unitsPerSecond: 1_000_000))
        case (nil, 11?), (nil, 12?), (nil, 13?): return ParquetRender(kind: .unsigned32)
        case (nil, 14?): return ParquetRender(kind: .unsigned64)
        default: return ParquetRender(kind: .plain)
        }
    }

    func decode(into column: inout ParquetColumn) throws(Failure) {
        guard let type = leaf.element.type ?? meta.type else { throw Failure(message: "the column has no type") }
        guard let codec = ParquetCodec(rawValue: meta.codec) else {
            throw Failure(message: "compression codec \(meta.codec) is not a Parquet codec")
        }
        guard [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw].contains(codec) else {
            throw Failure(
                message: "it is compressed with \(codec.name), which this evalgate does not read",
                fix: "write it with SNAPPY, ZSTD, GZIP, LZ4_RAW or no compression (e.g. pyarrow compression='snappy')")
        }
        var start = Int(clamping: meta.dataPageOffset)
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < meta.dataPageOffset {
            start = Int(clamping: dictionary)
        }
        let size = Int(clamping: meta.compressedSize)
        guard start >= 4, start <= end, size >= 0, size <= end - start else {
            throw Failure(message: "the column chunk (\(size) bytes at \(start)) lies outside the file's data")
        }
        let chunkEnd = start + size
        let render = self.render
        guard rows >= 0 else { throw Failure(message: "the row group has \(rows) rows") }
        // Room for the rows, but no more than the chunk's bytes could hold (a footer may lie).
        column.startChunk(rows: min(rows, size * 64 + 4096))
        let first = column.rows
        var position = start
        var page = 0
        while column.rows - first < rows {
            guard position < chunkEnd else {
                throw Failure(message: "the column chunk ends after \(column.rows - first) of \(rows) rows")
            }
            var reader = ThriftReader(UnsafeRawBufferPointer(rebasing: buffer[position..<chunkEnd]))
            let header: PageHeader
            do throws(ThriftError) { header = try reader.pageHeader() } catch {
                throw Failure(message: "the page header is not valid: \(error.message)", page: page)
            }
            let body = position + reader.position
            let size = Int(header.compressedSize)
            guard size >= 0, header.uncompressedSize >= 0, size <= chunkEnd - body else {
                throw Failure(message: "the page (\(size) bytes) runs past its column chunk", page: page)
            }
            let data = UnsafeRawBufferPointer(rebasing: buffer[body..<(body + size)])
            try checkCRC(header, data, page: page)
            do {
                try read(
                    data, header, codec, type: type, render: render, into: &column,
                    rowsLeft: rows - (column.rows - first))
            } catch let error as Failure {
                throw Failure(message: error.message, page: page, fix: error.fix)
            } catch let error as ParquetValues.Corrupt {
                throw Failure(message: error.message, page: page, fix: error.fix)
            } catch {
                throw Failure(message: "\(error)", page: page)
            }
            position = body + size
            page += 1
        }
        guard column.rows - first == rows else {
            throw Failure(message: "the pages hold \(column.rows - first) values for \(rows) rows")
        }
    }

    /// The page's CRC-32 (zlib's polynomial) over its bytes as stored, when
    /// the writer recorded one.
    private func checkCRC(_ header: PageHeader, _ data: UnsafeRawBufferPointer, page: Int) throws(Failure) {
        guard let expected = header.crc else { return }
        let actual = UInt32(
            truncatingIfNeeded: crc32(0, data.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(data.count)))
        let recorded = UInt32(bitPattern: expected)
        guard actual == recorded else {
            let shown = (String(actual, radix: 16), String(recorded, radix: 16))
            throw Failure(message: "its CRC is \(shown.0) but the page header says \(shown.1)", page: page)
        }
    }

    /// One page: a dictionary page sets the dictionary, a data page adds its values.
    private func read(
        _ data: UnsafeRawBufferPointer, _ header: PageHeader, _ codec: ParquetCodec, type: ParquetType,
        render: ParquetRender, into column: inout ParquetColumn, rowsLeft: Int
    ) throws {
        switch header.type {
        case 2:
            let plain = try inflate(data, codec, header)
            let dictionary = try ParquetValues.withBytes(plain) { (bytes) throws(ParquetValues.Corrupt) in
                try ParquetValues.plain(
                    bytes, type: type, typeLength: Int(leaf.element.typeLength), count: Int(header.valueCount))
            }
            try column.setDictionary(dictionary, render: render)
        case 0, 3:
            let (batch, levels) = try dataPage(data, header, codec, type: type, rowsLeft: rowsLeft)
            try column.append(batch, levels: levels, render: render)
        default:
            break  // index pages and anything newer: not values
        }
    }

    private func inflate(_ data: UnsafeRawBufferPointer, _ codec: ParquetCodec, _ header: PageHeader) throws -> [UInt8]
    {
        let expected = Int(header.uncompressedSize)
        guard (0...(1 << 28)).contains(expected) else {
            throw Failure(
                message: "the page header says \(expected) bytes uncompressed; evalgate reads pages up to 256 MiB")
        }
        switch codec {
        case .snappy:
            do { return try Snappy.decompress(data, expected: expected) } catch {
                throw Failure(message: "the SNAPPY data is corrupt: \(error.message)")
            }
        case .zstd:
            do { return try Zstd.decompress(data, expected: expected) } catch {
                throw Failure(message: "the ZSTD data is corrupt: \(error.message)")
            }
        case .lz4Raw:
            do { return try Lz4.decompress(data, expected: expected) } catch {
                throw Failure(message: "the LZ4_RAW data is corrupt: \(error.message)")
            }
        case .gzip:
            let inflated: [UInt8]
            do { inflated = try Gzip.inflate([UInt8](data)) } catch {
                throw Failure(message: "the GZIP data is corrupt: \(error.message)")
            }
            guard inflated.count == expected else {
                throw Failure(message: "it decompresses to \(inflated.count) bytes, the header says \(expected)")
            }
            return inflated
        default:
            guard data.count == expected else {
                throw Failure(message: "it holds \(data.count) bytes, the header says \(expected)")
            }
            return [UInt8](data)
        }
    }

    /// A data page (v1 or v2): definition levels, then the non-null values.
    private func dataPage(
        _ data: UnsafeRawBufferPointer, _ header: PageHeader, _ codec: ParquetCodec, type: ParquetType, rowsLeft: Int
    ) throws -> (ParquetBatch, [UInt32]?) {
        let count = Int(header.valueCount)
        guard count >= 0, count <= rowsLeft else {
            throw Failure(message: "a page of \(count) values where \(rowsLeft) rows are left")
        }
        var levels: [UInt32]?
        // The values are payload[offset...]: a v1 page's levels stay in front of them, uncopied.
        let payload: [UInt8]
        var offset = 0
        if header.type == 3 {
            let levelBytes = Int(header.definitionLength) + Int(header.repetitionLength)
            guard header.definitionLength >= 0, header.repetitionLength == 0, levelBytes <= data.count else {
                throw Failure(message: "the page's level lengths do not fit the page")
            }
            if leaf.optional {
                levels = try ParquetValues.levels(
                    UnsafeRawBufferPointer(rebasing: data[Int(header.repetitionLength)..<levelBytes]), count: count)
            }
            let rest = UnsafeRawBufferPointer(rebasing: data[levelBytes...])
            var valuesHeader = header
            valuesHeader.uncompressedSize -= Int32(levelBytes)
            payload =
                header.isCompressed && codec != .uncompressed ? try inflate(rest, codec, valuesHeader) : [UInt8](rest)
        } else {
            payload = try inflate(data, codec, header)
            if leaf.optional {
                guard payload.count >= 4 else { throw Failure(message: "the definition levels are cut off") }
                let length = Int(payload.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
                guard length <= payload.count - 4 else {
                    throw Failure(message: "the definition levels run past the page")
                }
                levels = try ParquetValues.withBytes(payload) { (bytes) throws(ParquetValues.Corrupt) in
                    try ParquetValues.levels(UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)]), count: count)
                }
                offset = 4 + length
            }
        }
        if let high = levels?.first(where: { $0 > 1 }) {
            throw Failure(message: "a definition level of \(high), above the flat column's maximum of 1")
        }
        let present = levels.map { $0.reduce(0) { $0 + Int($1) } } ?? count
        let decoded = try payload.withUnsafeBytes { (bytes) throws -> ParquetBatch in
            try values(
                UnsafeRawBufferPointer(rebasing: bytes[offset...]), owner: (payload, offset), encoding: header.encoding,
                type: type, count: present)
        }
        guard decoded.count == present else {
            throw Failure(message: "the page holds \(decoded.count) values where its levels say \(present)")
        }
        return (decoded, levels)
    }

    /// The page's values from `bytes`, which are `owner.array[owner.offset...]`.
    private func values(
        _ bytes: UnsafeRawBufferPointer, owner: (array: [UInt8], offset: Int), encoding: Int32, type: ParquetType,
        count: Int
    ) throws -> ParquetBatch {
        let typeLength = Int(leaf.element.typeLength)
        switch ParquetEncoding(rawValue: encoding) {
        case .plain:
            return try ParquetValues.plain(bytes, type: type, typeLength: typeLength, count: count, owner: owner)
        case .plainDictionary, .rleDictionary:
            guard let width = bytes.first else {
                guard count == 0 else { throw Failure(message: "the page has no dictionary indices") }
                return .indices([])
            }
            return .indices(
                try ParquetValues.hybrid(
                    UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), count: count))
        case .deltaBinaryPacked where type == .int32 || type == .int64:
            let (numbers, _) = try ParquetValues.deltaBinaryPacked(bytes, limit: count)
            guard numbers.count >= count else { throw Failure(message: "\(numbers.count) values for \(count)") }
            return .integers(
                type == .int32
                    ? numbers.prefix(count).map { Int64(Int32(truncatingIfNeeded: $0)) } : Array(numbers.prefix(count)))
        case .deltaLengthByteArray where type == .byteArray:
            return try ParquetValues.deltaLengthByteArray(bytes, count: count)
        case .deltaByteArray where type == .byteArray || type == .fixedLenByteArray:
            return try ParquetValues.deltaByteArray(bytes, count: count)
        case .byteStreamSplit:
            return try ParquetValues.byteStreamSplit(bytes, type: type, typeLength: typeLength, count: count)
        case .rle where type == .boolean:
            guard bytes.count >= 4 else { throw Failure(message: "the boolean run lengths are cut off") }
            let bits = try ParquetValues.hybrid(
                UnsafeRawBufferPointer(rebasing: bytes[4...]), bitWidth: 1, count: count)
            return .booleans(bits.map { $0 == 1 })
        default:
            throw Failure(
                message: "its values use encoding \(encoding), which this evalgate does not read yet",
                fix: "write the file with PLAIN or dictionary encoding (pyarrow's default)")
        }
    }
}
