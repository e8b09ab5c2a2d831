import Foundation

/// Exact powers of ten up to 1e22: the largest that a Double holds exactly.
/// (A switch over literals, not a global array: a global is initialised
/// lazily, and every read would pay for the check.)
@inline(__always)
private func exactPowerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

/// Parses an ASCII decimal number (`-1.5e3`); rejects `inf`, `nan`, hex and
/// spaces, which `strtod` would accept. Correctly rounded: plain decimals
/// with at most 15 significant digits and no exponent are an exact integer
/// divided by an exact power of ten (one IEEE division, correctly rounded);
/// everything else goes to `strtod`.
package func parseDouble(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    let length = range.count
    guard length > 0, length < 64 else { return nil }
    let base = buffer.baseAddress!
    var i = range.lowerBound
    let end = range.upperBound
    let negative = base[i] == UInt8(ascii: "-")
    if negative || base[i] == UInt8(ascii: "+") { i += 1 }
    var mantissa: UInt64 = 0
    var significant = 0
    var fractionDigits = 0
    var digits = 0
    var pointAt = -1
    while i < end {
        let digit = base[i] &- UInt8(ascii: "0")
        if digit < 10 {
            digits += 1
            if mantissa != 0 || digit != 0 { significant += 1 }  // leading zeros are not significant
            if significant > 15 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
        } else if base[i] == UInt8(ascii: "."), pointAt < 0 {
            pointAt = i
        } else {
            break
        }
        i += 1
    }
    if i == end {
        // At least one digit, and not a lone ".".
        guard digits > 0 else { return nil }
        fractionDigits = pointAt < 0 ? 0 : end - pointAt - 1
        guard fractionDigits <= 22 else { return nil }
        let value = Double(mantissa) / exactPowerOfTen(fractionDigits)
        return negative ? -value : value
    }
    for byte in buffer[range] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            continue
        default:
            return nil
        }
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { scratch in
        for (i, byte) in buffer[range].enumerated() { scratch[i] = CChar(bitPattern: byte) }
        scratch[length] = 0
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(scratch.baseAddress!, &end)
        return end == scratch.baseAddress! + length ? value : nil
    }
}
