/// The short human summary printed on stdout after a check: verdict first,
/// then what failed or warned, then the counts and where the reports are.
package enum ConsoleSummary {
    package static func render(_ report: Report, reportPaths: [String], color: Bool, limit: Int = 20) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let s = report.summary
        var lines: [String] = []
        let revision = report.revision.map { " (revision \($0))" } ?? ""
        switch report.verdict {
        case .pass:
            lines.append("\(paint("PASS", "1;32")) \(report.gate)\(revision): every blocking check passed")
        case .fail:
            lines.append("\(paint("FAIL", "1;31")) \(report.gate)\(revision): \(s.failed) of \(s.results) results failed; the candidate regressed")
        case .error where !report.results.isEmpty && s.skipped == s.results:
            // It ran, but every result was skipped: nothing was gated.
            lines.append("\(paint("ERROR", "1;31")) \(report.gate)\(revision): all \(s.results) results were skipped, so the gate checked nothing and cannot pass")
        case .error where !report.results.isEmpty:
            lines.append("\(paint("ERROR", "1;31")) \(report.gate)\(revision): the gate ran but could not have failed, so it cannot pass (the error follows)")
        case .error:
            lines.append("\(paint("ERROR", "1;31")) \(report.gate): the gate did not run")
        }
        for status in [Status.fail, .warn] {
            let matching = report.results.filter { $0.status == status }
            let tag = status == .fail ? paint("FAIL", "31") : paint("WARN", "33")
            for result in matching.prefix(limit) {
                lines.append("  \(tag) [\(result.check) \(result.rule.rawValue) \(formatNumber(result.limit))] \(result.reason)")
            }
            if matching.count > limit {
                lines.append("  ... and \(matching.count - limit) more \(status.rawValue) results (see report.json)")
            }
        }
        if report.verdict != .error {
            lines.append("\(s.results) results: \(s.passed) passed, \(s.failed) failed, \(s.warned) warned, \(s.skipped) skipped")
        }
        for note in report.notes { lines.append("note: \(note)") }
        if !reportPaths.isEmpty { lines.append("reports: \(reportPaths.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
