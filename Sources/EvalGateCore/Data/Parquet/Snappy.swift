/// Snappy's raw format (google/snappy, format_description.txt), the codec
/// pyarrow and Spark write by default: a varint length, then literals and
/// back-references. Every length and offset is checked against both
/// buffers, so a corrupt page is an error, never an out-of-bounds copy.
package enum Snappy {
    package struct Corrupt: Error {
        package var message: String
    }

    /// Kept whole: one loop over the tags, each case a few lines; split, the
    /// cursor and the output would have to travel between functions.
    package static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(Corrupt) -> [UInt8] {
        var position = 0
        func byte() throws(Corrupt) -> Int {
            guard position < input.count else { throw Corrupt(message: "the compressed data ends early") }
            defer { position += 1 }
            return Int(input[position])
        }
        var length = 0
        var shift = 0
        while true {
            let b = try byte()
            length |= (b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            guard shift <= 28 else { throw Corrupt(message: "the length header is too long") }
        }
        guard length == expected else {
            throw Corrupt(message: "it holds \(length) bytes but the page header says \(expected)")
        }
        var output = [UInt8](repeating: 0, count: length)
        var written = 0
        try output.withUnsafeMutableBufferPointer { (out) throws(Corrupt) in
            while position < input.count {
                let tag = try byte()
                var count: Int
                switch tag & 3 {
                case 0:
                    count = tag >> 2
                    if count >= 60 {
                        let extra = count - 59
                        count = 0
                        for i in 0..<extra { count |= try byte() << (8 * i) }
                    }
                    count += 1
                    guard count <= input.count - position, count <= length - written else {
                        throw Corrupt(message: "a literal runs past the data")
                    }
                    let target = UnsafeMutableRawPointer(out.baseAddress! + written)
                    let source = input.baseAddress! + position
                    if count <= 16, written + 16 <= length, position + 16 <= input.count {
                        // Short literals (most of them): two word copies, no call.
                        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                        target.storeBytes(
                            of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8,
                            as: UInt64.self)
                    } else {
                        target.copyMemory(from: source, byteCount: count)
                    }
                    position += count
                    written += count
                    continue
                case 1:
                    count = 4 + ((tag >> 2) & 7)
                    let offset = ((tag >> 5) << 8) | (try byte())
                    try copy(offset, count)
                case 2:
                    count = (tag >> 2) + 1
                    let offset = try byte() | (try byte() << 8)
                    try copy(offset, count)
                default:
                    count = (tag >> 2) + 1
                    var offset = 0
                    for i in 0..<4 { offset |= try byte() << (8 * i) }
                    try copy(offset, count)
                }
            }
            func copy(_ offset: Int, _ count: Int) throws(Corrupt) {
                guard offset > 0, offset <= written, count <= length - written else {
                    throw Corrupt(message: "a back-reference points outside the data")
                }
                let base = out.baseAddress!
                if offset >= 8, count <= 16, written + 16 <= length {
                    // Short copies (most of them) eight bytes at a time; eight back is never ahead of the writing.
                    let target = UnsafeMutableRawPointer(base + written)
                    let source = UnsafeRawPointer(base + written - offset)
                    target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    target.storeBytes(
                        of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                } else if offset >= count {
                    UnsafeMutableRawPointer(base + written).copyMemory(from: base + written - offset, byteCount: count)
                } else {
                    // Byte by byte: the copy overlaps the bytes it is writing (a run).
                    for i in 0..<count { base[written + i] = base[written - offset + i] }
                }
                written += count
            }
        }
        guard written == length else { throw Corrupt(message: "it decompresses to \(written) of \(length) bytes") }
        return output
    }
}
