/// report.json's values as MLflow metrics: `candidate/<metric>/<slice>`,
/// `champion/<metric>/<slice>` and `drift/psi/<column>`. MLflow allows
/// letters, digits, `_ - . / :` and spaces in a key, at most 250
/// characters; anything else becomes `_`, and a key that then collides
/// with an earlier one gets `_2`, `_3`, ... Report order decides which is
/// first, so the mapping is the same on every run.
package struct MLflowMetricKey: Sendable, Equatable {
    package var key: String
    package var model: String
    package var metric: String
    /// The slice, or the drift column for `drift/psi/...`.
    package var slice: String
    package var value: Double
}

package enum MLflowMetricKeys {
    package static func keys(_ report: Report) -> [MLflowMetricKey] {
        var wanted: [MLflowMetricKey] = []
        for slice in report.slices where slice.evaluated {
            for value in slice.values {
                for (model, number) in [("candidate", value.candidate), ("champion", value.champion)] {
                    guard let number, number.isFinite else { continue }
                    wanted.append(
                        MLflowMetricKey(
                            key: "\(model)/\(value.metric)/\(slice.name)", model: model, metric: value.metric,
                            slice: slice.name, value: number))
                }
            }
        }
        for column in report.drift?.columns ?? [] where column.psi.isFinite {
            wanted.append(
                MLflowMetricKey(
                    key: "drift/psi/\(column.column)", model: "golden", metric: "psi", slice: column.column,
                    value: column.psi))
        }
        var taken = Set<String>()
        return wanted.map { entry in
            var entry = entry
            let clean = sanitized(entry.key)
            var key = clean
            var n = 2
            while taken.contains(key) {
                key = "\(clean.prefix(240))_\(n)"
                n += 1
            }
            taken.insert(key)
            entry.key = key
            return entry
        }
    }

    package static func sanitized(_ key: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./: ")
        return String(String(key.map { allowed.contains($0) ? $0 : "_" }).prefix(250))
    }
}
