import Foundation

/// UTF-8 validation for everything evalgate reads (SPEC.md section 4: data
/// files are UTF-8). A Latin-1 export read as UTF-8 would silently turn
/// `café` into another slice than the one the gate names, so invalid bytes
/// are refused with their position, never repaired.
package enum UTF8Check {
    /// The hint every message ends with.
    package static func fix(_ file: String) -> String {
        "re-export it as UTF-8, e.g. iconv -f latin1 -t utf-8 \(file) > utf8-\((file as NSString).lastPathComponent)"
    }

    /// Offset of the first byte of `bytes[range]` that is not part of a
    /// well-formed UTF-8 sequence (Unicode Table 3-7: no overlongs, no
    /// surrogates, nothing above U+10FFFF), or nil when all of it is valid.
    /// ASCII is skipped 32 bytes at a time, so valid text costs one pass of
    /// word loads and ORs.
    package static func firstInvalid(_ buffer: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
        guard let base = buffer.baseAddress, !range.isEmpty else { return nil }
        var i = range.lowerBound
        let end = range.upperBound
        let high: UInt64 = 0x8080_8080_8080_8080
        while i < end {
            if i + 32 <= end {
                let raw = UnsafeRawPointer(base + i)
                let word =
                    raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if word & high == 0 {
                    i += 32
                    continue
                }
            }
            // Byte by byte through this block (a sequence may run past it).
            let blockEnd = min(i + 32, end)
            while i < blockEnd {
                let length = sequenceLength(base, at: i, end: end)
                if length == 0 { return i }
                i += length
            }
        }
        return nil
    }

    package static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalid($0, in: 0..<$0.count) }
    }

    /// Length of the well-formed sequence starting at `i`, or 0.
    @inline(__always)
    private static func sequenceLength(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
        let lead = p[i]
        if lead < 0x80 { return 1 }
        func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + k < end && p[i + k] >= low && p[i + k] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Where invalid bytes are: line and byte column (1-based), the offset,
    /// and the offending sequence as hex ("0xE9", "0xC0 0xAF").
    package struct Finding: Sendable {
        package var offset: Int
        package var line: Int
        package var column: Int
        package var shown: String
        /// The encoding a byte-order mark at the start names (UTF-16 or
        /// UTF-32, as Excel's "Unicode text" writes), when there is one.
        package var encoding: String? = nil
    }

    /// UTF-32 first: its little-endian mark begins like UTF-16's.
    static let byteOrderMarks: [(bytes: [UInt8], encoding: String)] = [
        ([0xFF, 0xFE, 0x00, 0x00], "UTF-32LE"), ([0x00, 0x00, 0xFE, 0xFF], "UTF-32BE"),
        ([0xFF, 0xFE], "UTF-16LE"), ([0xFE, 0xFF], "UTF-16BE"),
    ]

    package static func locate(_ bytes: [UInt8], offset: Int) -> Finding {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        // The first byte and the continuation bytes after it.
        var end = offset + 1
        while end < min(offset + 4, bytes.count), bytes[end] & 0xC0 == 0x80 { end += 1 }
        let shown = bytes[offset..<end].map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(2) }.joined(
            separator: " ")
        let encoding = offset < 4 ? byteOrderMarks.first { bytes.starts(with: $0.bytes) }?.encoding : nil
        return Finding(
            offset: offset, line: line, column: offset - lineStart + 1, shown: shown, encoding: encoding)
    }

    /// The data error for a data file: `place` says where ("line 3, column 'm'").
    package static func dataError(file: String, place: String, _ finding: Finding) -> EvalGateError {
        if let encoding = finding.encoding {
            return EvalGateError(
                .data, at: .init(file: file),
                "is \(encoding) text (it starts with that byte-order mark), and evalgate reads UTF-8 only",
                fix: """
                    convert it, e.g. iconv -f \(encoding) -t UTF-8 \(file) > \
                    utf8-\((file as NSString).lastPathComponent), or save it as "CSV UTF-8"
                    """)
        }
        return EvalGateError(
            .data, at: .init(file: file, byteOffset: finding.offset),
            """
            \(place), byte offset \(finding.offset): the bytes \(finding.shown) are not valid UTF-8 (evalgate \
            reads UTF-8 only)
            """,
            fix: fix(file))
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
