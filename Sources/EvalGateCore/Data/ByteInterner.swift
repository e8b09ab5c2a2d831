/// Maps byte strings to dense integer codes (0, 1, 2, ... in order of first
/// appearance) with an open-addressing hash table over raw bytes. Used for
/// row ids (the join) and categorical columns (slicing, labels), where a
/// `[String: Int]` would allocate one String per row.
struct ByteInterner {
    /// The bytes of every distinct key, back to back.
    private(set) var storage: [UInt8] = []
    /// Key `code` is `storage[ranges[code]]`.
    private(set) var ranges: [Range<Int>] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { ranges.count }

    func string(_ code: Int) -> String { String(decoding: storage[ranges[code]], as: UTF8.self) }

    /// The code of the key, adding it if new.
    mutating func intern(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        let hash = Self.hash(buffer, range)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = Int(slots[slot])
            if code < 0 { break }
            if hashes[code] == hash, equal(code, buffer, range) { return code }
            slot = (slot + 1) & mask
        }
        let code = ranges.count
        let start = storage.count
        storage.append(contentsOf: buffer[range])
        ranges.append(start..<storage.count)
        hashes.append(hash)
        slots[slot] = Int32(code)
        if ranges.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of the key, or nil when it was never interned.
    func lookup(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        let hash = Self.hash(buffer, range)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = Int(slots[slot])
            if code < 0 { return nil }
            if hashes[code] == hash, equal(code, buffer, range) { return code }
            slot = (slot + 1) & mask
        }
    }

    private func equal(_ code: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let stored = ranges[code]
        guard stored.count == range.count else { return false }
        return storage.withUnsafeBufferPointer { own in
            var i = stored.lowerBound, j = range.lowerBound
            while i < stored.upperBound {
                if own[i] != buffer[j] { return false }
                i += 1; j += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        mask = size - 1
        slots = [Int32](repeating: -1, count: size)
        for code in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
        }
    }

    /// FNV-1a with a final avalanche (murmur3's fmix64), so that sequential
    /// ids spread over the table.
    private static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in range {
            h = (h ^ UInt64(buffer[i])) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
