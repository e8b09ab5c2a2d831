/// Disjoint slices scored together: all slices of one `by`/`bins` group,
/// or a single slice (overall, a where slice).
package struct SlicePass: Sendable {
    /// Indices into the run's slice list.
    package var slices: [Int]
}

/// Passes and, for each row, the slice it falls in within each pass.
package struct SlicePlan: Sendable {
    package var passes: [SlicePass]
    /// One array per pass: `codes[p][row]` = index into `passes[p].slices`,
    /// or `none` when the row is in none of them; empty for a pass of one
    /// slice that holds every row (overall). One byte a row keeps each
    /// pass's array at 1 MB per million rows, so that reading it in a
    /// model's rank order (random row order) mostly hits the core's cache.
    package var codes: [[UInt8]]
    package static let none = UInt8.max
    /// A pass holds at most this many slices; a larger group is split.
    static let maxSlicesPerPass = Int(UInt8.max) - 1

    init(passes: [SlicePass], codes: [[UInt8]]) {
        self.passes = passes
        self.codes = codes
    }

    /// The passes in order, grouped into plans of fewer than `limit`
    /// slices each (a bootstrap resample names a slice by a 16-bit slot);
    /// one plan but for the largest gates.
    func parts(ofFewerSlicesThan limit: Int) -> [SlicePlan] {
        var parts: [SlicePlan] = []
        var sliceCount = 0
        for (pass, passCodes) in zip(passes, codes) {
            if !parts.isEmpty, sliceCount + pass.slices.count < limit {
                parts[parts.count - 1].passes.append(pass)
                parts[parts.count - 1].codes.append(passCodes)
                sliceCount += pass.slices.count
            } else {
                parts.append(SlicePlan(passes: [pass], codes: [passCodes]))
                sliceCount = pass.slices.count
            }
        }
        return parts
    }

    /// One pass per group and per ungrouped slice; slices marked not
    /// evaluated are left out. Each pass's codes are filled in parallel.
    package init(_ slices: [SliceRows], evaluated: [Bool], rowCount: Int, jobs: Int = 1) {
        var passes: [SlicePass] = []
        var passOfGroup: [String: Int] = [:]
        for (index, slice) in slices.enumerated() where evaluated[index] {
            if let group = slice.group, let existing = passOfGroup[group],
                passes[existing].slices.count < Self.maxSlicesPerPass
            {
                passes[existing].slices.append(index)
                continue
            }
            if let group = slice.group { passOfGroup[group] = passes.count }
            passes.append(SlicePass(slices: [index]))
        }
        codes = parallelMap(passes, jobs: jobs) { pass in
            if pass.slices.count == 1, slices[pass.slices[0]].rows.count == rowCount { return [] }
            var codes = [UInt8](repeating: Self.none, count: rowCount)
            codes.withUnsafeMutableBufferPointer { codes in
                for (code, index) in pass.slices.enumerated() {
                    for row in slices[index].rows { codes[Int(row)] = UInt8(code) }
                }
            }
            return codes
        }
        self.passes = passes
    }
}
