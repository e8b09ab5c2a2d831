import CZlib

/// One column chunk of one row group: its pages, in order, decompressed
/// and decoded to one text value (or nil for null) per row.
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
        switch (element.logical, element.convertedType) {
        case (5, _), (nil, 5?):
            let scale = Int(element.logicalScale ?? element.scale)
            return ParquetRender(
                kind: element.type == .fixedLenByteArray || element.type == .byteArray
                    ? .bigEndianDecimal(scale: scale) : .decimal(scale: scale))
        case (6, _), (nil, 6?): return ParquetRender(kind: .date)
        case (8, _):
            let perSecond: Int64 = element.timeUnit == 1 ? 1000 : element.timeUnit == 2 ? 1_000_000 : 1_000_000_000
            return ParquetRender(kind: .timestamp(unitsPerSecond: perSecond))
        case (nil, 9?): return ParquetRender(kind: .timestamp(unitsPerSecond: 1000))
        case (nil, 10?): return ParquetRender(kind: .timestamp(unitsPerSecond: 1_000_000))
        case (nil, 11?), (nil, 12?), (nil, 13?): return ParquetRender(kind: .unsigned32)
        case (nil, 14?): return ParquetRender(kind: .unsigned64)
        default: return ParquetRender(kind: .plain)
        }
    }

    func decode() throws(Failure) -> [String?] {
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
        var dictionary: [String]?
        var values: [String?] = []
        guard rows >= 0 else { throw Failure(message: "the row group has \(rows) rows") }
        values.reserveCapacity(rows)
        var position = start
        var page = 0
        while values.count < rows {
            guard position < chunkEnd else {
                throw Failure(message: "the column chunk ends after \(values.count) of \(rows) rows")
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
                try read(data, header, codec, type: type, render: render, dictionary: &dictionary, into: &values)
            } catch let error as Failure {
                throw Failure(message: error.message, page: page, fix: error.fix)
            } catch let error as ParquetValues.Corrupt {
                throw Failure(message: error.message, page: page)
            } catch {
                throw Failure(message: "\(error)", page: page)
            }
            position = body + size
            page += 1
        }
        guard values.count == rows else {
            throw Failure(message: "the pages hold \(values.count) values for \(rows) rows")
        }
        return values
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
        render: ParquetRender, dictionary: inout [String]?, into values: inout [String?]
    ) throws {
        switch header.type {
        case 2:
            let plain = try inflate(data, codec, header)
            dictionary = try plain.withUnsafeBytes { (bytes) throws(ParquetValues.Corrupt) in
                try ParquetValues.plain(
                    bytes, type: type, typeLength: Int(leaf.element.typeLength), count: Int(header.valueCount),
                    render: render)
            }
        case 0, 3:
            values += try dataPage(
                data, header, codec, type: type, dictionary: dictionary, render: render, rowsLeft: rows - values.count)
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
        _ data: UnsafeRawBufferPointer, _ header: PageHeader, _ codec: ParquetCodec, type: ParquetType,
        dictionary: [String]?, render: ParquetRender, rowsLeft: Int
    ) throws -> [String?] {
        let count = Int(header.valueCount)
        guard count >= 0, count <= rowsLeft else {
            throw Failure(message: "a page of \(count) values where \(rowsLeft) rows are left")
        }
        var levels: [UInt32]?
        let payload: [UInt8]
        if header.type == 3 {
            let levelBytes = Int(header.definitionLength) + Int(header.repetitionLength)
            guard header.definitionLength >= 0, header.repetitionLength == 0, levelBytes <= data.count else {
                throw Failure(message: "the page's level lengths do not fit the page")
            }
            if leaf.optional {
                levels = try ParquetValues.hybrid(
                    UnsafeRawBufferPointer(rebasing: data[Int(header.repetitionLength)..<levelBytes]), bitWidth: 1,
                    count: count)
            }
            let rest = UnsafeRawBufferPointer(rebasing: data[levelBytes...])
            var valuesHeader = header
            valuesHeader.uncompressedSize -= Int32(levelBytes)
            payload =
                header.isCompressed && codec != .uncompressed ? try inflate(rest, codec, valuesHeader) : [UInt8](rest)
        } else {
            let page = try inflate(data, codec, header)
            var offset = 0
            if leaf.optional {
                guard page.count >= 4 else { throw Failure(message: "the definition levels are cut off") }
                let length = Int(page.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
                guard length <= page.count - 4 else {
                    throw Failure(message: "the definition levels run past the page")
                }
                levels = try page.withUnsafeBytes { (bytes) throws(ParquetValues.Corrupt) in
                    try ParquetValues.hybrid(
                        UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)]), bitWidth: 1, count: count)
                }
                offset = 4 + length
            }
            payload = Array(page[offset...])
        }
        if let high = levels?.first(where: { $0 > 1 }) {
            throw Failure(message: "a definition level of \(high), above the flat column's maximum of 1")
        }
        let present = levels.map { $0.reduce(0) { $0 + Int($1) } } ?? count
        let decoded = try payload.withUnsafeBytes { (bytes) throws -> [String] in
            try values(
                bytes, encoding: header.encoding, type: type, count: present, dictionary: dictionary, render: render)
        }
        guard decoded.count == present else {
            throw Failure(message: "the page holds \(decoded.count) values where its levels say \(present)")
        }
        guard let levels else { return decoded }
        return Self.spread(decoded, over: levels)
    }

    /// The present values at level 1, nil at level 0.
    static func spread(_ decoded: [String], over levels: [UInt32]) -> [String?] {
        var out: [String?] = []
        out.reserveCapacity(levels.count)
        var next = 0
        for level in levels {
            if level == 1 {
                out.append(decoded[next])
                next += 1
            } else {
                out.append(nil)
            }
        }
        return out
    }

    private func values(
        _ bytes: UnsafeRawBufferPointer, encoding: Int32, type: ParquetType, count: Int, dictionary: [String]?,
        render: ParquetRender
    ) throws -> [String] {
        switch ParquetEncoding(rawValue: encoding) {
        case .plain:
            return try ParquetValues.plain(
                bytes, type: type, typeLength: Int(leaf.element.typeLength), count: count, render: render)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw Failure(message: "dictionary indices without a dictionary page") }
            guard let width = bytes.first else {
                guard count == 0 else { throw Failure(message: "the page has no dictionary indices") }
                return []
            }
            let indices = try ParquetValues.hybrid(
                UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), count: count)
            return try indices.map { (index) throws(Failure) in
                guard Int(index) < dictionary.count else {
                    throw Failure(message: "dictionary index \(index) is out of range (\(dictionary.count) entries)")
                }
                return dictionary[Int(index)]
            }
        case .deltaBinaryPacked where type == .int32 || type == .int64:
            let (numbers, _) = try ParquetValues.deltaBinaryPacked(bytes, limit: count)
            guard numbers.count >= count else { throw Failure(message: "\(numbers.count) values for \(count)") }
            return numbers.prefix(count).map {
                type == .int32 ? render.integer(Int64(Int32(truncatingIfNeeded: $0))) : render.integer($0)
            }
        case .deltaLengthByteArray where type == .byteArray:
            return try ParquetValues.deltaLengthByteArray(bytes, count: count, render: render)
        case .deltaByteArray where type == .byteArray || type == .fixedLenByteArray:
            return try ParquetValues.deltaByteArray(bytes, count: count, render: render)
        case .byteStreamSplit:
            return try ParquetValues.byteStreamSplit(
                bytes, type: type, typeLength: Int(leaf.element.typeLength), count: count, render: render)
        case .rle where type == .boolean:
            guard bytes.count >= 4 else { throw Failure(message: "the boolean run lengths are cut off") }
            let bits = try ParquetValues.hybrid(
                UnsafeRawBufferPointer(rebasing: bytes[4...]), bitWidth: 1, count: count)
            return bits.map { $0 == 1 ? "true" : "false" }
        default:
            throw Failure(
                message: "its values use encoding \(encoding), which this evalgate does not read yet",
                fix: "write the file with PLAIN or dictionary encoding (pyarrow's default)")
        }
    }
}
