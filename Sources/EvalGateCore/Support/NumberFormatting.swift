/// Numbers in slice names, reasons and reports print in their shortest
/// round-trip form; integral values drop the ".0" (SPEC.md, "Slice names").
package func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "+inf" }
    if value == value.rounded(), abs(value) < 1e15 {
        return value == 0 ? "0" : String(Int64(value))
    }
    return "\(value)"
}

/// Rounds for people: 4 significant digits, more only when needed to tell
/// `value` apart from `other` (so "0.01 > 0.01" never appears in a reason).
package func formatForPeople(_ value: Double, distinctFrom others: [Double] = []) -> String {
    guard value.isFinite else { return formatNumber(value) }
    for digits in 4...17 {
        let text = roundedText(value, significantDigits: digits)
        if others.allSatisfy({ !$0.isFinite || $0 == value || roundedText($0, significantDigits: digits) != text }) {
            return text
        }
    }
    return formatNumber(value)
}

/// A value for a report table: rounded for people, "–" when there is none.
package func shownNumber(_ x: Double?) -> String { x.map { formatForPeople($0) } ?? "–" }

/// A change for a report table, with its sign: "+0.01", "-0.02", "–".
package func shownChange(_ x: Double?) -> String {
    guard let x else { return "–" }
    return x > 0 ? "+\(formatForPeople(x))" : formatForPeople(x)
}

private func roundedText(_ value: Double, significantDigits digits: Int) -> String {
    if value == 0 { return "0" }
    let magnitude = Int((abs(value)).log10Floor)
    if magnitude < -5 || magnitude >= 15 {
        // Shortest representation of the value rounded to `digits` digits.
        let scale = pow10(digits - 1 - magnitude)
        return formatNumber((value * scale).rounded() / scale)
    }
    let decimals = max(0, digits - 1 - magnitude)
    let scale = pow10(decimals)
    let rounded = (value * scale).rounded() / scale
    return formatNumber(rounded)
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
    return result
}

extension Double {
    fileprivate var log10Floor: Double {
        var exponent = 0.0
        var v = self
        while v >= 10 {
            v /= 10
            exponent += 1
        }
        while v < 1 {
            v *= 10
            exponent -= 1
        }
        return exponent
    }
}
