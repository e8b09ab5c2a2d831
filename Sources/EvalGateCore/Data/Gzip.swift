import CZlib

/// Inflates gzip data (several concatenated members allowed) with zlib.
enum Gzip {
    struct Failure: Error {
        var message: String
    }

    static func inflate(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 4)
        var stream = z_stream()
        // 15 + 32: zlib or gzip header, detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(message: "cannot start the gzip decoder")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var consumed = 0
        var failure: Failure?
        input.withUnsafeBufferPointer { source in
            while consumed < source.count {
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)
                stream.avail_in = UInt32(min(source.count - consumed, Int(UInt32.max)))
                var status: Int32 = Z_OK
                repeat {
                    let before = stream.avail_in
                    chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                    }
                    consumed += Int(before - stream.avail_in)
                    if status == Z_BUF_ERROR, stream.avail_in == 0 { break }
                } while status == Z_OK
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if consumed < source.count, inflateReset(&stream) != Z_OK {
                        failure = Failure(message: "cannot restart the gzip decoder")
                        return
                    }
                    continue
                }
                if status == Z_BUF_ERROR, consumed >= source.count {
                    failure = Failure(message: "the gzip data ends early (truncated file)")
                    return
                }
                let detail = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                failure = Failure(message: "the gzip data is corrupt (\(detail))")
                return
            }
        }
        if let failure { throw failure }
        return output
    }
}
