import Foundation

/// GitHub Actions side channels (shared/schemas/NOTES-CI.md section 3):
/// the job summary, step outputs and `::error`/`::warning` annotations.
package enum GitHubActions {
    /// GitHub shows at most 10 annotations of each kind per step.
    package static let annotationLimit = 10

    /// The workflow-command lines to print on stdout: the 10 most severe
    /// failures as `::error`, the 10 most severe warnings as `::warning`,
    /// each kind followed by one line saying how many were left out.
    package static func annotations(_ report: Report) -> [String] {
        if let error = report.error {
            return [command("error", title: "evalgate: \(report.gate) did not run", message: error.description)]
        }
        var lines: [String] = []
        for (status, kind) in [(Status.fail, "error"), (.warn, "warning")] {
            let matching = report.results.filter { $0.status == status }.sorted { severity($0) > severity($1) }
            for result in matching.prefix(annotationLimit) {
                let title = "evalgate \(report.gate): \(result.metric) on \(result.slice)"
                lines.append(command(kind, title: title, message: result.reason))
            }
            if matching.count > annotationLimit {
                let rest = matching.count - annotationLimit
                lines.append(
                    command(
                        kind, title: "evalgate \(report.gate)",
                        message:
                            """
                            \(rest) more \(status == .fail ? "failed" : "warned") results are not annotated; see \
                            the job summary or report.json
                            """
                    ))
            }
        }
        return lines
    }

    /// How far a result is beyond its limit, relative to the value it is
    /// measured against (the champion's for change rules, the limit
    /// otherwise), so the worst regressions are annotated first. Slices that
    /// were not found rank first.
    static func severity(_ r: CheckResult) -> Double {
        guard let c = r.candidate else { return .infinity }
        let d = r.delta ?? 0
        let h = abs(r.champion ?? 0)
        switch r.rule {
        case .min, .minRatio: return (r.limit - c) / max(abs(r.limit), 1e-9)
        case .max, .maxGap: return (c - r.limit) / max(abs(r.limit), 1e-9)
        case .maxDrop: return (-d - r.limit) / max(h, 1e-9)
        case .minGain: return (r.limit - d) / max(h, 1e-9)
        case .maxDropPct: return (-d - r.limit / 100 * h) / max(h, 1e-9)
        case .minGainPct: return (r.limit / 100 * h - d) / max(h, 1e-9)
        }
    }

    /// `verdict=` and `report-dir=` lines for `$GITHUB_OUTPUT`; a value
    /// with a newline would set another output, so it is escaped.
    package static func outputs(_ report: Report, reportDirectory: String) -> String {
        "verdict=\(report.verdict.rawValue)\nreport-dir=\(escapingControls(reportDirectory))\n"
    }

    static func command(_ kind: String, title: String, message: String) -> String {
        "::\(kind) title=\(escapeProperty(title))::\(escapeData(message))"
    }

    /// As @actions/core: `%`, CR and LF in messages; also `:` and `,` in
    /// properties. Control characters from the data are first shown
    /// escaped (`\n`), so a message is one line whatever it quotes.
    static func escapeData(_ s: String) -> String {
        escapingControls(s).replacingOccurrences(of: "%", with: "%25")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// Appends the summary and the outputs to the files GitHub names in the
    /// environment, and returns the annotation lines to print.
    package static func publish(
        _ report: Report, summary: String, reportDirectory: String, environment: [String: String]
    ) throws(EvalGateError) -> [String] {
        if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            try append(summary, to: path, what: "GITHUB_STEP_SUMMARY")
        }
        if let path = environment["GITHUB_OUTPUT"], !path.isEmpty {
            try append(outputs(report, reportDirectory: reportDirectory), to: path, what: "GITHUB_OUTPUT")
        }
        return annotations(report)
    }

    private static func append(_ text: String, to path: String, what: String) throws(EvalGateError) {
        do {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw EvalGateError(
                .output, "cannot append to $\(what) (\(path)): \(error.localizedDescription)",
                fix: "check that the runner can write it")
        }
    }
}
