import Testing

@testable import EvalGateCore

/// The one escaper behind every console and CI writer.
struct ConsoleTests {
    static let controls: [Unicode.Scalar] =
        (0x00..<0x20).map { Unicode.Scalar($0)! } + (0x7F...0x9F).map { Unicode.Scalar($0)! } + [
            "\u{2028}", "\u{2029}",
        ]

    @Test func everyControlCharacterIsShownEscaped() {
        for scalar in Self.controls {
            let text = "a\(Character(scalar))::stop-commands::b"
            let shown = escapingControls(text)
            #expect(!shown.unicodeScalars.contains { Self.controls.contains($0) }, "U+\(scalar.value)")
            #expect(shown.hasPrefix("a\\") && shown.hasSuffix("::stop-commands::b"), "\(shown)")
            #expect(isEscapedControl(scalar))
        }
        #expect(escapingControls("\n\r\t") == #"\n\r\t"#)
        #expect(escapingControls("\u{1B}[31m") == #"\u001b[31m"#)
        #expect(escapingControls("\u{85}\u{7F}\u{2028}\u{2029}\u{0}") == #"\u0085\u007f\u2028\u2029\u0000"#)
        // Text without them, even with other non-ASCII characters, is unchanged.
        for plain in ["", "ab c", "é ü ✓ 日本", "\u{A0}\u{2027}\u{202A}", "C:\\path\\n"] {
            #expect(escapingControls(plain) == plain)
        }
    }

    @Test func consoleLinesPaintOnlyTheirOwnTag() {
        let line = ConsoleLine("seg/\u{1B}[2J", tag: "FAIL", color: "31")
        #expect(line.rendered(color: false) == #"FAIL seg/\u001b[2J"#)
        #expect(line.rendered(color: true) == "\u{1B}[31mFAIL\u{1B}[0m seg/\\u001b[2J")
    }

    @Test func excerptsStopAt200Characters() {
        #expect(excerpt(String(repeating: "x", count: 200)) == String(repeating: "x", count: 200))
        let cut = excerpt(String(repeating: "y", count: 1000))
        #expect(cut.hasPrefix(String(repeating: "y", count: 200) + "…") && cut.hasSuffix("(1000 characters)"))
        #expect(quote("abc") == "'abc'")
    }

    @Test func reportJSONKeepsTheExactValueEscaped() {
        let rendered = JSONValue.string("a\n\u{85}\u{2028}b").rendered()
        #expect(rendered.contains(#""a\n\u0085\u2028b""#), "\(rendered)")
    }
}
