/// The parts of Parquet's footer and page headers a flat table needs
/// (apache/parquet-format, parquet.thrift); the rest is skipped.
enum ParquetType: Int32 {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

enum ParquetCodec: Int32 {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4 (the legacy Hadoop framing)"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }
}

enum ParquetEncoding: Int32 {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case
        deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

struct SchemaElement {
    var name = ""
    var type: ParquetType?
    var typeLength: Int32 = 0
    /// 0 required, 1 optional, 2 repeated.
    var repetition: Int32 = 0
    var children: Int32 = 0
    var convertedType: Int32?
    var scale: Int32 = 0
    /// The logical type's union field id (STRING 1, ..., DECIMAL 5, DATE 6,
    /// TIME 7, TIMESTAMP 8, INTEGER 10, ...) and, for time units, 1 ms,
    /// 2 us, 3 ns; for INTEGER, its width and signedness.
    var logical: Int16?
    var timeUnit: Int16?
    var logicalScale: Int32?
    var integerWidth: Int8?
    var integerSigned: Bool?
}

extension SchemaElement {
    /// A TIME or TIMESTAMP's units per second (MILLIS 1, MICROS 2, NANOS 3).
    var unitsPerSecond: Int64 { timeUnit == 1 ? 1000 : timeUnit == 2 ? 1_000_000 : 1_000_000_000 }
}

struct ColumnMeta {
    var type: ParquetType?
    var path: [String] = []
    var codec: Int32 = 0
    var valueCount: Int64 = 0
    var compressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
}

struct RowGroupMeta {
    var columns: [ColumnMeta] = []
    var rowCount: Int64 = 0
    /// A column chunk names a file of its own or is encrypted.
    var unsupported: String?
}

struct FileMeta {
    var schema: [SchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [RowGroupMeta] = []
    var encrypted = false
}

struct PageHeader {
    /// 0 data page, 1 index page, 2 dictionary page, 3 data page v2.
    var type: Int32 = 0
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    var crc: Int32?
    var valueCount: Int32 = 0
    var encoding: Int32 = 0
    /// v2: the levels' byte lengths, and whether the values are compressed.
    var definitionLength: Int32 = 0
    var repetitionLength: Int32 = 0
    var nullCount: Int32 = 0
    var rowCount: Int32 = 0
    var isCompressed = true
}

extension ThriftReader {
    mutating func fileMeta() throws(ThriftError) -> FileMeta {
        var meta = FileMeta()
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (2, .list):
                meta.schema = try r.list { (r: inout ThriftReader) throws(ThriftError) in try r.schemaElement() }
            case (3, .i64): meta.rowCount = try r.i64()
            case (4, .list):
                meta.rowGroups = try r.list { (r: inout ThriftReader) throws(ThriftError) in try r.rowGroup() }
            case (8, .structure):
                meta.encrypted = true
                try r.skip(type)
            default: try r.skip(type)
            }
        }
        return meta
    }

    mutating func schemaElement() throws(ThriftError) -> SchemaElement {
        var element = SchemaElement()
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (1, .i32): element.type = ParquetType(rawValue: try r.i32())
            case (2, .i32): element.typeLength = try r.i32()
            case (3, .i32): element.repetition = try r.i32()
            case (4, .binary): element.name = try r.string()
            case (5, .i32): element.children = try r.i32()
            case (6, .i32): element.convertedType = try r.i32()
            case (7, .i32): element.scale = try r.i32()
            case (10, .structure): try r.logicalType(into: &element)
            default: try r.skip(type)
            }
        }
        return element
    }

    /// LogicalType is a union: one field set, itself a structure.
    mutating func logicalType(into element: inout SchemaElement) throws(ThriftError) {
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            element.logical = id
            guard type == .structure else { return try r.skip(type) }
            try r.structure { (r: inout ThriftReader, inner, innerType) throws(ThriftError) in
                switch (id, inner, innerType) {
                case (5, 1, .i32): element.logicalScale = try r.i32()  // DECIMAL scale
                case (10, 1, .byte): element.integerWidth = Int8(bitPattern: try r.byte())  // INTEGER width
                case (10, 2, .boolTrue), (10, 2, .boolFalse): element.integerSigned = r.bool(innerType)
                case (7, 2, .structure), (8, 2, .structure):  // TIME / TIMESTAMP unit
                    try r.structure { (r: inout ThriftReader, unit, unitType) throws(ThriftError) in
                        element.timeUnit = unit
                        try r.skip(unitType)
                    }
                default: try r.skip(innerType)
                }
            }
        }
    }

    mutating func rowGroup() throws(ThriftError) -> RowGroupMeta {
        var group = RowGroupMeta()
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (1, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count {
                    let (column, unsupported) = try r.columnChunk()
                    group.columns.append(column)
                    if let unsupported { group.unsupported = unsupported }
                }
            case (3, .i64): group.rowCount = try r.i64()
            default: try r.skip(type)
            }
        }
        return group
    }

    mutating func columnChunk() throws(ThriftError) -> (ColumnMeta, String?) {
        var column = ColumnMeta()
        var unsupported: String?
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (1, .binary):
                let path = try r.string()
                if !path.isEmpty { unsupported = "its column chunks live in another file (\(path))" }
            case (3, .structure): column = try r.columnMeta()
            case (8, .structure), (9, .binary):
                unsupported = "it is encrypted"
                try r.skip(type)
            default: try r.skip(type)
            }
        }
        return (column, unsupported)
    }

    mutating func columnMeta() throws(ThriftError) -> ColumnMeta {
        var meta = ColumnMeta()
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (1, .i32): meta.type = ParquetType(rawValue: try r.i32())
            case (3, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count { meta.path.append(try r.string()) }
            case (4, .i32): meta.codec = try r.i32()
            case (5, .i64): meta.valueCount = try r.i64()
            case (7, .i64): meta.compressedSize = try r.i64()
            case (9, .i64): meta.dataPageOffset = try r.i64()
            case (11, .i64): meta.dictionaryPageOffset = try r.i64()
            default: try r.skip(type)
            }
        }
        return meta
    }

    mutating func pageHeader() throws(ThriftError) -> PageHeader {
        var header = PageHeader()
        try structure { (r: inout ThriftReader, id, type) throws(ThriftError) in
            switch (id, type) {
            case (1, .i32): header.type = try r.i32()
            case (2, .i32): header.uncompressedSize = try r.i32()
            case (3, .i32): header.compressedSize = try r.i32()
            case (4, .i32): header.crc = try r.i32()
            case (5, .structure), (7, .structure):  // data page v1, dictionary page
                try r.structure { (r: inout ThriftReader, field, fieldType) throws(ThriftError) in
                    switch (field, fieldType) {
                    case (1, .i32): header.valueCount = try r.i32()
                    case (2, .i32): header.encoding = try r.i32()
                    default: try r.skip(fieldType)
                    }
                }
            case (8, .structure):  // data page v2
                try r.structure { (r: inout ThriftReader, field, fieldType) throws(ThriftError) in
                    switch (field, fieldType) {
                    case (1, .i32): header.valueCount = try r.i32()
                    case (2, .i32): header.nullCount = try r.i32()
                    case (3, .i32): header.rowCount = try r.i32()
                    case (4, .i32): header.encoding = try r.i32()
                    case (5, .i32): header.definitionLength = try r.i32()
                    case (6, .i32): header.repetitionLength = try r.i32()
                    case (7, .boolTrue), (7, .boolFalse): header.isCompressed = r.bool(fieldType)
                    default: try r.skip(fieldType)
                    }
                }
            default: try r.skip(type)
            }
        }
        return header
    }
}
