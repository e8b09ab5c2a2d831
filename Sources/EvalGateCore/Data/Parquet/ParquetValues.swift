import Foundation

/// Decoders for the values of one data page: the RLE/bit-packed hybrid
/// (definition levels and dictionary indices) and PLAIN for each physical
/// type. Each checks its input's length first.
enum ParquetValues {
    struct Corrupt: Error {
        var message: String
        /// What to do, when it is not "write the file again".
        var fix: String? = nil
    }

    /// An unsigned LEB128 varint at `position`, which it advances past it.
    static func varint(
        _ data: UnsafeRawBufferPointer, _ position: inout Int, what: String
    ) throws(Corrupt) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < data.count else { throw Corrupt(message: "the page ends inside \(what)") }
            let b = data[position]
            position += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw Corrupt(message: "a varint in \(what) is too long") }
        }
    }

    /// Value `index` of those packed `width` bits each, least significant
    /// bit first, from byte `start` (the caller has checked that the whole
    /// group is in `data`). One unaligned load where eight bytes remain.
    @inline(__always)
    static func unpacked(_ data: UnsafeRawBufferPointer, from start: Int, index: Int, width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        let bit = index * width
        let byte = start + bit / 8
        let shift = UInt64(bit % 8)
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        if width <= 56, byte + 8 <= data.count {
            let word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            return (word >> shift) & mask
        }
        var value: UInt64 = 0
        for b in 0..<width {
            let at = bit + b
            if data[start + at / 8] >> (at % 8) & 1 == 1 { value |= 1 << UInt64(b) }
        }
        return value
    }

    /// `count` values of `bitWidth` bits from the hybrid encoding.
    static func hybrid(
        _ data: UnsafeRawBufferPointer, bitWidth: Int, count: Int
    ) throws(Corrupt) -> [UInt32] {
        guard (0...32).contains(bitWidth) else { throw Corrupt(message: "a bit width of \(bitWidth)") }
        var values = [UInt32](repeating: 0, count: max(0, count))
        var filled = 0
        var position = 0
        let byteWidth = (bitWidth + 7) / 8
        while filled < count {
            let header = try varint(data, &position, what: "the levels or indices")
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                guard position + byteWidth <= data.count else { throw Corrupt(message: "a run's value is cut off") }
                var value: UInt32 = 0
                for i in 0..<byteWidth { value |= UInt32(data[position + i]) << (8 * i) }
                position += byteWidth
                let take = min(run, count - filled)
                if value != 0 { for i in filled..<(filled + take) { values[i] = value } }
                filled += take
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups <= (data.count - position) / max(1, bitWidth), bitWidth > 0 || groups <= count else {
                    throw Corrupt(message: "bit-packed groups run past the page")
                }
                let take = min(groups * 8, count - filled)
                values.withUnsafeMutableBufferPointer { out in
                    for i in 0..<take {
                        out[filled + i] = UInt32(
                            truncatingIfNeeded: unpacked(data, from: position, index: i, width: bitWidth))
                    }
                }
                filled += take
                position += groups * bitWidth
            }
        }
        return values
    }

    /// Definition levels of a flat optional column; nil when every value
    /// is present (one run of 1s, as writers put it, is not expanded).
    static func levels(_ data: UnsafeRawBufferPointer, count: Int) throws(Corrupt) -> [UInt32]? {
        var position = 0
        if count > 0, let header = try? varint(data, &position, what: "the levels"), header & 1 == 0,
            header >> 1 >= count, position < data.count, data[position] == 1
        {
            return nil
        }
        let levels = try hybrid(data, bitWidth: 1, count: count)
        return levels.allSatisfy { $0 == 1 } ? nil : levels
    }

    /// PLAIN values of a physical type (INT96 as nanoseconds since the
    /// epoch). Strings point into `owner` when `data` is `owner.array[owner.offset...]`.
    static func plain(
        _ data: UnsafeRawBufferPointer, type: ParquetType, typeLength: Int, count: Int,
        owner: (array: [UInt8], offset: Int)? = nil
    ) throws(Corrupt) -> ParquetBatch {
        guard count >= 0 else { throw Corrupt(message: "a page of \(count) values") }
        func need(_ bytes: Int) throws(Corrupt) {
            guard bytes <= data.count else {
                throw Corrupt(message: "\(count) values need \(bytes) bytes but the page holds \(data.count)")
            }
        }
        switch type {
        case .boolean:
            try need((count + 7) / 8)
            return .booleans((0..<count).map { data[$0 / 8] >> ($0 % 8) & 1 == 1 })
        case .int32:
            try need(4 * count)
            return .integers((0..<count).map { Int64(data.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) })
        case .int64:
            try need(8 * count)
            return .integers((0..<count).map { data.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self) })
        case .int96:
            try need(12 * count)
            return .integers(
                (0..<count).map { i in
                    let nanos = data.loadUnaligned(fromByteOffset: 12 * i, as: Int64.self)
                    let day = data.loadUnaligned(fromByteOffset: 12 * i + 8, as: Int32.self)
                    // Julian day and nanoseconds of the day; past Int64's range of nanoseconds it wraps, never traps.
                    return (Int64(day) &- 2_440_588) &* 86_400_000_000_000 &+ nanos
                })
        case .float:
            try need(4 * count)
            return .reals((0..<count).map { Double(data.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self)) })
        case .double:
            try need(8 * count)
            return .reals((0..<count).map { data.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) })
        case .byteArray:
            var cells: [UInt64] = []
            cells.reserveCapacity(min(count, data.count / 4))
            var position = 0
            for _ in 0..<count {
                try need(position + 4)
                let length = Int(data.loadUnaligned(fromByteOffset: position, as: UInt32.self))
                position += 4
                guard length <= data.count - position else { throw Corrupt(message: "a string runs past the page") }
                cells.append(try ParquetStrings.cell(offset: (owner?.offset ?? 0) + position, length: length))
                position += length
            }
            return .strings(ParquetStrings(storage: owner?.array ?? [UInt8](data[0..<position]), cells: cells))
        case .fixedLenByteArray:
            guard typeLength >= 0 else { throw Corrupt(message: "a fixed length of \(typeLength)") }
            try need(typeLength * count)
            let cells = try (0..<count).map { (i) throws(Corrupt) in
                try ParquetStrings.cell(offset: typeLength * i, length: typeLength)
            }
            return .strings(ParquetStrings(storage: [UInt8](data[0..<(typeLength * count)]), cells: cells))
        }
    }
}

/// The values of one page or dictionary as its physical type and encoding
/// give them, before they are typed for the column that reads them.
enum ParquetBatch {
    case integers([Int64])
    case reals([Double])
    case booleans([Bool])
    case strings(ParquetStrings)
    /// Dictionary indices.
    case indices([UInt32])

    var count: Int {
        switch self {
        case .integers(let values): values.count
        case .reals(let values): values.count
        case .booleans(let values): values.count
        case .strings(let values): values.cells.count
        case .indices(let values): values.count
        }
    }
}

/// Byte-array values: one packed (offset, length) cell each into `storage`.
struct ParquetStrings {
    var storage: [UInt8]
    var cells: [UInt64]

    /// The refusal of a string value that is not UTF-8 (`value` counts from 1 in its page, when known).
    static func notUTF8(value: Int?, byte: Int) -> ParquetValues.Corrupt {
        ParquetValues.Corrupt(
            message: "\(value.map { "value \($0) of the page" } ?? "a string") holds bytes that are not UTF-8 "
                + "(byte \(byte) of it)",
            fix: "decode the text from its encoding (e.g. Latin-1) before the file is written; evalgate reads UTF-8")
    }

    static func cell(offset: Int, length: Int) throws(ParquetValues.Corrupt) -> UInt64 {
        guard length <= Cell.maxLength else {
            throw ParquetValues.Corrupt(
                message: "a value of \(length) bytes, over the \(Cell.maxLength)-byte limit of a cell; a label, "
                    + "score or slice value is never this long")
        }
        return Cell.pack(offset: offset, length: length)
    }

    /// Every value is UTF-8: the span of storage that holds them at once
    /// when it is ASCII (the usual case), else value by value.
    func checkUTF8() throws(ParquetValues.Corrupt) {
        var low = Int.max
        var high = 0
        for cell in cells {
            low = min(low, Int(cell >> 24))
            high = max(high, Int(cell >> 24) + Int(cell & 0xFF_FFFF))
        }
        let ascii = storage.withUnsafeBufferPointer { buffer in
            var bits: UInt8 = 0
            for byte in UnsafeBufferPointer(rebasing: buffer[min(low, high)..<high]) { bits |= byte }
            return bits < 0x80
        }
        if ascii { return }
        for (index, cell) in cells.enumerated() {
            let range = Cell.range(cell)!
            if let bad = storage.withUnsafeBufferPointer({ UTF8Check.firstInvalid($0, in: range) }) {
                throw Self.notUTF8(value: index + 1, byte: bad - range.lowerBound + 1)
            }
        }
    }
}

/// How a column's values become text: its logical type decides (decimals
/// as numbers, dates and timestamps as ISO-8601, strings as UTF-8).
struct ParquetRender {
    enum Kind {
        case plain
        case decimal(scale: Int)
        case date
        case timestamp(unitsPerSecond: Int64)
        case time(unitsPerSecond: Int64)
        case unsigned32, unsigned64
        case bigEndianDecimal(scale: Int)
    }

    var kind: Kind

    /// A DECIMAL held in a byte array (pyarrow's decimal128).
    var isDecimalBytes: Bool {
        if case .bigEndianDecimal = kind { return true }
        return false
    }

    /// Value `i` of a batch (not of indices) as text; nil for an empty string, which is missing as in a CSV.
    func text(_ batch: ParquetBatch, _ i: Int) throws(ParquetValues.Corrupt) -> String? {
        switch batch {
        case .integers(let values): return integer(values[i])
        case .reals(let values): return real(values[i])
        case .booleans(let values): return values[i] ? "true" : "false"
        case .strings(let strings):
            let range = Cell.range(strings.cells[i])!
            if range.isEmpty { return nil }
            return try strings.storage.withUnsafeBytes { bytes in
                Result { () throws(ParquetValues.Corrupt) in
                    try self.bytes(UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            }.get()
        case .indices: return nil
        }
    }

    /// The number an integer stands for when the column is read as numbers
    /// (the value its text would parse to), or nil when its text is not a number.
    func number(_ value: Int64) -> Double? {
        switch kind {
        case .plain: return Double(value)
        case .decimal(let scale): return Double(value) / pow(10, Double(scale))
        case .unsigned32: return Double(UInt32(truncatingIfNeeded: value))
        case .unsigned64: return Double(UInt64(bitPattern: value))
        default: return nil
        }
    }

    func integer(_ value: Int64) -> String {
        switch kind {
        case .decimal(let scale): return formatNumber(Double(value) / pow(10, Double(scale)))
        case .date: return ParquetRender.date(days: value)
        case .timestamp(let perSecond):
            return ParquetRender.timestamp(
                nanosSinceEpoch: value.multipliedReportingOverflow(by: 1_000_000_000 / perSecond).partialValue)
        case .time(let perSecond):
            return ParquetRender.time(
                nanos: value.multipliedReportingOverflow(by: 1_000_000_000 / perSecond).partialValue)
        case .unsigned32: return String(UInt32(truncatingIfNeeded: value))
        case .unsigned64: return String(UInt64(bitPattern: value))
        default: return String(value)
        }
    }

    func real(_ value: Double) -> String {
        value.isFinite ? formatNumber(value) : value.isNaN ? "nan" : value > 0 ? "inf" : "-inf"
    }

    func bytes(_ data: UnsafeRawBufferPointer) throws(ParquetValues.Corrupt) -> String {
        if let value = decimal(data) { return formatNumber(value) }
        if let bad = UTF8Check.firstInvalid([UInt8](data)) { throw ParquetStrings.notUTF8(value: nil, byte: bad + 1) }
        return String(decoding: data, as: UTF8.self)
    }

    /// A big-endian two's-complement DECIMAL in a byte array, as a number.
    func decimal(_ data: UnsafeRawBufferPointer) -> Double? {
        guard case .bigEndianDecimal(let scale) = kind else { return nil }
        var value: Int64 = data.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
        for b in data { value = value << 8 | Int64(b) }
        return Double(value) / pow(10, Double(scale))
    }

    /// "13:45:07.25": a time of day, fractional digits only when needed.
    static func time(nanos: Int64) -> String {
        let billion: Int64 = 1_000_000_000
        let day = 86_400 * billion
        let inDay = (nanos % day + day) % day
        let seconds = inDay / billion
        var text = String(format: "%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60)
        text += fraction(inDay % billion)
        return text
    }

    /// ".789" for 789,000,000 ns; "" for none.
    static func fraction(_ nanos: Int64) -> String {
        guard nanos != 0 else { return "" }
        var digits = String(format: "%09lld", nanos)
        while digits.hasSuffix("0") { digits.removeLast() }
        return "." + digits
    }

    static func date(days: Int64) -> String {
        let (year, month, day) = civil(days: days)
        return String(format: "%04lld-%02lld-%02lld", year, month, day)
    }

    /// "2024-03-01T12:34:56.789Z", fractional digits only when needed.
    static func timestamp(nanosSinceEpoch nanos: Int64) -> String {
        let billion: Int64 = 1_000_000_000
        var seconds = nanos / billion
        var fraction = nanos % billion
        if fraction < 0 {
            seconds -= 1
            fraction += billion
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        var text = date(days: days)
        text += String(format: "T%02lld:%02lld:%02lld", secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        return text + Self.fraction(fraction) + "Z"
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's
    /// algorithm), for any Int64 day count a file can hold.
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days.addingReportingOverflow(719_468)
        let z = shifted.overflow ? days : shifted.partialValue
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0), month, day)
    }
}
