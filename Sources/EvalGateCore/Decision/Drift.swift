import Foundation

/// One column's drift: the golden set's distribution against the
/// reference's, binned, and its PSI (`PopulationStability`).
package struct ColumnDrift: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// 10 bins `[lo, hi)` at the reference's deciles, outer bins open, and a bin for missing values.
        case numeric
        /// One bin per value seen on either side, and one for missing values.
        case text
    }

    package struct Bin: Sendable, Equatable {
        package var label: String
        /// Share of the reference's rows (unweighted).
        package var reference: Double
        /// Share of the golden set's rows, weighted by its weights when it has them.
        package var golden: Double
    }

    package var column: String
    package var kind: Kind
    package var psi: Double
    package var bins: [Bin]
}

/// What the run found on the `drift:` section, for the reports.
package struct DriftReport: Sendable {
    package var reference: InputSummary
    package var maxPSI: Double
    package var columns: [ColumnDrift]
}

/// The `drift:` section: each listed column of the golden set against the
/// same column of the reference, PSI = Σ (a − e)·ln(a / e), a the golden
/// share and e the reference share of each bin, a zero share counted as
/// 0.0001.
package enum Drift {
    /// A column is numeric when every value on both sides is a finite
    /// number (and the reference has one); otherwise text.
    package static func measure(
        column: String, golden: CategoryColumn, weights: [Double]?, reference: CategoryColumn
    ) -> ColumnDrift {
        func finite(_ column: CategoryColumn) -> [Double?] {
            column.parsedValues.map { $0.flatMap { $0.isFinite ? $0 : nil } }
        }
        let goldenNumbers = finite(golden)
        let referenceNumbers = finite(reference)
        let numeric = !reference.values.isEmpty && !goldenNumbers.contains(nil) && !referenceNumbers.contains(nil)
        var labels: [String]
        // Each side's values mapped to a bin; the missing bin is the last.
        let goldenBin: [Int]
        let referenceBin: [Int]
        if numeric {
            var sorted: [Double] = []
            sorted.reserveCapacity(reference.codes.count)
            for code in reference.codes where code >= 0 { sorted.append(referenceNumbers[Int(code)]!) }
            sorted.sort()
            let edges = PopulationStability.decileEdges(sorted)
            let shown = edges.map { formatForPeople($0) }
            labels =
                ["(-inf, \(shown[0]))"] + (0..<8).map { "[\(shown[$0]), \(shown[$0 + 1]))" } + ["[\(shown[8]), +inf)"]
            goldenBin = goldenNumbers.map { PopulationStability.bin($0!, edges: edges) }
            referenceBin = referenceNumbers.map { PopulationStability.bin($0!, edges: edges) }
        } else {
            // Bins in the reference's order of first appearance, then values new in the golden set.
            labels = reference.values
            var index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            referenceBin = Array(labels.indices)
            goldenBin = golden.values.map { value in
                if let existing = index[value] { return existing }
                index[value] = labels.count
                labels.append(value)
                return labels.count - 1
            }
        }
        let missing = labels.count
        labels.append("(missing)")
        var goldenWeight = [Double](repeating: 0, count: labels.count)
        var referenceCount = [Double](repeating: 0, count: labels.count)
        for (row, code) in golden.codes.enumerated() {
            goldenWeight[code < 0 ? missing : goldenBin[Int(code)]] += weights?[row] ?? 1
        }
        for code in reference.codes { referenceCount[code < 0 ? missing : referenceBin[Int(code)]] += 1 }
        let psi = PopulationStability.index(actual: goldenWeight, expected: referenceCount) ?? 0
        let goldenTotal = goldenWeight.reduce(0, +)
        let referenceTotal = referenceCount.reduce(0, +)
        let bins = labels.indices.map { k in
            ColumnDrift.Bin(
                label: labels[k], reference: referenceTotal > 0 ? referenceCount[k] / referenceTotal : 0,
                golden: goldenTotal > 0 ? goldenWeight[k] / goldenTotal : 0)
        }
        return ColumnDrift(column: column, kind: numeric ? .numeric : .text, psi: psi, bins: bins)
    }

    /// One result per column, decided like a `max` rule (never on
    /// significance); the reason names the bin that moved most.
    package static func results(_ report: DriftReport, severity: Severity) -> [CheckResult] {
        report.columns.map { drift in
            let limit = report.maxPSI
            let ok = drift.psi <= limit + Decider.slack(drift.psi, limit)
            func contribution(_ bin: ColumnDrift.Bin) -> Double {
                PopulationStability.term(actual: bin.golden, expected: bin.reference)
            }
            let largest = drift.bins.max { contribution($0) < contribution($1) }!
            let percent = { (share: Double) in "\(formatForPeople(share * 100))%" }
            let shift =
                """
                the largest shift is \(drift.column) \(drift.kind == .numeric ? "in " : "= ")\(largest.label): \
                \(percent(largest.golden)) of the golden rows, \(percent(largest.reference)) of the reference's
                """
            let psi = formatForPeople(drift.psi, distinctFrom: [limit])
            let reason =
                ok
                ? """
                \(drift.column) has PSI \(psi) against the reference \(report.reference.path), at most the \
                maximum \(formatForPeople(limit, distinctFrom: [drift.psi])); \(shift)
                """
                : """
                \(drift.column) drifted: PSI \(psi) against the reference \(report.reference.path), above the \
                maximum \(formatForPeople(limit, distinctFrom: [drift.psi])); \(shift). Check that the golden set \
                still represents the population, or rebuild it
                """
            let status: Status = ok ? .pass : (severity == .warn ? .warn : .fail)
            return CheckResult(
                check: "drift", metric: "psi", slice: "drift/\(drift.column)", rule: .max, limit: limit, status: status,
                severity: severity, candidate: drift.psi, champion: nil, delta: nil, reason: reason)
        }
    }
}
