import CZstd

/// ZSTD pages (Polars' default codec, pyarrow's compression="zstd"), through
/// Debian's libzstd. The frame must decompress to exactly the page header's
/// size; anything else is corrupt.
enum Zstd {
    struct Corrupt: Error {
        var message: String
    }

    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(Corrupt) -> [UInt8] {
        guard let source = input.baseAddress, input.count > 0 else { throw Corrupt(message: "the page is empty") }
        var output = [UInt8](repeating: 0, count: expected)
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_decompress(out.baseAddress, expected, source, input.count)
        }
        if ZSTD_isError(written) != 0 {
            throw Corrupt(message: String(cString: ZSTD_getErrorName(written)))
        }
        guard written == expected else {
            throw Corrupt(message: "it decompresses to \(written) bytes, the header says \(expected)")
        }
        return output
    }
}
