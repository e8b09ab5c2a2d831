/// What a radix pass sorts by.
protocol RadixKeyed {
    var radixKey: UInt64 { get }
}

extension UInt64: RadixKeyed {
    @inline(__always) var radixKey: UInt64 { self }
}

/// Stable LSD radix sorting on 11-bit or byte digits of a 64-bit key: the
/// one counting pass that every sort in evalgate is made of (the ranking
/// of scores and visiting rows in row order on bytes; the join's hash
/// order, whose partitions fit the cache, on 11 bits).
enum RadixSort {
    // Computed constants, not stored `static let`s (read in hot loops).
    @inline(__always) static var digitMask: UInt64 { 0x7FF }
    /// Byte digits, for sorts whose data outgrows the caches: each pass
    /// then writes to 256 places, not 2,048, whose pages the TLB holds
    /// (ranking 10M scores: 1.04 s -> 0.83 s with two more passes).
    @inline(__always) static var byteMask: UInt64 { 0xFF }

    /// The counts a pass on digits of `mask` needs: one per digit value,
    /// plus one slot for the prefix sums.
    static func counts(_ mask: UInt64) -> [Int] { [Int](repeating: 0, count: Int(mask) + 2) }

    /// One stable counting pass on the digit of `key` at `shift`, from
    /// `source` into `target`. With `skipUniform`, a digit that every key
    /// shares moves nothing and returns false.
    static func pass<T: RadixKeyed>(
        from source: UnsafeMutableBufferPointer<T>, to target: UnsafeMutableBufferPointer<T>, shift: UInt64,
        mask: UInt64 = digitMask, counts: inout [Int], skipUniform: Bool = false
    ) -> Bool {
        for i in counts.indices { counts[i] = 0 }
        for v in source { counts[Int((v.radixKey >> shift) & mask) + 1] += 1 }
        if skipUniform, source.isEmpty || counts[Int((source[0].radixKey >> shift) & mask) + 1] == source.count {
            return false
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        for v in source {
            let digit = Int((v.radixKey >> shift) & mask)
            target[counts[digit]] = v
            counts[digit] += 1
        }
        return true
    }

    /// The same pass over keys that carry a payload in a parallel array
    /// (the ranking's scores and rows: 12 bytes a row, not a padded 16),
    /// on digits of `mask` (`counts` has `mask + 2` slots).
    @inline(__always)
    static func pass<Payload>(
        keys: UnsafeBufferPointer<UInt64>, payload: UnsafeBufferPointer<Payload>,
        to keysOut: UnsafeMutableBufferPointer<UInt64>, _ payloadOut: UnsafeMutableBufferPointer<Payload>,
        shift: UInt64, mask: UInt64, counts: inout [Int]
    ) -> Bool {
        for i in counts.indices { counts[i] = 0 }
        for key in keys { counts[Int((key >> shift) & mask) + 1] += 1 }
        if keys.isEmpty || counts[Int((keys[0] >> shift) & mask) + 1] == keys.count { return false }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        for i in 0..<keys.count {
            let digit = Int((keys[i] >> shift) & mask)
            let position = counts[digit]
            counts[digit] += 1
            keysOut[position] = keys[i]
            payloadOut[position] = payload[i]
        }
        return true
    }

    /// Sorts values by their upper 32 bits, stably: a row index packed with
    /// a position (`row << 32 | position`), so that a block of positions
    /// can be visited in row order. Used where reading or writing in a
    /// random row order would fetch a cache line per row (scoring, the
    /// join, past a few million rows).
    static func sortByUpperHalf(
        _ values: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>
    ) {
        var from = values
        var to = UnsafeMutableBufferPointer(rebasing: scratch[0..<values.count])
        var counts = Self.counts(byteMask)
        var inScratch = false
        for shift in [UInt64(32), 40, 48, 56] {
            guard pass(from: from, to: to, shift: shift, mask: byteMask, counts: &counts, skipUniform: true) else {
                continue
            }
            swap(&from, &to)
            inScratch.toggle()
        }
        if inScratch { _ = values.update(fromContentsOf: from) }
    }
}
