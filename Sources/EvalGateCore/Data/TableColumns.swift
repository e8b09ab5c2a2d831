import Foundation

/// Packing of one cell: offset in the upper 40 bits, length in the lower 24;
/// `missing` marks an absent value (empty field, `NA`, JSON null).
package enum Cell {
    package static let missing = UInt64.max
    static let maxLength = (1 << 24) - 1

    static func pack(offset: Int, length: Int) -> UInt64 {
        UInt64(offset) << 24 | UInt64(length)
    }

    /// A value longer than a cell can address: refused, never truncated.
    static func tooLong(file: String, place: String, bytes: Int) -> EvalGateError {
        .data(
            file: file,
            message:
                """
                \(place): the value is \(bytes) bytes, over the \(maxLength)-byte limit of a cell; a value this \
                long is not a label, score or slice value, so check the quoting or the export
                """
        )
    }

    package static func range(_ cell: UInt64) -> Range<Int>? {
        if cell == missing { return nil }
        let offset = Int(cell >> 24)
        return offset..<(offset + Int(cell & 0xFF_FFFF))
    }
}

package struct NumberColumn: Sendable {
    /// NaN where the cell is missing.
    package var values: [Double]
    package var missingCount: Int
    package var firstMissing: Int? = nil
    package var firstInvalid: Int? = nil
    /// The text of the first invalid cell, for messages once the table is gone.
    package var firstInvalidText: String? = nil
}

package struct CategoryColumn: Sendable {
    /// Index into `values`, or -1 where the cell is missing.
    package var codes: [Int32]
    package var values: [String]

    /// Each distinct value parsed as a number (nil when it is not one),
    /// so that a column is parsed once per value, not once per row.
    package var parsedValues: [Double?] {
        values.map { text in Array(text.utf8).withUnsafeBufferPointer { parseDouble($0, 0..<$0.count) } }
    }
}
