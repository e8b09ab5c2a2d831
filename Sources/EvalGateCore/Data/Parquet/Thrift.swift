/// Thrift's compact protocol, as Parquet's footer and page headers use it:
/// a reader over a byte slice that decodes fields one at a time and skips
/// the ones it does not need. Every read is bounds-checked; running off the
/// end or meeting a type that cannot be there is `ThriftError`, never a trap.
struct ThriftError: Error {
    var message: String
}

struct ThriftReader {
    enum FieldType: UInt8 {
        case stop = 0
        case boolTrue = 1
        case boolFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case
            list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    let bytes: UnsafeRawBufferPointer
    var position: Int
    /// Nesting left before a structure is refused (a crafted file could nest without end).
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func byte() throws(ThriftError) -> UInt8 {
        guard position < bytes.count else { throw ThriftError(message: "the metadata ends in the middle of a value") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ThriftError(message: "a variable-length integer is longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws(ThriftError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws(ThriftError) -> Int32 {
        let v = try zigzag()
        guard let narrow = Int32(exactly: v) else { throw ThriftError(message: "a 32-bit field holds \(v)") }
        return narrow
    }

    mutating func i64() throws(ThriftError) -> Int64 { try zigzag() }

    mutating func double() throws(ThriftError) -> Double {
        guard position + 8 <= bytes.count else { throw ThriftError(message: "the metadata ends in a double") }
        defer { position += 8 }
        return Double(bitPattern: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func binary() throws(ThriftError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else {
            throw ThriftError(message: "a string of \(length) bytes runs past the metadata")
        }
        defer { position += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Int(length))])
    }

    mutating func string() throws(ThriftError) -> String { String(decoding: try binary(), as: UTF8.self) }

    /// The next field's id and type, or nil at the end of the structure.
    mutating func field(after previous: inout Int16) throws(ThriftError) -> (id: Int16, type: FieldType)? {
        let header = try byte()
        guard let type = FieldType(rawValue: header & 0x0F) else {
            throw ThriftError(message: "field type \(header & 0x0F) is not a Thrift type")
        }
        if type == .stop { return nil }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta != 0 {
            id = previous &+ delta
        } else {
            let wide = try zigzag()
            guard let narrow = Int16(exactly: wide) else { throw ThriftError(message: "a field id is \(wide)") }
            id = narrow
        }
        previous = id
        return (id, type)
    }

    /// A list's element type and count.
    mutating func listHeader() throws(ThriftError) -> (type: FieldType, count: Int) {
        let header = try byte()
        guard let type = FieldType(rawValue: header & 0x0F) else {
            throw ThriftError(message: "list element type \(header & 0x0F) is not a Thrift type")
        }
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        // Each element takes at least one byte: a count past the end is corrupt.
        guard count <= UInt64(bytes.count - position) else {
            throw ThriftError(message: "a list of \(count) elements runs past the metadata")
        }
        return (type, Int(count))
    }

    /// Reads a boolean field's value (compact protocol keeps it in the type).
    func bool(_ type: FieldType) -> Bool { type == .boolTrue }

    /// Skips one value of `type`.
    mutating func skip(_ type: FieldType) throws(ThriftError) {
        switch type {
        case .stop: throw ThriftError(message: "a stop where a value was expected")
        case .boolTrue, .boolFalse: return
        case .byte: position += 1
        case .i16, .i32, .i64: _ = try varint()
        case .double: position += 8
        case .binary: _ = try binary()
        case .list, .set:
            let (element, count) = try listHeader()
            for _ in 0..<count {
                if element == .boolTrue || element == .boolFalse { position += 1 } else { try skip(element) }
            }
        case .map:
            let count = try varint()
            guard count > 0 else { return }
            guard count <= UInt64(bytes.count - position) else {
                throw ThriftError(message: "a map runs past the metadata")
            }
            let kinds = try byte()
            guard let key = FieldType(rawValue: kinds >> 4), let value = FieldType(rawValue: kinds & 0x0F) else {
                throw ThriftError(message: "a map names a type that is not a Thrift type")
            }
            for _ in 0..<count {
                try skip(key)
                try skip(value)
            }
        case .structure:
            try structure { (reader: inout ThriftReader, _, type) throws(ThriftError) in try reader.skip(type) }
        }
        guard position <= bytes.count else { throw ThriftError(message: "the metadata ends in the middle of a value") }
    }

    /// Reads a structure, handing each field to `body`, which must consume
    /// (or skip) the value.
    mutating func structure(
        _ body: (inout ThriftReader, Int16, FieldType) throws(ThriftError) -> Void
    ) throws(ThriftError) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 32 else { throw ThriftError(message: "structures nest more than 32 deep") }
        var previous: Int16 = 0
        while let (id, type) = try field(after: &previous) { try body(&self, id, type) }
    }

    /// A list of structures.
    mutating func list<T>(_ element: (inout ThriftReader) throws(ThriftError) -> T) throws(ThriftError) -> [T] {
        let (_, count) = try listHeader()
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }
}
