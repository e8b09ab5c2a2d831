import Foundation
import Testing

@testable import EvalGateCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// report.html: well-formed, self-contained, accessible, and showing every
/// failing (slice, metric) with its curves.
struct HTMLReportTests {
    static func example(_ gate: String, jobs: Int = 2) -> Report {
        Pipeline.run(RunOptions(gatePath: "\(repoRoot)/gates/\(gate)", jobs: jobs))
    }

    /// Parses the page as XML (it is written to be well-formed XML as well
    /// as HTML); returns the parser's error, if any.
    static func xmlError(_ html: String) -> String? {
        let parser = XMLParser(data: Data(html.utf8))
        return parser.parse()
            ? nil
            : "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    /// The text between `start` and the next `end` after it.
    static func section(_ html: String, from start: String, to end: String) -> Substring? {
        guard let lower = html.range(of: start) else { return nil }
        guard let upper = html.range(of: end, range: lower.upperBound..<html.endIndex) else {
            return html[lower.lowerBound...]
        }
        return html[lower.lowerBound..<upper.upperBound]
    }

    static func count(_ needle: String, in text: some StringProtocol) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test(arguments: ["fraud.yaml", "breast-cancer.yaml", "wine.json", "diabetes.yaml"])
    func examplePagesAreWellFormedSelfContainedAndAccessible(gate: String) throws {
        let html = HTMLReport.render(Self.example(gate))
        #expect(Self.xmlError(html) == nil, "\(gate): \(Self.xmlError(html) ?? "")")
        // Nothing is fetched when the page opens.
        let external = try Regex(#"(?i)(src|href)\s*=\s*["']?\s*(https?:|//)"#)
        #expect(html.firstMatch(of: external) == nil)
        for forbidden in ["<script", "<link", "<iframe", "<img", "@import", "url("] {
            #expect(!html.contains(forbidden), "\(gate) contains \(forbidden)")
        }
        // Every chart has an accessible name and a text alternative, and draws something.
        let charts = html.components(separatedBy: "<svg ").dropFirst()
        #expect(charts.count >= 3)
        for chart in charts {
            #expect(
                chart.contains("role=\"img\"") && chart.contains("<title id=\"chart-")
                    && chart.contains("<desc id=\"chart-"))
            let svg = chart.components(separatedBy: "</svg>")[0]
            #expect(svg.contains("class=\"mark"), "an empty chart in \(gate): \(svg.prefix(200))")
        }
        #expect(!html.contains("NaN") && !html.contains("nan\"") && !html.contains("inf\""))
    }

    @Test func everyFailingSliceAndMetricOfTheFraudExampleIsInTheOverviewWithCurves() throws {
        let report = Self.example("fraud.yaml")
        let failing = report.results.filter { $0.status == .fail }
        #expect(failing.count == 5)
        let html = HTMLReport.render(report)
        // Verdict and failing checks come before any chart.
        let verdict = try #require(html.range(of: "evalgate <code>fraud-detector</code>: FAIL"))
        let failingTable = try #require(html.range(of: "<section id=\"failing\">"))
        let firstChart = try #require(html.range(of: "<svg "))
        #expect(verdict.lowerBound < failingTable.lowerBound && failingTable.lowerBound < firstChart.lowerBound)
        for result in failing {
            let figure = try #require(Self.section(html, from: "id=\"overview-\(result.metric)\"", to: "</figure>"))
            #expect(
                figure.contains("<g class=\"fail\"><title>\(escapeHTML(result.slice)): "),
                "\(result.metric) on \(result.slice) is not drawn as a failure")
            let curves = try #require(
                Self.section(html, from: "<h3><code>\(escapeHTML(result.slice))</code>", to: "</section>"))
            for title in ["ROC curve on", "Precision-recall curve on", "Reliability diagram on"] {
                #expect(curves.contains("\(title) \(escapeHTML(result.slice))</title>"))
            }
            #expect(Self.count("class=\"mark line candidate\"", in: curves) == 3)
            #expect(Self.count("class=\"mark line champion\"", in: curves) == 3)
        }
        // Overall plus the three failing slices, in slice order.
        #expect(
            report.figures.map(\.slice) == [
                "overall", "high_value", "region_channel/eu/pos", "amount_band/[10000,+inf)",
            ])
        // Worst first: the largest auc drop (high_value) heads the auc overview.
        let auc = try #require(Self.section(html, from: "id=\"overview-auc\"", to: "</figure>"))
        let firstRow = try #require(auc.range(of: "<g class=")).upperBound
        #expect(auc[firstRow...].hasPrefix("\"fail\"><title>high_value: "))
    }

    @Test func thePageIsTheSameForAnyNumberOfJobs() {
        for gate in ["fraud.yaml", "wine.json", "diabetes.yaml"] {
            #expect(
                HTMLReport.render(Self.example(gate, jobs: 1)) == HTMLReport.render(Self.example(gate, jobs: 3)),
                "\(gate)")
        }
    }

    @Test func hostileSliceNamesAreEscaped() throws {
        let html = HTMLReport.render(try ReportTests.hostileReport())
        #expect(Self.xmlError(html) == nil, "\(Self.xmlError(html) ?? "")")
        #expect(html.contains("seg/x&lt;y&gt;&amp;z"))
        #expect(html.contains("seg/a&quot;b"))
        #expect(!html.contains("x<y>"))
        #expect(html.contains(#"ctl\u0001char"#) && !html.contains("\u{01}"))
    }

    @Test func aGateThatCouldNotRunShowsTheErrorFirst() throws {
        let folder = try scratch(["gate.yaml": "version: 1\nname: broken\n"])
        let report = runGate(folder)
        #expect(report.verdict == .error)
        let html = HTMLReport.render(report)
        #expect(Self.xmlError(html) == nil)
        #expect(html.contains("evalgate <code>gate</code>: ERROR"))
        #expect(html.contains("<pre class=\"error\">\(escapeHTML(report.error!.description))</pre>"))
        #expect(!html.contains("<svg "))
    }

    /// A failing slice's curves come from the ranking sorted for scoring;
    /// they must equal the curves of the slice's own rows sorted afresh.
    @Test func aFailingSlicesCurvesAreThoseOfItsOwnRows() throws {
        var golden = "id,y,seg,w\n"
        var candidate = "id,s\n"
        var champion = "id,s\n"
        var rows: [(seg: String, y: UInt8, s: Double, w: Double)] = []
        for i in 0..<400 {
            let seg = i % 3 == 0 ? "a" : "b"
            let y: UInt8 = (i * 37) % 11 < 4 ? 1 : 0
            // Segment a: the candidate ranks badly; scores tie often.
            let s = seg == "a" ? Double((i * 13) % 20) / 20 : Double(y) * 0.5 + Double((i * 7) % 10) / 20
            let w = Double(1 + i % 3)
            rows.append((seg, y, s, w))
            golden += "r\(i),\(y),\(seg),\(w)\n"
            candidate += "r\(i),\(s)\n"
            champion += "r\(i),\(Double(y) * 0.6 + Double((i * 7) % 10) / 25)\n"
        }
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: curves
            dataset: {path: golden.csv, id: id, label: y, weight: w}
            models: {candidate: {path: c.csv, score: s}, champion: {path: h.csv, score: s}}
            slices: [{name: seg, by: seg}]
            checks: [{metric: auc, max_drop: 0.01}]
            """,
            "golden.csv": golden, "c.csv": candidate, "h.csv": champion,
        ])
        let report = runGate(folder)
        #expect(report.figures.map(\.slice) == ["overall", "seg/a"])
        let a = rows.filter { $0.seg == "a" }
        let expected = CurveTests.curves(a.map(\.s), a.map(\.y), a.map(\.w))
        guard case .binary(let drawn)? = report.figures.last?.models.first else {
            Issue.record("no binary curves for seg/a")
            return
        }
        #expect(drawn == expected)
        #expect(drawn.roc != nil && drawn.reliability.map(\.rows).reduce(0, +) == a.count)
    }

    /// A failing slice without positives gets its charts, each saying why it has no curve.
    @Test func aSliceWithoutPositivesSaysWhyItHasNoCurve() throws {
        var golden = "id,y,seg\n"
        var scores = "id,s\n"
        for i in 0..<200 {
            let seg = i < 100 ? "a" : "b"
            let y = seg == "a" ? 0 : (i % 2)
            golden += "r\(i),\(y),\(seg)\n"
            scores += "r\(i),\(Double(i % 10) / 10)\n"
        }
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: onesided
            dataset: {path: golden.csv, id: id, label: y}
            models: {candidate: {path: s.csv, score: s}}
            slices: [{name: seg, by: seg}]
            checks: [{metric: specificity, min: 0.99}]
            """,
            "golden.csv": golden, "s.csv": scores,
        ])
        let report = runGate(folder)
        #expect(report.figures.map(\.slice) == ["overall", "seg/a", "seg/b"])
        let html = HTMLReport.render(report)
        #expect(Self.xmlError(html) == nil)
        let a = try #require(Self.section(html, from: "<h3><code>seg/a</code>", to: "</section>"))
        #expect(a.contains("no ROC curve: the slice lacks positives or negatives"))
        #expect(a.contains("no curve: the slice has no positives"))
        #expect(a.contains("candidate: not drawn, the slice lacks a class"))
    }

    /// Every failing slice gets curves; beyond 40 of them each curve is
    /// drawn through fewer points, so the page stays small.
    @Test func everyFailingSliceIsDrawnAndManyThinTheCurves() throws {
        var golden = "id,y,seg\n"
        var scores = "id,s\n"
        for i in 0..<3000 {
            golden += "r\(i),\((i / 60 * 7) % 5 < 2 ? 1 : 0),g\(i % 60)\n"
            scores += "r\(i),\(Double((i * 7919) % 2999) / 2999)\n"
        }
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: broad
            dataset: {path: golden.csv, id: id, label: y}
            models: {candidate: {path: s.csv, score: s}}
            slices: [{name: seg, by: seg}]
            checks: [{metric: auc, slices: ["seg/*"], min: 0.99}]
            """,
            "golden.csv": golden, "s.csv": scores,
        ])
        let report = runGate(folder)
        #expect(report.results.filter { $0.status == .fail }.count == 60)
        #expect(report.figures.count == 61)
        #expect(
            Curves.pointLimit(slices: 61) == 327 && Curves.pointLimit(slices: 40) == 500
                && Curves.pointLimit(slices: 1000) == 50)
        guard case .binary(let overall)? = report.figures.first?.models.first, let roc = overall.roc else {
            Issue.record("no curves for overall")
            return
        }
        #expect(overall.rocPoints > 327 && roc.count == 327)
        #expect(roc.first == CurvePoint(0, 0) && roc.last == CurvePoint(1, 1))
        let html = HTMLReport.render(report)
        #expect(html.contains("With 61 slices drawn, each curve goes through at most 327 of its points"))
        #expect(Self.count("<section class=\"slice\"", in: html) == 61)
    }
}
