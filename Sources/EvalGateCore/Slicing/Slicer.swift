/// Turns slice definitions into row sets: `overall`, then each entry of
/// `slices:` in file order; within a group, values in ascending order
/// (numerically when every value is a number) and `(missing)` last; bins in
/// edge order; empty slices are not reported.
package struct Slicer {
    package var columns: SliceColumns

    /// A `by` group with more slices than this is a gate-file error.
    package var maxSlicesPerGroup = Contract.defaultMaxSlicesPerGroup
    /// Where each `by` slice is defined, for that error.
    package var sources: [String: EvalGateError.Location] = [:]

    /// Slices a whole table (every column typed both ways): for small tables.
    package init(table: Table) { columns = SliceColumns(allOf: table) }

    package init(columns: SliceColumns, contract: Contract) {
        self.columns = columns
        maxSlicesPerGroup = contract.maxSlicesPerGroup
        sources = contract.sliceSources
    }

    /// Every slice of the definitions, in report order, each definition
    /// sliced in parallel; the result does not depend on `jobs`.
    package func slices(for specs: [SliceSpec], jobs: Int = 1) throws(EvalGateError) -> [SliceRows] {
        let shared = self
        let groups = parallelMap(specs, jobs: jobs) { spec -> Result<[SliceRows], EvalGateError> in
            do throws(EvalGateError) {
                return .success(try shared.slices(of: spec))
            } catch {
                return .failure(error)
            }
        }
        var result = [SliceRows(name: "overall", group: nil, key: nil, rows: (0..<Int32(columns.rowCount)).map { $0 })]
        for group in groups {
            switch group {
            case .success(let slices): result += slices
            case .failure(let error): throw error
            }
        }
        return result
    }

    private func slices(of spec: SliceSpec) throws(EvalGateError) -> [SliceRows] {
        switch spec {
        case .filter(let name, let expression):
            let mask = try evaluate(expression, slice: name)
            let rows = Self.rowsBySlot(mask.map { Int8($0 ? 0 : -1) }, slots: 1)[0]
            return rows.isEmpty ? [] : [SliceRows(name: name, group: nil, key: nil, rows: rows)]
        case .by(let name, let columns):
            return try byGroup(name, columns: columns)
        case .bins(let name, let column, let edges):
            return try bins(name, column: column, edges: edges)
        }
    }

    // MARK: - by

    /// One `by` column's values in slice order: `labels[rank]`, the rank
    /// of each category code, and each row's code.
    private typealias ByPart = (labels: [String], rankOfCode: [Int], codes: [Int32])

    private func byGroup(_ name: String, columns: [String]) throws(EvalGateError) -> [SliceRows] {
        var parts: [ByPart] = []
        for column in columns {
            let values = category(column)
            let distinct = values.values.count + (values.codes.contains(-1) ? 1 : 0)
            if distinct > maxSlicesPerGroup {
                throw tooManySlices(
                    name,
                    """
                    column \(quote(column)) has \(distinct) distinct values, so 'by: \(column)' would make \
                    \(distinct) slices
                    """,
                    fix: "did you mean to bin it ('bins: [...]') or to slice by a coarser column?")
            }
            let (labels, rankOfCode) = ordered(values)
            parts.append((labels, rankOfCode, values.codes))
        }
        let (combined, product) = combinedKeys(parts)
        let (keys, slotOfRow) = slots(of: combined, keySpace: product)
        if keys.count > maxSlicesPerGroup {
            throw tooManySlices(
                name,
                """
                the \(columns.count) columns of 'by: [\(columns.joined(separator: ", "))]' occur in \(keys.count) \
                combinations
                """,
                fix: "cross fewer or coarser columns, or bin a numeric one")
        }
        let members = Self.rowsBySlot(slotOfRow, slots: keys.count)
        return keys.enumerated().map { slot, key in
            var remainder = key
            var values: [String] = []
            for part in parts.reversed() {
                values.append(part.labels[remainder % part.labels.count])
                remainder /= part.labels.count
            }
            values.reverse()
            return SliceRows(
                name: ([name] + values).joined(separator: "/"), group: name, key: values, rows: members[slot])
        }
    }

    /// A mixed-radix key per row over each column's sorted rank (missing =
    /// last rank), and the size of the key space. The key space is made
    /// dense again, order kept, before a product could overflow, so any
    /// number of crossed columns is safe.
    private func combinedKeys(_ parts: [ByPart]) -> (keys: [Int], keySpace: Int) {
        let n = self.columns.rowCount
        var combined = [Int](repeating: 0, count: n)
        var product = 1
        for part in parts {
            let radix = part.labels.count
            let (next, overflow) = product.multipliedReportingOverflow(by: radix)
            if overflow || next > 1 << 40 {
                let distinct = Set(combined).sorted()
                let code = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
                for row in 0..<n { combined[row] = code[combined[row]]! }
                product = distinct.count
            }
            // Missing (code -1) is the last rank, which rankOfCode holds at index 0.
            let rankOfCode = [radix - 1] + part.rankOfCode
            combined.withUnsafeMutableBufferPointer { combined in
                part.codes.withUnsafeBufferPointer { codes in
                    rankOfCode.withUnsafeBufferPointer { rank in
                        for row in 0..<n { combined[row] = combined[row] &* radix &+ rank[Int(codes[row]) + 1] }
                    }
                }
            }
            product *= radix
        }
        return (combined, product)
    }

    /// The keys that occur, ascending, and each row's slot among them: dense
    /// keys index an array, sparse ones (many crossed columns) go through a
    /// dictionary of key -> slot.
    private func slots(of combined: [Int], keySpace product: Int) -> (keys: [Int], slotOfRow: [Int32]) {
        let n = combined.count
        var keys: [Int] = []
        var slotOfRow = [Int32](repeating: 0, count: n)
        if product <= max(1 << 20, 4 * n) {
            var slotOfKey = [Int32](repeating: -1, count: product)
            for row in 0..<n where slotOfKey[combined[row]] < 0 { slotOfKey[combined[row]] = 0 }
            for key in 0..<product where slotOfKey[key] == 0 {
                slotOfKey[key] = Int32(keys.count)
                keys.append(key)
            }
            for row in 0..<n { slotOfRow[row] = slotOfKey[combined[row]] }
        } else {
            var slotOfKey: [Int: Int32] = [:]
            for row in 0..<n where slotOfKey[combined[row]] == nil { slotOfKey[combined[row]] = 0 }
            keys = slotOfKey.keys.sorted()
            for (slot, key) in keys.enumerated() { slotOfKey[key] = Int32(slot) }
            for row in 0..<n { slotOfRow[row] = slotOfKey[combined[row]]! }
        }
        return (keys, slotOfRow)
    }

    /// The rows of each slot, ascending: a counting sort (count, then fill
    /// one flat array), then each slot's run copied out. Rows with a slot
    /// outside `0..<slots` (e.g. -1) are in none.
    static func rowsBySlot<Slot: FixedWidthInteger>(_ slotOfRow: [Slot], slots: Int) -> [[Int32]] {
        var offsets = [Int](repeating: 0, count: slots + 1)
        slotOfRow.withUnsafeBufferPointer { slotOfRow in
            for slot in slotOfRow where slot >= 0 && Int(slot) < slots { offsets[Int(slot) + 1] += 1 }
        }
        for k in 0..<slots { offsets[k + 1] += offsets[k] }
        var next = offsets
        let flat = [Int32](unsafeUninitializedCapacity: offsets[slots]) { flat, count in
            slotOfRow.withUnsafeBufferPointer { slotOfRow in
                next.withUnsafeMutableBufferPointer { next in
                    for (row, slot) in slotOfRow.enumerated() where slot >= 0 && Int(slot) < slots {
                        flat[next[Int(slot)]] = Int32(row)
                        next[Int(slot)] += 1
                    }
                }
            }
            count = offsets[slots]
        }
        return (0..<slots).map { Array(flat[offsets[$0]..<offsets[$0 + 1]]) }
    }

    private func tooManySlices(_ name: String, _ what: String, fix: String) -> EvalGateError {
        let source = sources[name]
        return EvalGateError(
            .gateFile, at: source ?? EvalGateError.Location(file: "slices"),
            """
            \(what), more than max_slices_per_group (\(maxSlicesPerGroup)); \(fix) Or raise \
            max_slices_per_group in the gate file
            """
        )
    }

    /// A column's values in report order ("(missing)" last), and each
    /// code's rank among them.
    private func ordered(_ column: CategoryColumn) -> (labels: [String], rankOfCode: [Int]) {
        // Numeric when every value is a finite number ("nan" and "inf" stay text).
        let numeric = column.values.allSatisfy { Double($0)?.isFinite == true }
        var order = Array(column.values.indices)
        var labels = column.values
        if numeric {
            let numbers = column.values.map { Double($0)! }
            order.sort {
                numbers[$0] < numbers[$1] || (numbers[$0] == numbers[$1] && column.values[$0] < column.values[$1])
            }
            labels = numbers.map(formatNumber)
        } else {
            order.sort { Array(column.values[$0].utf8).lexicographicallyPrecedes(Array(column.values[$1].utf8)) }
        }
        var rankOfCode = [Int](repeating: 0, count: column.values.count)
        var rankLabels: [String] = []
        for code in order {
            // Distinct texts with one numeric value ("1" and "1.0") share a slice.
            if let last = rankLabels.last, last == labels[code] {
                rankOfCode[code] = rankLabels.count - 1
            } else {
                rankOfCode[code] = rankLabels.count
                rankLabels.append(labels[code])
            }
        }
        rankLabels.append("(missing)")
        return (rankLabels, rankOfCode)
    }

    // MARK: - bins

    private func bins(_ name: String, column: String, edges: [Double]) throws(EvalGateError) -> [SliceRows] {
        let values = try numbers(column, use: "the bins of slice \(quote(name))")
        // Bin i is [edges[i-1], edges[i]): the number of edges <= x (binary
        // search); the last slot is missing.
        var binOfRow = [Int32](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { values in
            edges.withUnsafeBufferPointer { edges in
                binOfRow.withUnsafeMutableBufferPointer { binOfRow in
                    for (row, x) in values.enumerated() {
                        if x.isNaN {
                            binOfRow[row] = Int32(edges.count + 1)
                            continue
                        }
                        var lo = 0
                        var hi = edges.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if edges[mid] <= x { lo = mid + 1 } else { hi = mid }
                        }
                        binOfRow[row] = Int32(lo)
                    }
                }
            }
        }
        let members = Self.rowsBySlot(binOfRow, slots: edges.count + 2)
        var result: [SliceRows] = []
        for (index, rows) in members.enumerated() where !rows.isEmpty {
            let label: String
            if index == edges.count + 1 {
                label = "(missing)"
            } else {
                let lower = index == 0 ? "-inf" : formatNumber(edges[index - 1])
                let upper = index == edges.count ? "+inf" : formatNumber(edges[index])
                label = "[\(lower),\(upper))"
            }
            result.append(SliceRows(name: "\(name)/\(label)", group: name, key: [label], rows: rows))
        }
        return result
    }

    // MARK: - where

    /// Evaluates a where expression over every row. A missing value makes a
    /// comparison false (`not` then makes it true, as written).
    package func evaluate(_ expression: WhereExpression, slice: String) throws(EvalGateError) -> [Bool] {
        let n = columns.rowCount
        switch expression {
        case .or(let l, let r):
            let a = try evaluate(l, slice: slice)
            let b = try evaluate(r, slice: slice)
            return (0..<n).map { a[$0] || b[$0] }
        case .and(let l, let r):
            let a = try evaluate(l, slice: slice)
            let b = try evaluate(r, slice: slice)
            return (0..<n).map { a[$0] && b[$0] }
        case .not(let inner):
            return try evaluate(inner, slice: slice).map { !$0 }
        case .missing(let column, let negated):
            return category(column).codes.map { ($0 < 0) != negated }
        case .compare(let column, let op, .number(let limit)):
            let values = try numbers(
                column, use: "the where expression of slice \(quote(slice)) compares it with \(formatNumber(limit))")
            return values.map { x in !x.isNaN && Self.compare(x, op, limit) }
        case .compare(let column, let op, .string(let text)):
            return byValue(column) { Self.compare($0, op, text) }
        case .member(let column, let list, let negated):
            if case .number = list.first {
                let targets = list.compactMap { if case .number(let v) = $0 { v } else { nil } }
                let values = try numbers(
                    column, use: "the where expression of slice \(quote(slice)) compares it with numbers")
                return values.map { x in !x.isNaN && (targets.contains(x) != negated) }
            }
            let targets = list.compactMap { if case .string(let v) = $0 { v } else { nil } }
            return byValue(column) { targets.contains($0) != negated }
        }
    }

    /// Evaluates a text predicate once per distinct value; missing is false.
    private func byValue(_ column: String, _ predicate: (String) -> Bool) -> [Bool] {
        let categories = category(column)
        let truth = categories.values.map(predicate)
        return categories.codes.map { $0 >= 0 && truth[Int($0)] }
    }

    private static func compare<T: Comparable>(_ a: T, _ op: WhereExpression.CompareOp, _ b: T) -> Bool {
        switch op {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }

    // MARK: - Columns

    /// A column's categories; `SliceColumnUse.of` made sure they were typed.
    private func category(_ column: String) -> CategoryColumn {
        guard let typed = columns.categories[column] else {
            preconditionFailure(
                "column \(quote(column)) was not typed as categories; SliceColumnUse.of and the slicer disagree")
        }
        return typed
    }

    private func numbers(_ column: String, use: String) throws(EvalGateError) -> [Double] {
        guard let result = columns.numbers[column] else {
            preconditionFailure(
                "column \(quote(column)) was not typed as numbers; SliceColumnUse.of and the slicer disagree")
        }
        if let row = result.firstInvalid {
            throw .data(
                file: columns.file,
                message:
                    """
                    \(columns.lineDescription(row: row)), column \(quote(column)): \
                    \(quote(result.firstInvalidText ?? "")) is not a number, but \(use); fix the value or compare \
                    with a quoted string
                    """
            )
        }
        return result.values
    }
}
