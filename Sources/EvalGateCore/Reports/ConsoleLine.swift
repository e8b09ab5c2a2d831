import Foundation

/// One console line: an optional coloured tag ("FAIL", "PASS") and text.
package struct ConsoleLine: Equatable, Sendable {
    package var tag: String?
    /// The SGR code for the tag ("1;31"), used only when colour is on.
    package var color: String
    package var text: String

    package init(_ text: String, tag: String? = nil, color: String = "0") {
        self.tag = tag
        self.color = color
        self.text = text
    }

    /// The line as printed: escaped whole, then the tag painted when
    /// `color`, so the only escape bytes are evalgate's own.
    package func rendered(color useColor: Bool) -> String {
        let body = escapingControls(text)
        guard let tag else { return body }
        // Leading spaces (an indented FAIL line) stay outside the colour.
        let word = tag.drop { $0 == " " }
        let shown = useColor ? "\(tag.dropLast(word.count))\u{1B}[\(color)m\(word)\u{1B}[0m" : tag
        return body.isEmpty ? shown : "\(shown) \(body)"
    }
}
