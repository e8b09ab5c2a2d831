import Foundation

/// Maps byte strings to dense integer codes (0, 1, 2, ... in order of first
/// appearance) with an open-addressing hash table over raw bytes. Used for
/// categorical columns (slicing, labels), where a `[String: Int]` would
/// allocate one String per row. (Row ids are joined by `KeyedRows`.)
///
/// Each slot holds the code, 24 bits of the hash, the key's length and its
/// first 8 bytes, so a probe for a key of up to 8 bytes touches one cache line.
struct ByteInterner {
    /// The bytes of every distinct key, back to back.
    private(set) var storage: [UInt8] = []
    /// Key `code` is `storage[starts[code]..<starts[code + 1]]`.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Slot]
    private var mask: Int

    private struct Slot {
        /// code + 1 in the low 32 bits (0 = empty), hash tag in bits 32..<56,
        /// min(length, 255) in bits 56..<64.
        var meta: UInt64 = 0
        /// The key's first 8 bytes, little-endian, zero-padded.
        var prefix: UInt64 = 0
    }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    var count: Int { hashes.count }

    func string(_ code: Int) -> String { String(decoding: storage[starts[code]..<starts[code + 1]], as: UTF8.self) }

    /// The code of the key, adding it if new.
    mutating func intern(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        let hash = ByteHash.hash(buffer, range)
        let (tag, prefix) = Self.tagAndPrefix(hash, buffer, range)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let meta = slots[slot].meta
            if meta == 0 { break }
            if meta >> 32 == tag, slots[slot].prefix == prefix {
                let code = Int(meta & 0xFFFF_FFFF) - 1
                if range.count <= 8 || equal(code, buffer, range) { return code }
            }
            slot = (slot + 1) & mask
        }
        let code = hashes.count
        storage.append(contentsOf: buffer[range])
        starts.append(storage.count)
        hashes.append(hash)
        slots[slot] = Slot(meta: tag << 32 | UInt64(code + 1), prefix: prefix)
        if hashes.count * 2 > slots.count { grow() }
        return code
    }

    /// Tag (hash bits and length) and the first 8 bytes of a key; keys of up
    /// to 8 bytes are fully identified by (length, prefix).
    @inline(__always)
    private static func tagAndPrefix(_ hash: UInt64, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (
        UInt64, UInt64
    ) {
        let prefix = ByteHash.word(buffer, range.lowerBound, min(range.count, 8))
        let tag = UInt64(min(range.count, 255)) << 24 | (hash >> 40)
        return (tag, prefix)
    }

    /// Where key `code`'s bytes are in `storage`.
    func keyRange(_ code: Int) -> Range<Int> { starts[code]..<starts[code + 1] }

    private func equal(_ code: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let start = starts[code]
        guard starts[code + 1] - start == range.count else { return false }
        return storage.withUnsafeBufferPointer { own in
            memcmp(own.baseAddress! + start, buffer.baseAddress! + range.lowerBound, range.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        mask = size - 1
        slots = [Slot](repeating: Slot(), count: size)
        for entry in old where entry.meta != 0 {
            let code = Int(entry.meta & 0xFFFF_FFFF) - 1
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot].meta != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

}

/// Hashing of byte strings, 8 bytes at a time. Shared by the interner
/// (categories) and the id join.
enum ByteHash {
    /// MurmurHash3's 64-bit finaliser: a bijection that mixes every bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        shiftsAndMultiplies(value, 0xff51_afd7_ed55_8ccd, 0xc4ce_b9fe_1a85_ec53)
    }

    /// The inverse of `mix`: the multipliers' inverses modulo 2^64, in
    /// reverse order (`h ^= h >> 33` undoes itself).
    static func unmix(_ value: UInt64) -> UInt64 {
        shiftsAndMultiplies(value, 0x9cb4_b2f8_1293_37db, 0x4f74_430c_22a5_4005)
    }

    @inline(__always)
    private static func shiftsAndMultiplies(_ value: UInt64, _ first: UInt64, _ second: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* first
        h ^= h >> 33
        h = h &* second
        h ^= h >> 33
        return h
    }

    /// Bytes `offset..<offset+count` (count <= 8) as a little-endian word,
    /// zero-padded: one unaligned load when 8 bytes are readable.
    @inline(__always)
    static func word(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> UInt64 {
        if offset + 8 <= buffer.count {
            let raw = UInt64(
                littleEndian: UnsafeRawPointer(buffer.baseAddress! + offset).loadUnaligned(as: UInt64.self))
            return count == 8 ? raw : raw & ((1 << (UInt64(count) * 8)) - 1)
        }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(buffer[offset + i]) << (UInt64(i) * 8) }
        return value
    }

    /// Keys of at most 8 bytes: the bijection of their bytes (so equal
    /// hashes and lengths mean equal keys). Longer keys: each 8-byte word
    /// folded into the running hash, then the length.
    @inline(__always)
    static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        if range.count <= 8 { return mix(word(buffer, range.lowerBound, range.count)) }
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = min(8, range.upperBound - offset)
            h = mix(h ^ word(buffer, offset, count)) &+ 0x9e37_79b9_7f4a_7c15
            offset += count
        }
        return mix(h ^ UInt64(range.count))
    }
}
