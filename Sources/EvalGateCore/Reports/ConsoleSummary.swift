/// The short human summary printed on stdout after a check: verdict first,
/// then what failed or warned, then the counts and where the reports are.
/// Lines, not text: `Console` escapes each one (slice names and reasons
/// come from the data) before it paints the tag.
package enum ConsoleSummary {
    package static func lines(_ report: Report, reportPaths: [String], limit: Int = 20) -> [ConsoleLine] {
        let s = report.summary
        var lines: [ConsoleLine] = []
        let revision = report.revision.map { " (revision \($0))" } ?? ""
        func verdict(_ tag: String, _ color: String, _ text: String) {
            lines.append(ConsoleLine(text, tag: tag, color: color))
        }
        switch report.verdict {
        case .pass:
            verdict("PASS", "1;32", "\(report.gate)\(revision): every blocking check passed")
        case .fail:
            verdict(
                "FAIL", "1;31",
                "\(report.gate)\(revision): \(s.failed) of \(s.results) results failed; the candidate regressed")
        case .error where !report.results.isEmpty && s.skipped == s.results:
            // It ran, but every result was skipped: nothing was gated.
            verdict(
                "ERROR", "1;31",
                """
                \(report.gate)\(revision): all \(s.results) results were skipped, so the gate checked nothing and \
                cannot pass
                """
            )
        case .error where !report.results.isEmpty:
            verdict(
                "ERROR", "1;31",
                """
                \(report.gate)\(revision): the gate ran but could not have failed, so it cannot pass (the error \
                follows)
                """
            )
        case .error:
            verdict("ERROR", "1;31", "\(report.gate): the gate did not run")
        }
        for status in [Status.fail, .warn] {
            let matching = report.results.filter { $0.status == status }
            let (tag, color) = status == .fail ? ("FAIL", "31") : ("WARN", "33")
            for result in matching.prefix(limit) {
                let rule = "[\(result.check) \(result.rule.rawValue) \(formatNumber(result.limit))]"
                lines.append(ConsoleLine("\(rule) \(result.reason)", tag: "  \(tag)", color: color))
            }
            if matching.count > limit {
                lines.append(
                    ConsoleLine("  ... and \(matching.count - limit) more \(status.rawValue) results (see report.json)")
                )
            }
        }
        if report.verdict != .error {
            lines.append(
                ConsoleLine(
                    """
                    \(s.results) results: \(s.passed) passed, \(s.failed) failed, \(s.warned) warned, \
                    \(s.skipped) skipped
                    """
                ))
        }
        for note in report.notes { lines.append(ConsoleLine("note: \(note)")) }
        if !reportPaths.isEmpty { lines.append(ConsoleLine("reports: \(reportPaths.joined(separator: ", "))")) }
        return lines
    }
}
