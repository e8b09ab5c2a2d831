import Foundation

/// What `evalgate history` prints: pure functions of what the ledger holds.
package enum HistoryFormat {
    // MARK: - Runs

    package static func runsTable(_ runs: [Ledger.RunSummary], ledger: String) -> String {
        guard !runs.isEmpty else { return "no runs recorded in \(ledger)\n" }
        let header = ["run", "recorded (UTC)", "gate", "revision", "verdict", "failed", "commit", "labels", "note"]
        let rows = runs.map { run -> [String] in
            var notes: [String] = []
            if let first = run.repeatOf { notes.append("repeat of \(first)") }
            if let baseline = run.baselineRun { notes.append("baseline run \(baseline)") }
            return [
                String(run.id), shortTime(run.recordedAt), run.gate, run.revision ?? "-", run.verdict,
                run.verdict == "error" ? "-" : "\(run.failed)/\(run.results)",
                run.commit.map { String($0.prefix(8)) } ?? "-",
                run.labels.isEmpty ? "-" : run.labels.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                notes.isEmpty ? "" : notes.joined(separator: ", "),
            ]
        }
        return table(header, rows, rightAligned: [0, 5])
    }

    package static func runsJSON(_ runs: [Ledger.RunSummary]) -> String {
        JSONValue.array(runs.map(summaryJSON)).rendered()
    }

    private static func summaryJSON(_ run: Ledger.RunSummary) -> JSONValue {
        .object([
            ("run", .number(Double(run.id))),
            ("recorded_at", .string(run.recordedAt)),
            ("gate", .string(run.gate)),
            ("revision", .string(run.revision)),
            ("verdict", .string(run.verdict)),
            ("exit_code", .number(Double(run.exitCode))),
            ("results", .number(Double(run.results))),
            ("failed", .number(Double(run.failed))),
            ("warned", .number(Double(run.warned))),
            ("commit", .string(run.commit)),
            ("repeat_of", run.repeatOf.map { .number(Double($0)) } ?? .null),
            ("baseline_run", run.baselineRun.map { .number(Double($0)) } ?? .null),
            ("dataset_sha256", .string(run.datasetSha256)),
            ("candidate_sha256", .string(run.candidateSha256)),
            ("champion_sha256", .string(run.championSha256)),
            ("reference_sha256", .string(run.referenceSha256)),
            ("labels", .object(run.labels.map { ($0.key, .string($0.value)) })),
        ])
    }

    /// One run: its ledger fields, then its report.json as recorded.
    package static func run(_ run: Ledger.RunSummary, runKey: String, report: String) -> String {
        guard case .object(var fields) = summaryJSON(run) else { return report }
        fields.append(("run_key", .string(runKey)))
        let head = JSONValue.object(fields).rendered()
        // Splice the stored report in as the last member, re-indented.
        let body = report.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
        return String(head.dropLast(3)) + ",\n  \"report\": " + body + "\n}\n"
    }

    // MARK: - One metric over runs

    package static func seriesTable(_ points: [Ledger.Point], metric: String, slice: String) -> String {
        guard !points.isEmpty else { return "no recorded values of \(metric) on \(slice)\n" }
        let values = points.compactMap(\.candidate)
        var text =
            """
            \(metric) on \(slice), candidate over \(points.count) runs (oldest first): \
            \(sparkline(points.map(\.candidate)))
            """
        if let first = values.first, let last = values.last {
            text +=
                "  \(formatForPeople(first, distinctFrom: [last])) -> \(formatForPeople(last, distinctFrom: [first]))"
        }
        text += "\n"
        let rows = points.map { p in
            [
                String(p.run), shortTime(p.recordedAt), p.gate, p.verdict,
                p.candidate.map { formatNumber($0) } ?? "null",
                p.champion.map { formatNumber($0) } ?? "-",
            ]
        }
        return text
            + table(
                ["run", "recorded (UTC)", "gate", "verdict", "candidate", "champion"], rows, rightAligned: [0, 4, 5])
    }

    package static func seriesJSON(_ points: [Ledger.Point]) -> String {
        JSONValue.array(
            points.map { p in
                .object([
                    ("run", .number(Double(p.run))), ("recorded_at", .string(p.recordedAt)), ("gate", .string(p.gate)),
                    ("verdict", .string(p.verdict)), ("candidate", .number(p.candidate)),
                    ("champion", .number(p.champion)),
                ])
            }
        ).rendered()
    }

    /// Eight-level bars scaled from the smallest to the largest value; a
    /// null value is a space, a constant series a flat line.
    package static func sparkline(_ values: [Double?]) -> String {
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else { return "" }
        return String(
            values.map { value -> Character in
                guard let value else { return " " }
                guard high > low else { return bars[3] }
                return bars[min(7, Int((value - low) / (high - low) * 7 + 0.5))]
            })
    }

    // MARK: - Helpers

    /// "2026-11-26T14:40:02Z" -> "2026-11-26 14:40:02".
    static func shortTime(_ iso: String) -> String {
        iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    /// Columns padded to their widest cell; cells (gate names, revisions,
    /// labels from the ledger) are escaped first, so one row is one line.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
        let rows = rows.map { $0.map(escapingControls) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
