import CLz4

/// LZ4_RAW pages (the LZ4 block format, without Hadoop's framing), through
/// Debian's liblz4; the block must fill exactly the page header's size.
enum Lz4 {
    struct Corrupt: Error {
        var message: String
    }

    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(Corrupt) -> [UInt8] {
        guard expected <= Int(Int32.max), input.count <= Int(Int32.max) else {
            throw Corrupt(message: "a page of \(expected) bytes is more than LZ4 blocks hold")
        }
        var output = [UInt8](repeating: 0, count: expected)
        let written = output.withUnsafeMutableBytes { out in
            LZ4_decompress_safe(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                out.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(expected))
        }
        guard written >= 0 else { throw Corrupt(message: "the block is corrupt") }
        guard Int(written) == expected else {
            throw Corrupt(message: "it decompresses to \(written) bytes, the header says \(expected)")
        }
        return output
    }
}
