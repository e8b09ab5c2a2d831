/// Snappy's raw format (google/snappy, format_description.txt), the codec
/// pyarrow and Spark write by default: a varint length, then literals and
/// back-references. Every length and offset is checked against both
/// buffers, so a corrupt page is an error, never an out-of-bounds copy.
package enum Snappy {
    package struct Corrupt: Error {
        package var message: String
    }

    package static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(Corrupt) -> [UInt8] {
        var position = 0
        var length = 0
        var shift = 0
        while true {
            guard position < input.count else { throw Corrupt(message: "the compressed data ends early") }
            let b = Int(input[position])
            position += 1
            length |= (b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            guard shift <= 28 else { throw Corrupt(message: "the length header is too long") }
        }
        guard length == expected else {
            throw Corrupt(message: "it holds \(length) bytes but the page header says \(expected)")
        }
        var output = [UInt8](repeating: 0, count: length)
        let failure = output.withUnsafeMutableBytes { decode(input, from: position, into: $0) }
        if let failure { throw Corrupt(message: failure) }
        return output
    }

    /// The tags from `start` on, into `out`; what is wrong, or nil.
    private static func decode(
        _ input: UnsafeRawBufferPointer, from start: Int, into out: UnsafeMutableRawBufferPointer
    ) -> String? {
        guard let source = input.baseAddress, let target = out.baseAddress else {
            return start < input.count || !out.isEmpty ? "the data does not hold its \(out.count) bytes" : nil
        }
        let end = input.count
        let length = out.count
        var p = start
        var written = 0
        while p < end {
            let tag = Int(source.load(fromByteOffset: p, as: UInt8.self))
            p += 1
            var count: Int
            var offset: Int
            switch tag & 3 {
            case 0:
                count = tag >> 2
                if count >= 60 {
                    let extra = count - 59
                    guard extra <= end - p else { return "the compressed data ends early" }
                    count = 0
                    for i in 0..<extra { count |= Int(source.load(fromByteOffset: p + i, as: UInt8.self)) << (8 * i) }
                    p += extra
                }
                count += 1
                guard count <= end - p, count <= length - written else { return "a literal runs past the data" }
                // Short literals (most of them) as two word copies where both buffers have room.
                copy(from: source + p, to: target + written, count, wide: written + 16 <= length && p + 16 <= end)
                p += count
                written += count
                continue
            case 1:
                guard p < end else { return "the compressed data ends early" }
                count = 4 + ((tag >> 2) & 7)
                offset = ((tag >> 5) << 8) | Int(source.load(fromByteOffset: p, as: UInt8.self))
                p += 1
            case 2:
                guard p + 2 <= end else { return "the compressed data ends early" }
                count = (tag >> 2) + 1
                offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: p, as: UInt16.self)))
                p += 2
            default:
                guard p + 4 <= end else { return "the compressed data ends early" }
                count = (tag >> 2) + 1
                offset = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                p += 4
            }
            guard offset > 0, offset <= written, count <= length - written else {
                return "a back-reference points outside the data"
            }
            if offset >= 8 {
                // Eight bytes back is never ahead of the writing, so word copies are safe.
                copy(from: target + written - offset, to: target + written, count, wide: written + 16 <= length)
            } else {
                // Byte by byte: the copy overlaps the bytes it is writing (a run).
                let bytes = target.assumingMemoryBound(to: UInt8.self)
                for i in 0..<count { bytes[written + i] = bytes[written - offset + i] }
            }
            written += count
        }
        return written == length ? nil : "it decompresses to \(written) of \(length) bytes"
    }

    /// `count` bytes; up to 16 as two eight-byte words when `wide` says
    /// both sides have 16 bytes of room (the extra bytes are rewritten later).
    @inline(__always)
    private static func copy(
        from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, _ count: Int, wide: Bool
    ) {
        if count <= 16, wide {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(
                of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else if source + count <= target || target + count <= source {
            target.copyMemory(from: source, byteCount: count)
        } else {
            // An overlapping back-reference longer than 16 bytes: byte by byte, in order.
            let from = source.assumingMemoryBound(to: UInt8.self)
            let to = target.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { to[i] = from[i] }
        }
    }
}
