/// `summary.md`: GitHub-flavoured Markdown for a job summary or a PR comment
/// (SPEC.md section 7). Verdict first, then the failing results, a table of
/// slices x metrics, warnings and skips, and the input hashes. Numbers are
/// rounded for people (4 significant digits); report.json keeps full
/// precision. Large gates are cut to stay under `byteLimit`, with a note.
package enum MarkdownReport {
    /// GitHub rejects step summaries over 1 MiB.
    package static let byteLimit = 1_000_000

    package static func render(_ report: Report) -> String {
        // Try generous row caps first, then halve them until the file fits.
        var cap = 500
        while true {
            let text = render(report, cap: cap)
            if text.utf8.count <= byteLimit || cap <= 5 { return text }
            cap /= 2
        }
    }

    /// The sections in reading order: verdict, notes, failures, slices,
    /// drift, warnings, skipped checks, inputs and lineage.
    private static func render(_ report: Report, cap: Int) -> String {
        var md = verdict(report)
        for note in report.notes {
            md.append("")
            md.append("> **Note:** \(text(note))")
        }
        md += resultSection("Failing checks", report.results.filter { $0.status == .fail }, cap: cap)
        md += slicesSection(report, cap: cap)
        md += driftSection(report)
        md += resultSection("Warnings (do not block)", report.results.filter { $0.status == .warn }, cap: cap)
        md += skippedSection(report.results.filter { $0.status == .skipped }, cap: cap)
        md += inputsSection(report)
        return md.joined(separator: "\n") + "\n"
    }

    private static func verdict(_ report: Report) -> [String] {
        let s = report.summary
        let revision = report.revision.map { " · revision `\(code($0))`" } ?? ""
        switch report.verdict {
        case .pass:
            return [
                "## ✅ evalgate `\(code(report.gate))`: pass", "",
                """
                The candidate may be promoted: every blocking check passed (\(s.passed) passed, \(s.warned) \
                warned, \(s.skipped) skipped)\(revision).
                """,
            ]
        case .fail:
            return [
                "## ❌ evalgate `\(code(report.gate))`: fail", "",
                """
                The candidate regressed and is blocked: **\(s.failed) of \(s.results) checks failed** \
                (\(s.passed) passed, \(s.warned) warned, \(s.skipped) skipped)\(revision).
                """,
            ]
        case .error:
            return [
                "## ⚠️ evalgate `\(code(report.gate))`: error", "", text(report.whyBlocked), "", "```",
                escapingControls(report.error?.description ?? ""), "```",
            ]
        }
    }

    /// Slices x metrics: candidate / champion (change), at most `cap` slices.
    private static func slicesSection(_ report: Report, cap: Int) -> [String] {
        guard !report.slices.isEmpty, !report.metrics.isEmpty else { return [] }
        var md = ["", "### Slices", "", "Each cell: candidate / champion (change, positive = better).", ""]
        if let weight = report.weightColumn {
            md[md.count - 2] += " Metrics are weighted by the column `\(code(weight))`; rows are counted unweighted."
        }
        let composition = report.slices.contains { !$0.labelRows.isEmpty }
        let heading = composition ? "| slice | rows | labels | " : "| slice | rows | "
        md.append(heading + report.metrics.map { "`\(code($0))`" }.joined(separator: " | ") + " |")
        md.append(
            (composition ? "|---|---:|---|" : "|---|---:|") + String(repeating: "---:|", count: report.metrics.count))
        for slice in report.slices.prefix(cap) {
            let cells =
                slice.evaluated ? slice.values.map(cell) : Array(repeating: "too small", count: report.metrics.count)
            let labels = composition ? " \(text(slice.composition)) |" : ""
            md.append("| `\(code(slice.name))` | \(slice.rows) |\(labels) " + cells.joined(separator: " | ") + " |")
        }
        if report.slices.count > cap {
            md.append("")
            md.append(
                """
                _\(report.slices.count - cap) more slices not shown to keep this summary under 1 MiB; see \
                report.json._
                """
            )
        }
        return md
    }

    private static func driftSection(_ report: Report) -> [String] {
        guard let drift = report.drift else { return [] }
        var md = ["", "### Drift from the reference", ""]
        md.append(
            """
            PSI of each golden-set column against `\(code(drift.reference.path))` (\(drift.reference.rows) \
            rows); above \(formatNumber(drift.maxPSI)) is drift.
            """
        )
        md += ["", "| column | kind | PSI | status |", "|---|---|---:|---|"]
        for column in drift.columns {
            let status = report.driftResult(column.column)?.status.rawValue ?? "-"
            md.append(
                """
                | `\(code(column.column))` | \(column.kind.rawValue) | \(formatForPeople(column.psi)) | \
                \(status) |
                """
            )
        }
        return md
    }

    private static func skippedSection(_ skipped: [CheckResult], cap: Int) -> [String] {
        guard !skipped.isEmpty else { return [] }
        var md = ["", "<details><summary>\(skipped.count) skipped checks</summary>", ""]
        for result in skipped.prefix(cap) {
            md.append(
                """
                - `\(code(result.metric)) \(result.rule.rawValue) \(formatNumber(result.limit))` on \
                `\(code(result.slice))`: \(text(result.reason))
                """
            )
        }
        if skipped.count > cap { md.append("- _\(skipped.count - cap) more not shown; see report.json._") }
        return md + ["", "</details>"]
    }

    /// Every input with its sha256, then the run's lineage.
    private static func inputsSection(_ report: Report) -> [String] {
        var md = ["", "### Inputs", "", "| input | path | rows | sha256 |", "|---|---|---:|---|"]
        md.append("| gate file | `\(code(report.contract.path))` | | `\(report.contract.sha256 ?? "-")` |")
        for input in report.inputs {
            md.append("| \(input.role) | `\(code(input.path))` | \(input.rows) | `\(input.sha256)` |")
        }
        if let reference = report.drift?.reference {
            md.append("| drift reference | `\(code(reference.path))` | \(reference.rows) | `\(reference.sha256)` |")
        }
        if let baseline = report.baseline {
            md.append("| champion | ledger run \(baseline.run) | | `\(baseline.datasetSha256)` (its dataset) |")
        }
        var lineage: [String] = []
        if let ci = report.lineage.ci {
            lineage.append(
                [
                    ci.commit.map { "commit `\(code($0))`" }, ci.ref.map { "ref `\(code($0))`" },
                    ci.runURL.map { "[\(ci.system) run](\($0))" },
                ]
                .compactMap { $0 }.joined(separator: ", "))
        }
        if !report.lineage.labels.isEmpty {
            lineage.append(
                "labels " + report.lineage.labels.map { "`\(code($0.key))=\(code($0.value))`" }.joined(separator: " "))
        }
        for model in report.lineage.models {
            let tags = model.tags.prefix(5).map { "`\(code($0.key))=\(code($0.value))`" }.joined(separator: " ")
            lineage.append(
                "\(model.role) model `\(code(model.name))/\(code(model.version))`"
                    + (model.runID.map { " from run `\(code($0))`" } ?? "") + (tags.isEmpty ? "" : " (\(tags))"))
        }
        if !lineage.isEmpty {
            md.append("")
            md.append("Lineage: " + lineage.filter { !$0.isEmpty }.joined(separator: "; ") + ".")
        }
        return md
    }

    /// A headed table of results, or nothing when there are none.
    private static func resultSection(_ title: String, _ results: [CheckResult], cap: Int) -> [String] {
        results.isEmpty ? [] : ["", "### \(title)", ""] + resultTable(results, cap: cap)
    }

    private static func resultTable(_ results: [CheckResult], cap: Int) -> [String] {
        var lines = [
            "| slice | metric | rule | candidate | champion | change | why |",
            "|---|---|---|---:|---:|---:|---|",
        ]
        for r in results.prefix(cap) {
            lines.append(
                """
                | `\(code(r.slice))` | `\(code(r.metric))` | \(r.rule.rawValue) \(formatNumber(r.limit)) | \
                \(shownNumber(r.candidate)) | \(shownNumber(r.champion)) | \(shownChange(r.delta)) | \
                \(text(r.reason)) |
                """
            )
        }
        if results.count > cap {
            lines.append("")
            lines.append("_\(results.count - cap) more not shown to keep this summary under 1 MiB; see report.json._")
        }
        return lines
    }

    private static func cell(_ value: Report.MetricComparison) -> String {
        guard let c = value.candidate else { return "n/a" }
        guard let h = value.champion else { return formatForPeople(c) }
        return "\(formatForPeople(c)) / \(formatForPeople(h)) (\(shownChange(value.delta)))"
    }

    /// Inside a code span only the backtick and (in tables) the pipe
    /// matter; control characters show escaped, as on the console.
    private static func code(_ s: String) -> String {
        escapingControls(s).replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
    }

    /// Plain table text: escape what GFM would read as markup.
    private static func text(_ s: String) -> String {
        var out = ""
        for ch in escapingControls(s) {
            switch ch {
            case "|", "\\", "*", "_", "`", "<", ">", "[", "]": out += "\\\(ch)"
            default: out.append(ch)
            }
        }
        return out
    }
}
