/// `junit.xml`, SPEC.md section 7, in the shape that validates against
/// Jenkins' junit-10.xsd and that GitLab, dorny/test-reporter,
/// mikepenz/action-junit-report and EnricoMi's publisher read
/// (shared/schemas/NOTES-CI.md): a `<testsuites>` root, one `<testsuite>` per
/// slice, one `<testcase>` per result, `time="0"`, the reason in the element
/// text (GitLab shows text, not `message`), unique (classname, name) pairs.
package enum JUnitReport {
    package static func render(_ report: Report) -> String {
        var xml = XMLWriter()
        let prefix = "evalgate.\(report.gate)"
        if let error = report.error {
            xml.start(
                "testsuites", [("name", prefix), ("tests", "1"), ("failures", "0"), ("errors", "1"), ("time", "0")])
            xml.start(
                "testsuite",
                [("name", prefix), ("tests", "1"), ("failures", "0"), ("errors", "1"), ("skipped", "0"), ("time", "0")])
            properties(report, into: &xml)
            xml.start("testcase", [("classname", prefix), ("name", "gate did not run"), ("time", "0")])
            xml.element(
                "error", [("message", error.description), ("type", error.kind.rawValue)], text: error.description)
            xml.end()
            xml.end()
            xml.end()
            return xml.output
        }
        let suites = groupedBySlice(report)
        let summary = report.summary
        xml.start(
            "testsuites",
            [
                ("name", prefix), ("tests", "\(summary.results)"), ("failures", "\(summary.failed)"), ("errors", "0"),
                ("time", "0"),
            ])
        for (index, suite) in suites.enumerated() {
            let classname = "\(prefix).\(suite.slice)"
            let failures = suite.results.filter { $0.status == .fail }.count
            let skipped = suite.results.filter { $0.status == .skipped }.count
            xml.start(
                "testsuite",
                [
                    ("name", classname), ("tests", "\(suite.results.count)"), ("failures", "\(failures)"),
                    ("errors", "0"),
                    ("skipped", "\(skipped)"), ("time", "0"),
                ])
            if index == 0 { properties(report, into: &xml) }
            for (result, name) in zip(suite.results, uniqueNames(suite.results)) {
                xml.start("testcase", [("classname", classname), ("name", name), ("time", "0")])
                switch result.status {
                case .fail:
                    xml.element(
                        "failure", [("message", result.reason), ("type", "regression")], lines: details(result))
                case .skipped:
                    xml.element("skipped", [("message", result.reason)], text: result.reason)
                case .warn:
                    xml.element("system-out", lines: details(result, status: "warn: "))
                case .pass:
                    xml.element("system-out", lines: details(result, status: "pass: "))
                }
                xml.end()
            }
            xml.end()
        }
        xml.end()
        return xml.output
    }

    /// The reason plus the numbers behind it, for the CI page.
    private static func details(_ r: CheckResult, status: String = "") -> [String] {
        var parts = [status + r.reason]
        var numbers: [String] = []
        if let c = r.candidate { numbers.append("candidate \(formatNumber(c))") }
        if let h = r.champion { numbers.append("champion \(formatNumber(h))") }
        if let d = r.delta { numbers.append("change \(formatNumber(d)) (positive = better)") }
        numbers.append("limit \(r.rule.rawValue) \(formatNumber(r.limit))")
        parts.append(numbers.joined(separator: ", "))
        parts.append("check \(r.check), severity \(r.severity.rawValue)")
        return parts
    }

    private static func properties(_ report: Report, into xml: inout XMLWriter) {
        xml.start("properties")
        var pairs: [(String, String)] = [("gate", report.gate), ("verdict", report.verdict.rawValue)]
        if let revision = report.revision { pairs.append(("revision", revision)) }
        if let sha = report.contract.sha256 { pairs.append(("contract.sha256", sha)) }
        for input in report.inputs {
            pairs.append(("\(input.role).path", input.path))
            pairs.append(("\(input.role).sha256", input.sha256))
        }
        for (name, value) in pairs { xml.element("property", [("name", name), ("value", value)]) }
        xml.end()
    }

    /// Results grouped by slice, in report order (overall first).
    static func groupedBySlice(_ report: Report) -> [(slice: String, results: [CheckResult])] {
        var order: [String] = report.slices.map(\.name)
        var bySlice: [String: [CheckResult]] = [:]
        for result in report.results {
            if bySlice[result.slice] == nil, !order.contains(result.slice) { order.append(result.slice) }
            bySlice[result.slice, default: []].append(result)
        }
        return order.compactMap { slice in bySlice[slice].map { (slice, $0) } }
    }

    /// "METRIC RULE LIMIT"; when two checks collide on one slice, later ones
    /// get their check id appended (GitLab drops duplicate names).
    static func uniqueNames(_ results: [CheckResult]) -> [String] {
        var seen = Set<String>()
        return results.map { result in
            let base = "\(result.metric) \(result.rule.rawValue) \(formatNumber(result.limit))"
            var name = base
            if seen.contains(name) { name = "\(base) (\(result.check))" }
            var counter = 2
            while seen.contains(name) {
                name = "\(base) (\(result.check) #\(counter))"
                counter += 1
            }
            seen.insert(name)
            return name
        }
    }
}
