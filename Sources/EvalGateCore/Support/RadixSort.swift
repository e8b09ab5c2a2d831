/// Sorts values by their upper 32 bits, stably: a row index packed with a
/// position (`row << 32 | position`), so that a block of positions can be
/// visited in row order. Used where reading or writing in a random row
/// order would fetch a cache line per row (scoring, the join, past a few
/// million rows). LSD radix on 11-bit digits; a digit every value shares
/// is skipped.
func sortByUpperHalf(_ values: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) {
    var from = values
    var to = UnsafeMutableBufferPointer(rebasing: scratch[0..<values.count])
    var counts = [Int](repeating: 0, count: 2049)
    var inScratch = false
    for shift in [UInt64(32), 43, 54] {
        for i in counts.indices { counts[i] = 0 }
        for v in from { counts[Int((v >> shift) & 0x7FF) + 1] += 1 }
        if from.isEmpty || counts[Int((from[0] >> shift) & 0x7FF) + 1] == from.count { continue }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        for v in from {
            let digit = Int((v >> shift) & 0x7FF)
            to[counts[digit]] = v
            counts[digit] += 1
        }
        swap(&from, &to)
        inScratch.toggle()
    }
    if inScratch { _ = values.update(fromContentsOf: from) }
}
