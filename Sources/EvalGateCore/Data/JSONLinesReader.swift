import Foundation

/// JSON Lines: one object per line; `null` or an absent key is missing.
/// Values are rendered to text into one buffer so that the typed views of
/// `Table` serve CSV and JSON Lines alike (numbers in shortest round-trip
/// form, booleans as `true`/`false`).
package enum JSONLinesReader {
    private enum Scalar: Decodable {
        case text(String)
        case number(Double)
        case bool(Bool)
        case null

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .text(value)
            } else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "nested arrays and objects are not supported")
            }
        }
    }

    package static func read(file: String, bytes: [UInt8], columns requested: [String]) throws(EvalGateError) -> Table {
        var output = RenderedColumns(count: requested.count)
        var seenKeys: [String] = []
        var seenKeySet = Set<String>()
        let decoder = JSONDecoder()
        var lineNumber: Int32 = 0
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if let bad = UTF8Check.firstInvalid(bytes) { throw invalidUTF8(file: file, bytes: bytes, offset: bad) }
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let lineBytes = bytes[start..<end]
            start = end + 1
            if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let object: [String: Scalar]
            do {
                object = try decoder.decode([String: Scalar].self, from: Data(lineBytes))
            } catch {
                throw EvalGateError(
                    .data, at: .init(file: file),
                    "line \(lineNumber) is not a JSON object of plain values (\(describe(error)))",
                    fix: "each line must hold one object such as {\"id\": 1, \"score\": 0.5}")
            }
            for key in object.keys.sorted() where seenKeySet.insert(key).inserted { seenKeys.append(key) }
            for (slot, name) in requested.enumerated() {
                let rendered: String?
                switch object[name] {
                case .text(let value)?: rendered = value
                case .number(let value)?: rendered = formatNumber(value)
                case .bool(let value)?: rendered = value ? "true" : "false"
                case .null?, nil: rendered = nil
                }
                try output.append(rendered, column: slot, file: file, place: "line \(lineNumber), key \(quote(name))")
            }
            output.endRow(line: lineNumber)
        }
        guard !output.lines.isEmpty else {
            throw EvalGateError(
                .data, at: .init(file: file), "the file holds no JSON objects", fix: "it needs one object per line")
        }
        try CSVReader.checkColumns(file: file, header: seenKeys, requested: requested)
        return output.table(file: file, header: seenKeys, names: requested)
    }

    /// Names the line, the key whose name or value holds the bad bytes
    /// (found by decoding the line with them replaced), and the offset.
    private static func invalidUTF8(file: String, bytes: [UInt8], offset: Int) -> EvalGateError {
        let found = UTF8Check.locate(bytes, offset: offset)
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let lineEnd = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.count
        let repaired = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        var place = "line \(found.line)"
        if let object = try? JSONDecoder().decode([String: Scalar].self, from: Data(repaired.utf8)) {
            let key = object.keys.sorted().first { key in
                if key.contains("\u{FFFD}") { return true }
                if case .text(let value)? = object[key] { return value.contains("\u{FFFD}") }
                return false
            }
            if let key { place += ", key \(quote(key))" }
        }
        return UTF8Check.dataError(file: file, place: place, found)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context):
            return context.debugDescription
        default:
            return "invalid JSON"
        }
    }
}
