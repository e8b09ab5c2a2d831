import Foundation
import Testing

@testable import EvalGateCore

/// The Parquet reader's pieces on known bytes: snappy (vectors compressed
/// by pyarrow 25's `pa.compress(codec="snappy")`), the RLE/bit-packed
/// hybrid (parquet-format's Encodings.md), Thrift's compact protocol, and
/// timestamps; and corrupt input refused, never trapped.
struct ParquetDecoderTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func snappyMatchesPyarrow() throws {
        let short = Self.bytes("4b08616263b2030020206576616c67617465460900")
        let text = Array("abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc evalgate evalgate evalgate".utf8)
        #expect(try short.withUnsafeBytes { try Snappy.decompress($0, expected: 75) } == text)
        let run = Self.bytes("640061fe01008a0100")
        #expect(
            try run.withUnsafeBytes { try Snappy.decompress($0, expected: 100) } == Array(repeating: 97, count: 100))
    }

    @Test(arguments: [
        ("4b08616263b2030020206576616c67617465460900", 74, "the page header says 74"),
        ("4b08616263b20300", 75, "decompresses to"),
        ("4b08616263b2ff00", 75, "back-reference points outside"),
        ("ff", 75, "ends early"),
    ])
    func corruptSnappyIsRefused(hex: String, expected: Int, words: String) {
        let data = Self.bytes(hex)
        #expect {
            try data.withUnsafeBytes { try Snappy.decompress($0, expected: expected) }
        } throws: { error in
            (error as? Snappy.Corrupt)?.message.contains(words) == true
        }
    }

    /// Encodings.md's example: the values 0..7 bit-packed at width 3, then a
    /// run of eight 1s.
    @Test func theHybridReadsBitPackedGroupsAndRuns() throws {
        let data: [UInt8] = [0x03, 0x88, 0xC6, 0xFA, 0x10, 0x01]
        let values = try data.withUnsafeBytes { try ParquetValues.hybrid($0, bitWidth: 3, count: 16) }
        #expect(values == [0, 1, 2, 3, 4, 5, 6, 7, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(throws: ParquetValues.Corrupt.self) {
            try [UInt8]([0x03, 0x88]).withUnsafeBytes { try ParquetValues.hybrid($0, bitWidth: 3, count: 8) }
        }
    }

    /// A PageHeader as the compact protocol writes it: type 0, sizes 10 and
    /// 8, a data page header with 4 values in encoding 8.
    @Test func thriftReadsAPageHeaderAndSkipsWhatItDoesNotKnow() throws {
        let data: [UInt8] = [
            0x15, 0x00, 0x15, 0x14, 0x15, 0x10, 0x2C, 0x15, 0x08, 0x15, 0x10, 0x00,
            0x18, 0x03, 0x61, 0x62, 0x63,  // field 14 (unknown): a string, skipped
            0x00,
        ]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: data)
        var reader = ThriftReader(UnsafeRawBufferPointer(buffer))
        let header = try reader.pageHeader()
        #expect(header.type == 0 && header.uncompressedSize == 10 && header.compressedSize == 8)
        #expect(header.valueCount == 4 && header.encoding == 8)
        var cut = ThriftReader(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<1]))
        #expect(throws: ThriftError.self) { try cut.pageHeader() }
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (1_709_296_496_789_000_000, "2024-03-01T12:34:56.789Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"), (951_782_400_000_000_000, "2000-02-29T00:00:00Z"),
    ])
    func timestampsAreISO8601(nanos: Int64, text: String) {
        #expect(ParquetRender.timestamp(nanosSinceEpoch: nanos) == text)
    }

    @Test func notParquetAndCutShortAreOneSentence() {
        #expect {
            try ParquetReader.read(file: "x.parquet", bytes: Array("id,score\n".utf8), columns: ["id"])
        } throws: { error in
            (error as? EvalGateError)?.description
                == "x.parquet: is not a Parquet file (it does not start with PAR1); write the file again, or check how it was copied"
        }
        #expect {
            try ParquetReader.read(
                file: "x.parquet", bytes: Array("PAR1\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}PAR".utf8), columns: ["id"])
        } throws: { error in
            (error as? EvalGateError)?.exitCode == 3
        }
    }

    /// Every input the Parquet fuzz target ever crashed on is an error now.
    @Test func fuzzRegressionsAreErrorsNotCrashes() throws {
        let folder = "\(repoRoot)/Fuzz/regressions/parquet"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)")))
            guard let probe = try? ParquetReader.read(file: name, bytes: bytes, columns: []) else { continue }
            #expect(throws: EvalGateError.self) {
                try ParquetReader.read(file: name, bytes: bytes, columns: probe.header)
            }
        }
    }
}
