import Foundation
import Testing

@testable import EvalGateCore

/// `parseDouble` is `strtod`, bit for bit, on every decimal number: the
/// shapes real tools write (Python's shortest round trip, `%.17g`,
/// `%.18e`), random digit strings of 1 to 25 digits with exponents across
/// and past the double range, and the classic hard cases (halfway points,
/// subnormals, the largest double, 19+ digits).
struct ParseDoubleTests {
    /// SplitMix64, so the million cases are the same on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { parseDouble($0, 0..<$0.count) }
    }

    static func expectSameAsStrtod(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = strtod(text, nil)
        let ours = parsed(text)
        #expect(
            ours?.bitPattern == reference.bitPattern, "\(text): \(String(describing: ours)) vs strtod \(reference)",
            sourceLocation: sourceLocation)
    }

    static let hard = [
        "0", "-0", "0.0", "1", "-1", "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307",
        // Halfway between two doubles: ties to even.
        "9007199254740993", "9007199254740995", "9007199254740993.0", "4503599627370497.5",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        // Around the smallest normal and the subnormals.
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-323", "3e-324",
        "1e-400", "1e-330",
        // Around the largest double and past it.
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
        // 19 digits and more.
        "1234567890123456789", "12345678901234567890", "0.1234567890123456789012345", "9999999999999999999",
        "18446744073709551615", "18446744073709551616", "0.031098505388370886", "7.2057594037927933e16",
        "3.0000000000000000000000000000001", "2.9999999999999999999999999999999", "123456789012345678901234e-10",
        // Exponent forms.
        "1E5", "1e+05", "1.e5", ".5", "5.", "+.5e-3", "-1.5e3", "1e0", "1e-0",
    ]

    @Test func hardCasesAreStrtod() {
        for text in Self.hard { Self.expectSameAsStrtod(text) }
    }

    @Test func notNumbersAreNil() {
        for text in ["", "-", "+", ".", "e5", "1e", "1e+", "1.5.3", "--1", "1x", "inf", "nan", "0x1p3", " 1", "1 "] {
            #expect(Self.parsed(text) == nil, "\(text)")
        }
    }

    /// A million doubles as Python, C and numpy print them, and digit
    /// strings of every length with exponents beyond the double range.
    @Test func aMillionRandomNumbersAreStrtod() {
        var random = Generator(state: 20_261_207)
        var mismatches: [String] = []
        for n in 0..<1_000_000 {
            let text: String
            switch n % 4 {
            case 0:
                // Any finite double, shortest round trip (Python's repr).
                var value = Double(bitPattern: random.next())
                while !value.isFinite { value = Double(bitPattern: random.next()) }
                text = "\(value)"
            case 1: text = String(format: "%.17g", Double.random(in: 0..<1, using: &random))
            case 2: text = String(format: "%.18e", Double.random(in: -1e6..<1e6, using: &random))
            default:
                let count = Int.random(in: 1...25, using: &random)
                let digits = String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
                text = "\(digits)e\(Int.random(in: -360...330, using: &random))"
            }
            let reference = strtod(text, nil)
            if Self.parsed(text)?.bitPattern != reference.bitPattern, mismatches.count < 10 { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
