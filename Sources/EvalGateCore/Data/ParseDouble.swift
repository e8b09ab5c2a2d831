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
/// spaces, which `strtod` would accept. Correctly rounded, as `strtod`:
/// up to 19 significant digits are read into an integer w and the value is
/// w x 10^e; when w < 2^53 and |e| <= 22 that is one exact IEEE operation
/// (Clinger), else the Eisel-Lemire algorithm (`EiselLemire`) decides it
/// from a 128-bit product. Past 19 digits it decides only when w and w + 1
/// give the same double; otherwise, and for anything odd, `strtod` does.
package func parseDouble(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    let length = range.count
    guard length > 0, length < 64 else { return nil }
    let base = buffer.baseAddress!
    var i = range.lowerBound
    let end = range.upperBound
    let negative = base[i] == UInt8(ascii: "-")
    if negative || base[i] == UInt8(ascii: "+") { i += 1 }
    var w: UInt64 = 0
    var significant = 0
    var exponent = 0
    var digits = 0
    var sawPoint = false
    var truncated = false
    while i < end {
        let digit = base[i] &- UInt8(ascii: "0")
        if digit < 10 {
            digits += 1
            if significant < 19 {
                w = w &* 10 &+ UInt64(digit)
                if w != 0 { significant += 1 }  // leading zeros are not significant
                if sawPoint { exponent -= 1 }
            } else {
                if !sawPoint { exponent += 1 }
                if digit != 0 { truncated = true }
            }
        } else if base[i] == UInt8(ascii: "."), !sawPoint {
            sawPoint = true
        } else {
            break
        }
        i += 1
    }
    guard digits > 0 else { return nil }  // not a lone "." or sign
    if i < end {
        guard let written = decimalExponent(base, from: i, to: end) else { return nil }
        exponent += written
    }
    if w == 0 { return negative ? -0.0 : 0.0 }
    let value: Double
    if !truncated, w <= 1 << 53, (-22...22).contains(exponent) {
        value = exponent < 0 ? Double(w) / exactPowerOfTen(-exponent) : Double(w) * exactPowerOfTen(exponent)
    } else {
        value = EiselLemire.double(w, exponent)
        // Past 19 digits: decided when the dropped digits cannot change the double.
        if truncated, EiselLemire.double(w + 1, exponent) != value { return strtodFallback(buffer, range) }
    }
    return negative ? -value : value
}

/// The exponent after `e`/`E` (an optional sign, then digits to the end), or nil.
@inline(__always)
private func decimalExponent(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
    var i = start
    guard base[i] | 0x20 == UInt8(ascii: "e") else { return nil }
    i += 1
    guard i < end else { return nil }
    let negative = base[i] == UInt8(ascii: "-")
    if negative || base[i] == UInt8(ascii: "+") { i += 1 }
    guard i < end else { return nil }
    var value = 0
    while i < end {
        let digit = base[i] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        if value < 100_000 { value = value * 10 + Int(digit) }  // far past any double's range
        i += 1
    }
    return negative ? -value : value
}

/// `strtod` on the text (already checked to be a plain decimal number).
private func strtodFallback(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { scratch in
        for (i, byte) in buffer[range].enumerated() { scratch[i] = CChar(bitPattern: byte) }
        scratch[range.count] = 0
        return strtod(scratch.baseAddress!, nil)
    }
}

/// The Eisel-Lemire algorithm (Daniel Lemire, "Number Parsing at a
/// Gigabyte per Second", 2021, as fast_float implements it): the double
/// nearest to w x 10^q for w > 0, from w times a 128-bit approximation of
/// 5^q (`PowersOfFive`). Noble Mushtak and Daniel Lemire proved the
/// 128-bit product always suffices for w < 2^64 ("Fast number parsing
/// without fallback", 2023), so no case is left undecided.
enum EiselLemire {
    static func double(_ w: UInt64, _ q: Int) -> Double {
        if q < PowersOfFive.smallest { return 0 }
        if q > 308 { return .infinity }
        let zeros = w.leadingZeroBitCount
        let w = w << UInt64(zeros)
        let index = 2 * (q - PowersOfFive.smallest)
        var (high, low) = w.multipliedFullWidth(by: PowersOfFive.table[index])
        if high & 0x1FF == 0x1FF {
            let second = w.multipliedFullWidth(by: PowersOfFive.table[index + 1]).high
            let (sum, carry) = low.addingReportingOverflow(second)
            low = sum
            if carry { high &+= 1 }
        }
        let upper = Int(high >> 63)
        let shift = UInt64(upper + 9)
        var mantissa = high >> shift
        var power = ((217_706 * q) >> 16) + 63 + upper - zeros + 1023
        if power <= 0 {
            // Subnormal: shift into place, round half up (ties cannot occur here).
            guard -power + 1 < 64 else { return 0 }
            mantissa >>= UInt64(-power + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power = mantissa < 1 << 52 ? 0 : 1
            return Double(bitPattern: mantissa | UInt64(power) << 52)
        }
        // Exactly half way between two doubles: round to even.
        if low <= 1, (-4...23).contains(q), mantissa & 3 == 1, mantissa << shift == high { mantissa &= ~1 }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power += 1
        }
        mantissa &= ~(1 << 52)
        if power >= 0x7FF { return .infinity }
        return Double(bitPattern: mantissa | UInt64(power) << 52)
    }
}
