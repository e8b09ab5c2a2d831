import Foundation

/// `report.html`: one self-contained page for the person who approves or
/// blocks the model (SPEC.md section 7). The verdict and the failing checks
/// first; then, per gated metric, every slice as a dot-and-interval chart
/// against its limit, worst first; then ROC, precision-recall and
/// reliability curves (binary), confusion matrices (multiclass) or
/// predicted-vs-actual grids and residuals (regression) for overall and each
/// failing slice; then the inputs. Inline SVG and CSS, no script, no network;
/// every chart has a title and a text alternative. The markup is also
/// well-formed XML, so a strict parser can check it.
package enum HTMLReport {
    package static func render(_ report: Report) -> String {
        var page = HTMLPage()
        page.register(report.figures)
        page.add("<!DOCTYPE html>")
        page.add("<html lang=\"en\"><head><meta charset=\"utf-8\" />")
        page.add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
        page.add("<title>evalgate \(escapeHTML(report.gate)): \(report.verdict.rawValue)</title>")
        page.add("<style>\(stylesheet)</style></head><body>")
        verdict(report, into: &page)
        page.add("<main>")
        contents(report, into: &page)
        resultSection(report, .fail, id: "failing", heading: "Failing checks", into: &page)
        overview(report, into: &page)
        curves(report, into: &page)
        drift(report, into: &page)
        resultSection(report, .warn, id: "warned", heading: "Warnings (do not block)", into: &page)
        resultSection(
            report, .skipped, id: "skipped", heading: "\(report.summary.skipped) skipped checks", collapsed: true,
            into: &page)
        inputs(report, into: &page)
        page.add("</main></body></html>")
        return page.text
    }

    // MARK: - Verdict

    private static func verdict(_ report: Report, into page: inout HTMLPage) {
        let s = report.summary
        let revision = report.revision.map { " Revision <code>\(escapeHTML($0))</code>." } ?? ""
        let (mark, sentence) =
            switch report.verdict {
            case .pass:
                (
                    "✓",
                    """
                    The candidate may be promoted: every blocking check passed (\(s.passed) passed, \(s.warned) \
                    warned, \(s.skipped) skipped).
                    """
                )
            case .fail:
                (
                    "✗",
                    """
                    The candidate regressed and is blocked: <strong>\(s.failed) of \(s.results) checks \
                    failed</strong> (\(s.passed) passed, \(s.warned) warned, \(s.skipped) skipped).
                    """
                )
            case .error:
                ("!", escapeHTML(report.whyBlocked))
            }
        page.add(
            """
            <header class=\"verdict \(report.verdict.rawValue)\"><h1><span aria-hidden=\"true\">\(mark)</span> \
            evalgate <code>\(escapeHTML(report.gate))</code>: \(report.verdict.rawValue.uppercased())</h1>
            """
        )
        page.add("<p>\(sentence)\(revision)</p>")
        if let error = report.error {
            page.add("<pre class=\"error\">\(escapeHTML(error.description))</pre>")
        }
        for note in report.notes {
            page.add("<p class=\"note\"><strong>Note:</strong> \(escapeHTML(note))</p>")
        }
        if let weight = report.weightColumn {
            page.add(
                """
                <p>Metrics are weighted by the column <code>\(escapeHTML(weight))</code>; rows are counted \
                unweighted.</p>
                """
            )
        }
        page.add("</header>")
    }

    private static func contents(_ report: Report, into page: inout HTMLPage) {
        var links: [String] = []
        if report.summary.failed > 0 { links.append("<a href=\"#failing\">Failing checks</a>") }
        if !report.metrics.isEmpty, report.slices.contains(where: \.evaluated) {
            links.append("<a href=\"#overview\">Slice overview</a>")
        }
        if !report.figures.isEmpty { links.append("<a href=\"#curves\">Curves</a>") }
        if report.drift != nil { links.append("<a href=\"#drift\">Drift</a>") }
        if report.summary.warned > 0 { links.append("<a href=\"#warned\">Warnings</a>") }
        links.append("<a href=\"#inputs\">Inputs</a>")
        page.add("<nav aria-label=\"Contents\">" + links.joined(separator: " · ") + "</nav>")
    }

    /// The results of one status under a heading, or folded away under a
    /// summary when `collapsed`; nothing when there are none.
    private static func resultSection(
        _ report: Report, _ status: Status, id: String, heading: String, collapsed: Bool = false,
        into page: inout HTMLPage
    ) {
        let results = report.results.filter { $0.status == status }
        guard !results.isEmpty else { return }
        page.add(
            "<section id=\"\(id)\">" + (collapsed ? "<details><summary>\(heading)</summary>" : "<h2>\(heading)</h2>"))
        page.add(
            """
            <div class=\"scroll\"><table><thead><tr><th>slice</th><th>metric</th><th>rule</th><th \
            class=\"n\">candidate</th><th class=\"n\">champion</th><th \
            class=\"n\">change</th><th>why</th></tr></thead><tbody>
            """
        )
        for r in results {
            let slice =
                page.curveAnchor(r.slice).map { "<a href=\"#\($0)\">\(escapeHTML(r.slice))</a>" } ?? escapeHTML(r.slice)
            page.add(
                """
                <tr \
                class=\"\(r.status.rawValue)\"><td><code>\(slice)</code></td><td><code>\(escapeHTML(r.metric))</code>\
                </td><td class=\"rule\">\(r.rule.rawValue) \(formatNumber(r.limit))</td>\
                <td class=\"n\">\(shownNumber(r.candidate))</td><td class=\"n\">\(shownNumber(r.champion))</td>\
                <td class=\"n\">\(shownChange(r.delta))</td><td>\(escapeHTML(r.reason))</td></tr>
                """
            )
        }
        page.add("</tbody></table></div>")
        page.add(collapsed ? "</details></section>" : "</section>")
    }

    // MARK: - Slice overview

    /// One slice's line in a metric's overview chart.
    struct OverviewRow {
        var slice: String
        var rows: Int
        /// Rows per label, "45 positive, 1155 negative"; empty for regression.
        var composition: String
        var value: Report.MetricComparison
        /// What is drawn: the change, or the candidate's value without a champion.
        var plotted: Double?
        var interval: ClosedRange<Double>?
        /// The limits of the rules on what is drawn (a change rule's required
        /// change; a min or max rule's bound).
        var limits: [Double]
        /// The worst status of the metric's results on the slice; nil when no check reads it.
        var status: Status?
        var reason: String?
    }

    /// Rows of one metric's overview, worst first: failures, then warnings,
    /// then by how bad the drawn value is, then in slice order.
    static func overviewRows(_ report: Report, metric: String) -> (rows: [OverviewRow], showsChange: Bool) {
        guard let m = report.metrics.firstIndex(of: metric) else { return ([], false) }
        let evaluated = report.slices.filter(\.evaluated)
        let showsChange = evaluated.contains { $0.values[m].delta != nil }
        let lowerIsBetter =
            report.task.flatMap { MetricRegistry.definition(metric, task: $0)?.direction == .lower } ?? false
        var bySlice: [String: [CheckResult]] = [:]
        for r in report.results where r.metric == metric { bySlice[r.slice, default: []].append(r) }
        let rows = evaluated.map { slice -> OverviewRow in
            let value = slice.values[m]
            let results = bySlice[slice.name] ?? []
            let limits: [Double]
            if showsChange {
                let required = results.compactMap { r in
                    r.champion.flatMap { r.rule.requiredChange(limit: r.limit, champion: $0) }
                }
                limits = required.max().map { [$0] } ?? []
            } else {
                let floors = results.filter { $0.rule == .min }.map(\.limit)
                let ceilings = results.filter { $0.rule == .max }.map(\.limit)
                limits = (floors.max().map { [$0] } ?? []) + (ceilings.min().map { [$0] } ?? [])
            }
            let worst = results.min { rank($0.status) < rank($1.status) }
            return OverviewRow(
                slice: slice.name, rows: slice.rows, composition: slice.composition, value: value,
                plotted: showsChange ? value.delta : value.candidate,
                interval: showsChange ? value.uncertainty.delta : value.uncertainty.candidate,
                limits: limits, status: worst?.status,
                reason: worst.flatMap { $0.status == .fail || $0.status == .warn ? $0.reason : nil })
        }
        let order = rows.indices.sorted { a, b in
            let (x, y) = (rows[a], rows[b])
            if rank(x.status) != rank(y.status) { return rank(x.status) < rank(y.status) }
            switch (x.plotted, y.plotted) {
            case (let p?, let q?) where p != q: return showsChange || !lowerIsBetter ? p < q : p > q
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        return (order.map { rows[$0] }, showsChange)
    }

    private static func rank(_ status: Status?) -> Int {
        switch status {
        case .fail: 0
        case .warn: 1
        case .pass: 2
        case .skipped: 3
        case nil: 4
        }
    }

    private static func overview(_ report: Report, into page: inout HTMLPage) {
        guard !report.metrics.isEmpty, report.slices.contains(where: \.evaluated) else { return }
        page.add("<section id=\"overview\"><h2>Slice overview</h2>")
        page.add(
            """
            <p>For each gated metric (those with failures first), every evaluated slice, worst first. A dot is \
            the change (candidate − champion, positive = better; the candidate's value when there is no \
            champion), a bar its bootstrap interval when statistics are on, a dashed line the limit. \(legend)</p>
            """
        )
        // Metrics that failed first, then those that warned, each in gate order.
        let worst = Dictionary(report.results.map { ($0.metric, rank($0.status)) }, uniquingKeysWith: min)
        let metrics = report.metrics.enumerated().sorted { a, b in
            let (x, y) = (min(worst[a.element] ?? 4, 2), min(worst[b.element] ?? 4, 2))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        for metric in metrics {
            let (rows, showsChange) = overviewRows(report, metric: metric)
            page.add(
                """
                <figure class=\"overview\" \
                id=\"overview-\(page.anchor(metric))\"><figcaption><h3><code>\(escapeHTML(metric))</code> \
                \(showsChange ? "change" : "value") by slice</h3></figcaption>
                """
            )
            page.add(
                "<div class=\"scroll\">"
                    + overviewChart(metric, rows: rows, showsChange: showsChange, id: page.nextChartID()) + "</div>")
            overviewTable(rows, into: &page)
        }
        page.add("</section>")
    }

    /// One metric's slices as a table, under its overview chart.
    private static func overviewTable(_ rows: [OverviewRow], into page: inout HTMLPage) {
        let composition = rows.contains { !$0.composition.isEmpty }
        page.add(
            """
            <details><summary>\(rows.count) slices as a table</summary><div \
            class=\"scroll\"><table><thead><tr><th>slice</th><th class=\"n\">rows</th>\
            \(composition ? "<th>labels</th>" : "")<th class=\"n\">candidate</th><th \
            class=\"n\">champion</th><th class=\"n\">change</th><th class=\"n\">interval</th><th>status</th></tr>\
            </thead><tbody>
            """
        )
        for row in rows {
            let interval =
                row.interval.map { bounds in
                    "[\(formatForPeople(bounds.lowerBound)), \(formatForPeople(bounds.upperBound))]"
                } ?? "–"
            let candidate = row.value.candidate.map { formatForPeople($0) } ?? "undefined"
            let status = row.status?.rawValue ?? "not checked"
            let title = row.reason.map { " title=\"\(escapeHTML($0))\"" } ?? ""
            let labels = composition ? "<td>\(escapeHTML(row.composition))</td>" : ""
            page.add(
                """
                <tr \
                class=\"\(row.status?.rawValue ?? "none")\"><td><code>\(escapeHTML(row.slice))</code></td><td \
                class=\"n\">\(row.rows)</td>\(labels)<td \
                class=\"n\">\(candidate)</td><td \
                class=\"n\">\(shownNumber(row.value.champion))</td><td \
                class=\"n\">\(shownChange(row.value.delta))</td><td \
                class=\"n\">\(interval)</td><td\(title)>\(status)</td></tr>
                """
            )
        }
        page.add("</tbody></table></div></details></figure>")
    }

    private static let legend =
        """
        <span class=\"key\"><span class=\"sw pass\">●</span> pass <span class=\"sw fail\">■</span> fail <span \
        class=\"sw warn\">◆</span> warn <span class=\"sw none\">○</span> not checked or skipped</span>
        """

    private static func overviewChart(_ metric: String, rows: [OverviewRow], showsChange: Bool, id: String) -> String {
        let rowHeight = 18.0
        let top = 30.0
        let bottom = 10.0
        let left = 224.0
        let right = 744.0
        var chart = SVGChart(width: 760, height: top + Double(rows.count) * rowHeight + bottom)
        var values: [Double] = showsChange ? [0] : []
        for row in rows {
            values += [row.plotted, row.interval?.lowerBound, row.interval?.upperBound].compactMap { $0 } + row.limits
        }
        var lo = values.min() ?? 0
        var hi = values.max() ?? 1
        if lo == hi {
            lo -= max(abs(lo) * 0.1, 0.01)
            hi += max(abs(hi) * 0.1, 0.01)
        }
        let pad = (hi - lo) * 0.05
        let x = LinearScale(domain: (lo - pad)...(hi + pad), range: (left, right))
        let bottomY = top + Double(rows.count) * rowHeight
        for i in rows.indices where i % 2 == 1 {
            chart.add(
                """
                <rect x=\"0\" y=\"\(SVGChart.coordinate(top + Double(i) * rowHeight))\" width=\"760\" \
                height=\"\(SVGChart.coordinate(rowHeight))\" class=\"band\" />
                """
            )
        }
        for tick in SVGChart.ticks(x.domain.lowerBound, x.domain.upperBound, count: 6) {
            let tx = SVGChart.coordinate(x(tick))
            chart.add(SVGChart.line(x(tick), top - 4, x(tick), bottomY, class: tick == 0 ? "zero" : "grid"))
            chart.add(
                """
                <text x=\"\(tx)\" y=\"\(SVGChart.coordinate(top - 8))\" class=\"tick\" \
                text-anchor=\"middle\">\(formatForPeople(tick))</text>
                """
            )
        }
        for (i, row) in rows.enumerated() {
            drawOverviewRow(row, y: top + (Double(i) + 0.5) * rowHeight, height: rowHeight, x: x, into: &chart)
        }
        let description = overviewDescription(metric, rows: rows, showsChange: showsChange)
        return chart.svg(
            id: id, title: "\(metric): \(showsChange ? "change" : "value") by slice", description: description,
            className: "chart wide")
    }

    /// One slice's row: label, limits, interval and the status marker,
    /// with a tooltip that says it all in words.
    private static func drawOverviewRow(
        _ row: OverviewRow, y: Double, height rowHeight: Double, x: LinearScale, into chart: inout SVGChart
    ) {
        let labelRight = 214.0
        let left = 224.0
        let status = row.status?.rawValue ?? "none"
        var tip =
            """
            \(row.slice): candidate \(shownNumber(row.value.candidate)), champion \
            \(shownNumber(row.value.champion)), change \(shownChange(row.value.delta))
            """
        if let interval = row.interval {
            tip += ", interval [\(formatForPeople(interval.lowerBound)), \(formatForPeople(interval.upperBound))]"
        }
        tip += "; \(row.status?.rawValue ?? "not checked")"
        if let reason = row.reason { tip += ": \(reason)" }
        chart.add("<g class=\"\(status)\"><title>\(escapeHTML(tip))</title>")
        chart.add(
            """
            <text x=\"\(SVGChart.coordinate(labelRight))\" y=\"\(SVGChart.coordinate(y + 4))\" \
            text-anchor=\"end\" class=\"label\">\(escapeHTML(truncated(row.slice, 32)))</text>
            """
        )
        for limit in row.limits {
            chart.add(SVGChart.line(x(limit), y - rowHeight / 2, x(limit), y + rowHeight / 2, class: "limit"))
        }
        if let interval = row.interval {
            chart.add(SVGChart.line(x(interval.lowerBound), y, x(interval.upperBound), y, class: "mark interval"))
        }
        if let value = row.plotted {
            chart.add(marker(status, x: x(value), y: y))
        } else {
            chart.add(
                """
                <text x=\"\(SVGChart.coordinate(left + 4))\" y=\"\(SVGChart.coordinate(y + 4))\" \
                class=\"undefined\">undefined</text>
                """
            )
        }
        chart.add("</g>")
    }

    /// The chart's description for screen readers and its caption.
    private static func overviewDescription(_ metric: String, rows: [OverviewRow], showsChange: Bool) -> String {
        let failed = rows.filter { $0.status == .fail }
        let warned = rows.filter { $0.status == .warn }
        func listed(_ rows: [OverviewRow]) -> String {
            rows.prefix(10).map { row in
                "\(row.slice) \(shownChange(row.plotted))"
                    + (row.limits.first.map { " (limit \(formatForPeople($0)))" } ?? "")
            }.joined(separator: ", ") + (rows.count > 10 ? " and \(rows.count - 10) more" : "")
        }
        var description =
            """
            \(metric) \
            \(showsChange ? "change, candidate minus champion (positive is better)" : "value of the candidate") \
            on \(rows.count) slices, worst first.
            """
        if !failed.isEmpty { description += " \(failed.count) failed: \(listed(failed))." }
        if !warned.isEmpty { description += " \(warned.count) warned: \(listed(warned))." }
        if failed.isEmpty, warned.isEmpty { description += " None failed." }
        return description
    }

    /// The dot of a status: circle (pass), square (fail), diamond (warn),
    /// hollow circle (not checked) — shape as well as colour.
    private static func marker(_ status: String, x: Double, y: Double) -> String {
        let cx = SVGChart.coordinate(x)
        let cy = SVGChart.coordinate(y)
        switch status {
        case "fail":
            return
                """
                <rect x=\"\(SVGChart.coordinate(x - 4.5))\" y=\"\(SVGChart.coordinate(y - 4.5))\" width=\"9\" \
                height=\"9\" class=\"mark dot\" />
                """
        case "warn":
            return
                """
                <path d=\"M\(cx) \(SVGChart.coordinate(y - 5.5))L\(SVGChart.coordinate(x + 5.5)) \(cy)L\(cx) \
                \(SVGChart.coordinate(y + 5.5))L\(SVGChart.coordinate(x - 5.5)) \(cy)Z\" class=\"mark dot\" />
                """
        default:
            return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" class=\"mark dot\" />"
        }
    }

    // MARK: - Curves

    private static func curves(_ report: Report, into page: inout HTMLPage) {
        guard !report.figures.isEmpty else { return }
        page.add("<section id=\"curves\"><h2>Curves</h2>")
        let what =
            switch report.task {
            case .multiclass?:
                """
                The confusion matrix of each model (rows: actual class, columns: predicted; shade: share of the \
                actual class)
                """
            case .regression?:
                """
                Predicted against actual values of each model on a 24 × 24 grid (shade: rows, log scale), and \
                both models' residuals
                """
            default: "ROC and precision-recall curves of both models, and the reliability diagram of the ECE bins"
            }
        let limit = Curves.pointLimit(slices: report.figures.count)
        let thinned =
            limit < Curves.maxPoints && report.task == .binary
            ? """
             With \(report.figures.count) slices drawn, each curve goes through at most \(limit) of its points \
            (\(Curves.maxPoints) with 40 slices or fewer).
            """
            : ""
        page.add("<p>\(what), for <code>overall</code> and every failing slice.\(thinned)</p>")
        for figure in report.figures { sliceFigures(figure, report: report, into: &page) }
        page.add("</section>")
    }

    /// One slice's section: its failing checks, then each model's charts.
    private static func sliceFigures(_ figure: SliceFigures, report: Report, into page: inout HTMLPage) {
        let anchor = page.curveAnchor(figure.slice) ?? "curves-x"
        let failed = report.results.filter { $0.slice == figure.slice && $0.status == .fail }
        page.add(
            """
            <section class=\"slice\" id=\"\(anchor)\"><h3><code>\(escapeHTML(figure.slice))</code> · \
            \(figure.rows) rows</h3>
            """
        )
        if !failed.isEmpty {
            page.add(
                "<ul class=\"fails\">"
                    + failed.map {
                        """
                        <li><code>\(escapeHTML($0.metric)) \($0.rule.rawValue) \
                        \(formatNumber($0.limit))</code>: \(escapeHTML($0.reason))</li>
                        """
                    }.joined() + "</ul>")
        }
        page.add("<div class=\"charts\">")
        let models = figure.models
        let roles = ["candidate", "champion"]
        switch models.first {
        case .binary?:
            let curves = models.compactMap { if case .binary(let c) = $0 { c } else { nil } }
            page.add(rocChart(curves, slice: figure.slice, id: page.nextChartID()))
            page.add(precisionRecallChart(curves, slice: figure.slice, id: page.nextChartID()))
            page.add(reliabilityChart(curves, slice: figure.slice, id: page.nextChartID()))
        case .multiclass?:
            for (m, model) in models.enumerated() {
                if case .multiclass(let matrix) = model {
                    page.add(confusionChart(matrix, role: roles[m], slice: figure.slice, id: page.nextChartID()))
                }
            }
        case .regression?:
            let figures = models.compactMap { if case .regression(let r) = $0 { r } else { nil } }
            for (m, figure2) in figures.enumerated() {
                page.add(gridChart(figure2, role: roles[m], slice: figure.slice, id: page.nextChartID()))
            }
            page.add(residualChart(figures, slice: figure.slice, id: page.nextChartID()))
        case nil:
            page.add("<p>No curve can be drawn on this slice.</p>")
        }
        page.add("</div></section>")
    }

    private struct Series {
        var role: String
        var points: [CurvePoint]
    }

    private static let plot = (left: 46.0, right: 312.0, top: 14.0, bottom: 262.0)

    /// Frame, grid, ticks and axis titles of a square chart.
    private static func axes(
        _ chart: inout SVGChart, x: LinearScale, y: LinearScale, xTicks: [Double], yTicks: [Double], xLabel: String,
        yLabel: String
    ) {
        for tick in xTicks {
            let tx = SVGChart.coordinate(x(tick))
            chart.add(SVGChart.line(x(tick), plot.top, x(tick), plot.bottom, class: "grid"))
            chart.add(
                """
                <text x=\"\(tx)\" y=\"\(SVGChart.coordinate(plot.bottom + 14))\" class=\"tick\" \
                text-anchor=\"middle\">\(formatForPeople(tick))</text>
                """
            )
        }
        for tick in yTicks {
            chart.add(SVGChart.line(plot.left, y(tick), plot.right, y(tick), class: "grid"))
            chart.add(
                """
                <text x=\"\(SVGChart.coordinate(plot.left - 4))\" y=\"\(SVGChart.coordinate(y(tick) + 4))\" \
                class=\"tick\" text-anchor=\"end\">\(formatForPeople(tick))</text>
                """
            )
        }
        chart.add(
            """
            <rect x=\"\(SVGChart.coordinate(plot.left))\" y=\"\(SVGChart.coordinate(plot.top))\" \
            width=\"\(SVGChart.coordinate(plot.right - plot.left))\" \
            height=\"\(SVGChart.coordinate(plot.bottom - plot.top))\" class=\"frame\" />
            """
        )
        chart.add(
            """
            <text x=\"\(SVGChart.coordinate((plot.left + plot.right) / 2))\" \
            y=\"\(SVGChart.coordinate(plot.bottom + 30))\" class=\"axis\" \
            text-anchor=\"middle\">\(escapeHTML(xLabel))</text>
            """
        )
        chart.add(
            """
            <text transform=\"translate(12 \(SVGChart.coordinate((plot.top + plot.bottom) / 2))) rotate(-90)\" \
            class=\"axis\" text-anchor=\"middle\">\(escapeHTML(yLabel))</text>
            """
        )
    }

    private static func unitScales() -> (LinearScale, LinearScale) {
        (
            LinearScale(domain: 0...1, range: (plot.left, plot.right)),
            LinearScale(domain: 0...1, range: (plot.bottom, plot.top))
        )
    }

    /// Where a chart's legend goes: the corner its curves usually leave empty.
    private enum Corner {
        case topLeft, topRight, bottomLeft, bottomRight
    }

    /// A legend of the models' lines: candidate solid, champion dashed.
    private static func legend(_ chart: inout SVGChart, _ entries: [(role: String, text: String)], at corner: Corner) {
        let x0 = corner == .topLeft || corner == .bottomLeft ? plot.left + 10 : plot.right - 150
        for (i, entry) in entries.enumerated() {
            let y =
                corner == .topLeft || corner == .topRight
                ? plot.top + 16 + Double(i) * 15 : plot.bottom - 10 - Double(entries.count - 1 - i) * 15
            chart.add(SVGChart.line(x0, y - 4, x0 + 18, y - 4, class: "line \(entry.role)"))
            chart.add(
                """
                <text x=\"\(SVGChart.coordinate(x0 + 22))\" y=\"\(SVGChart.coordinate(y))\" \
                class=\"legend\">\(escapeHTML(entry.text))</text>
                """
            )
        }
    }

    private static let chartSize = (width: 320.0, height: 300.0)

    /// Says in the plot why a chart has no curve.
    private static func emptyNote(_ chart: inout SVGChart, _ text: String) {
        let x = SVGChart.coordinate((plot.left + plot.right) / 2)
        let y = SVGChart.coordinate((plot.top + plot.bottom) / 2)
        chart.add("<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\" class=\"undefined\">\(escapeHTML(text))</text>")
    }

    private static func rocChart(_ curves: [BinaryCurves], slice: String, id: String) -> String {
        var chart = SVGChart(width: chartSize.width, height: chartSize.height)
        let (x, y) = unitScales()
        let ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        axes(
            &chart, x: x, y: y, xTicks: ticks, yTicks: ticks, xLabel: "false positive rate",
            yLabel: "true positive rate")
        chart.add(SVGChart.line(x(0), y(0), x(1), y(1), class: "reference"))
        var described: [String] = []
        var entries: [(role: String, text: String)] = []
        for (m, curve) in curves.enumerated() {
            let role = m == 0 ? "candidate" : "champion"
            guard let points = curve.roc else {
                described.append("\(role): not drawn, the slice lacks a class")
                continue
            }
            chart.add("<path d=\"\(SVGChart.path(points.map { (x($0.x), y($0.y)) }))\" class=\"mark line \(role)\" />")
            let area = shownNumber(curve.rocArea)
            entries.append((role, "\(role) AUC \(area)"))
            described.append("\(role) area \(area) (\(drawnPoints(points.count, of: curve.rocPoints)))")
        }
        if entries.isEmpty { emptyNote(&chart, "no ROC curve: the slice lacks positives or negatives") }
        legend(&chart, entries, at: .bottomRight)
        return figure(
            caption: "ROC curve",
            chart.svg(
                id: id, title: "ROC curve on \(slice)",
                description: "ROC curve, true positive rate against false positive rate, on \(slice): "
                    + described.joined(separator: "; ") + ". The diagonal is a random ranking.",
                className: "chart"))
    }

    private static func precisionRecallChart(_ curves: [BinaryCurves], slice: String, id: String) -> String {
        var chart = SVGChart(width: chartSize.width, height: chartSize.height)
        let (x, y) = unitScales()
        let ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        axes(&chart, x: x, y: y, xTicks: ticks, yTicks: ticks, xLabel: "recall", yLabel: "precision")
        if let prevalence = curves.first?.prevalence {
            chart.add(SVGChart.line(x(0), y(prevalence), x(1), y(prevalence), class: "reference"))
        }
        var described: [String] = []
        var entries: [(role: String, text: String)] = []
        for (m, curve) in curves.enumerated() {
            let role = m == 0 ? "candidate" : "champion"
            guard let points = curve.pr else {
                described.append("\(role): not drawn, the slice has no positives")
                continue
            }
            chart.add("<path d=\"\(SVGChart.path(points.map { (x($0.x), y($0.y)) }))\" class=\"mark line \(role)\" />")
            entries.append((role, role))
            described.append(
                """
                \(role) precision \(shownNumber(curve.precisionFromHalfRecall)) at recall 0.5 or more \
                (\(drawnPoints(points.count, of: curve.prPoints)))
                """
            )
        }
        if entries.isEmpty { emptyNote(&chart, "no curve: the slice has no positives") }
        legend(&chart, entries, at: .bottomLeft)
        let base =
            curves.first?.prevalence.map { " The horizontal line is the share of positives, \(formatForPeople($0))." }
            ?? ""
        return figure(
            caption: "Precision-recall curve",
            chart.svg(
                id: id, title: "Precision-recall curve on \(slice)",
                description: "Precision against recall on \(slice): " + described.joined(separator: "; ") + "." + base,
                className: "chart"))
    }

    private static func reliabilityChart(_ curves: [BinaryCurves], slice: String, id: String) -> String {
        var chart = SVGChart(width: chartSize.width, height: chartSize.height + 60)
        let (x, y) = unitScales()
        let ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        axes(
            &chart, x: x, y: y, xTicks: ticks, yTicks: ticks, xLabel: "mean score in the bin",
            yLabel: "observed rate of positives")
        chart.add(SVGChart.line(x(0), y(0), x(1), y(1), class: "reference"))
        var described: [String] = []
        var entries: [(role: String, text: String)] = []
        for (m, curve) in curves.enumerated() {
            let role = m == 0 ? "candidate" : "champion"
            let filled = curve.reliability.filter { $0.meanScore != nil }
            let points = filled.map { (x($0.meanScore!), y($0.observedRate!)) }
            if !points.isEmpty {
                chart.add("<path d=\"\(SVGChart.path(points))\" class=\"mark line \(role)\" />")
                for point in points {
                    chart.add(
                        """
                        <circle cx=\"\(SVGChart.coordinate(point.0))\" cy=\"\(SVGChart.coordinate(point.1))\" \
                        r=\"2.5\" class=\"point \(role)\" />
                        """
                    )
                }
            }
            entries.append((role, role))
            let worst = filled.max { abs($0.meanScore! - $0.observedRate!) < abs($1.meanScore! - $1.observedRate!) }
            described.append(
                "\(role): \(filled.count) non-empty bins"
                    + (worst.map {
                        """
                        ; largest gap in [\(formatNumber($0.lower)), \(formatNumber($0.upper))): mean score \
                        \(formatForPeople($0.meanScore!)), observed \(formatForPeople($0.observedRate!)), \
                        \($0.rows) rows
                        """
                    } ?? ""))
        }
        legend(&chart, entries, at: .topLeft)
        drawBinRows(curves, into: &chart)
        return figure(
            caption: "Reliability diagram (ECE bins)",
            chart.svg(
                id: id, title: "Reliability diagram on \(slice)",
                description:
                    """
                    Observed rate of positives against mean score in each of the ten ECE bins on \(slice), with \
                    the rows per bin below: 
                    """
                        + described.joined(separator: "; ") + ". The diagonal is perfect calibration.",
                className: "chart"))
    }

    /// Rows per bin, both models side by side, under the reliability diagram.
    private static func drawBinRows(_ curves: [BinaryCurves], into chart: inout SVGChart) {
        let maxRows = curves.flatMap { $0.reliability.map(\.rows) }.max() ?? 0
        let barTop = plot.bottom + 40
        let barBottom = chartSize.height + 50
        chart.add(
            """
            <text x=\"\(SVGChart.coordinate(plot.left - 4))\" y=\"\(SVGChart.coordinate(barTop + 8))\" \
            class=\"tick\" text-anchor=\"end\">\(maxRows)</text>
            """
        )
        chart.add(
            """
            <text x=\"\(SVGChart.coordinate(plot.left - 4))\" y=\"\(SVGChart.coordinate(barBottom))\" \
            class=\"tick\" text-anchor=\"end\">rows 0</text>
            """
        )
        chart.add(SVGChart.line(plot.left, barBottom, plot.right, barBottom, class: "frame"))
        let binWidth = (plot.right - plot.left) / 10
        for (m, curve) in curves.enumerated() {
            let role = m == 0 ? "candidate" : "champion"
            for (b, bin) in curve.reliability.enumerated() where bin.rows > 0 {
                let h = maxRows > 0 ? Double(bin.rows) / Double(maxRows) * (barBottom - barTop) : 0
                let bx = plot.left + Double(b) * binWidth + 2 + Double(m) * (binWidth - 4) / Double(curves.count)
                chart.add(
                    """
                    <rect x=\"\(SVGChart.coordinate(bx))\" y=\"\(SVGChart.coordinate(barBottom - h))\" \
                    width=\"\(SVGChart.coordinate((binWidth - 4) / Double(curves.count)))\" \
                    height=\"\(SVGChart.coordinate(h))\" class=\"bar \(role)\"><title>\(role), scores in \
                    [\(formatNumber(bin.lower)), \(formatNumber(bin.upper))): \(bin.rows) rows</title></rect>
                    """
                )
            }
        }
    }

    private static func confusionChart(_ matrix: ConfusionMatrix, role: String, slice: String, id: String) -> String {
        let k = matrix.classes.count
        let labelSpace = 84.0
        let cell = max(8, min(60, 208 / Double(max(k, 1))))
        let side = labelSpace + cell * Double(k) + 8
        var chart = SVGChart(width: side, height: side + 18)
        drawConfusionCells(matrix, labelSpace: labelSpace, cell: cell, into: &chart)
        for (p, name) in matrix.classes.enumerated() {
            let x = labelSpace + (Double(p) + 0.5) * cell
            chart.add(
                """
                <text transform=\"translate(\(SVGChart.coordinate(x + 4)) \(SVGChart.coordinate(labelSpace - 4))) \
                rotate(-60)\" class=\"tick\">\(escapeHTML(truncated(name, 12)))</text>
                """
            )
        }
        chart.add(
            """
            <text x=\"\(SVGChart.coordinate(side / 2))\" y=\"\(SVGChart.coordinate(side + 12))\" class=\"tick\" \
            text-anchor=\"middle\">rows: actual class · columns: predicted</text>
            """
        )
        let description = confusionDescription(matrix, role: role, slice: slice)
        return figure(
            caption: "<strong>\(role)</strong>: confusion matrix",
            chart.svg(
                id: id, title: "\(role): confusion matrix on \(slice)", description: description, className: "chart"))
    }

    /// A cell per (actual, predicted) pair, shaded by its share of the
    /// actual class, with counts while the matrix is small enough to read.
    private static func drawConfusionCells(
        _ matrix: ConfusionMatrix, labelSpace: Double, cell: Double, into chart: inout SVGChart
    ) {
        let k = matrix.classes.count
        let showCounts = k <= 10
        for (a, row) in matrix.counts.enumerated() {
            let total = row.reduce(0, +)
            let y = labelSpace + Double(a) * cell
            chart.add(
                """
                <text x=\"\(SVGChart.coordinate(labelSpace - 4))\" y=\"\(SVGChart.coordinate(y + cell / 2 + 4))\" \
                class=\"tick\" text-anchor=\"end\">\(escapeHTML(truncated(matrix.classes[a], 12)))</text>
                """
            )
            for (p, count) in row.enumerated() {
                let share = total > 0 ? count / total : 0
                let x = labelSpace + Double(p) * cell
                // A tooltip per cell while the matrix is small enough to read cell by cell.
                let tip =
                    k <= 20
                    ? """
                    <title>actual \(escapeHTML(matrix.classes[a])), predicted \(escapeHTML(matrix.classes[p])): \
                    \(formatForPeople(count)) (\(formatForPeople(share * 100))% of the actual class)</title>
                    """
                    : ""
                chart.add(
                    """
                    <rect x=\"\(SVGChart.coordinate(x))\" y=\"\(SVGChart.coordinate(y))\" \
                    width=\"\(SVGChart.coordinate(cell))\" height=\"\(SVGChart.coordinate(cell))\" \
                    fill=\"\(Palette.heat(share))\" class=\"mark cell\">\(tip)</rect>
                    """
                )
                if showCounts {
                    chart.add(
                        """
                        <text x=\"\(SVGChart.coordinate(x + cell / 2))\" \
                        y=\"\(SVGChart.coordinate(y + cell / 2 + 4))\" text-anchor=\"middle\" \
                        class=\"count\(share > 0.5 ? " dark" : "")\">\(formatForPeople(count))</text>
                        """
                    )
                }
            }
        }
    }

    private static func confusionDescription(_ matrix: ConfusionMatrix, role: String, slice: String) -> String {
        let k = matrix.classes.count
        let correct = (0..<k).reduce(0.0) { $0 + matrix.counts[$1][$1] }
        let total = matrix.counts.reduce(0.0) { $0 + $1.reduce(0, +) }
        let worst = (0..<k).filter { matrix.counts[$0].reduce(0, +) > 0 }.min { a, b in
            matrix.counts[a][a] / matrix.counts[a].reduce(0, +) < matrix.counts[b][b] / matrix.counts[b].reduce(0, +)
        }
        var description =
            """
            Confusion matrix of the \(role) on \(slice), \(k) classes: \(formatForPeople(correct)) of \
            \(formatForPeople(total)) rows on the diagonal.
            """
        if let worst {
            description +=
                """
                 Lowest recall: \(matrix.classes[worst]), \
                \(formatForPeople(matrix.counts[worst][worst] / matrix.counts[worst].reduce(0, +) * 100))%.
                """
        }
        return description
    }

    private static func gridChart(_ figure2: RegressionFigure, role: String, slice: String, id: String) -> String {
        var chart = SVGChart(width: chartSize.width, height: chartSize.height)
        let x = LinearScale(domain: figure2.range, range: (plot.left, plot.right))
        let y = LinearScale(domain: figure2.range, range: (plot.bottom, plot.top))
        let ticks = SVGChart.ticks(figure2.range.lowerBound, figure2.range.upperBound)
        let side = RegressionFigure.gridBins
        let largest = figure2.grid.flatMap { $0 }.max() ?? 0
        let width = (plot.right - plot.left) / Double(side)
        let height = (plot.bottom - plot.top) / Double(side)
        var cells = 0
        for (a, row) in figure2.grid.enumerated() {
            for (p, count) in row.enumerated() where count > 0 {
                cells += 1
                let shade = largest > 0 ? log1p(count) / log1p(largest) : 0
                chart.add(
                    """
                    <rect x=\"\(SVGChart.coordinate(plot.left + Double(p) * width))\" \
                    y=\"\(SVGChart.coordinate(plot.bottom - Double(a + 1) * height))\" \
                    width=\"\(SVGChart.coordinate(width))\" height=\"\(SVGChart.coordinate(height))\" \
                    fill=\"\(Palette.heat(0.15 + 0.85 * shade))\" class=\"mark cell\" />
                    """
                )
            }
        }
        axes(&chart, x: x, y: y, xTicks: ticks, yTicks: ticks, xLabel: "predicted", yLabel: "actual")
        chart.add(SVGChart.line(plot.left, plot.bottom, plot.right, plot.top, class: "reference"))
        return figure(
            caption: "<strong>\(role)</strong>: predicted against actual",
            chart.svg(
                id: id, title: "\(role): predicted against actual on \(slice)",
                description:
                    """
                    Predicted against actual values of the \(role) on \(slice), binned on a \(side) by \(side) \
                    grid over [\(formatForPeople(figure2.range.lowerBound)), \
                    \(formatForPeople(figure2.range.upperBound))]: \(cells) non-empty cells, the fullest holding \
                    \(formatForPeople(largest)) rows. The diagonal is a perfect prediction.
                    """,
                className: "chart"))
    }

    private static func residualChart(_ figures: [RegressionFigure], slice: String, id: String) -> String {
        var chart = SVGChart(width: chartSize.width, height: chartSize.height)
        guard let range = figures.first?.residualRange else { return "" }
        let largest = figures.flatMap(\.residuals).max() ?? 1
        let x = LinearScale(domain: range, range: (plot.left, plot.right))
        let y = LinearScale(domain: 0...max(largest, 1e-12), range: (plot.bottom, plot.top))
        axes(
            &chart, x: x, y: y, xTicks: SVGChart.ticks(range.lowerBound, range.upperBound),
            yTicks: SVGChart.ticks(0, largest, count: 4),
            xLabel: "predicted − actual", yLabel: "rows")
        let bins = RegressionFigure.residualBins
        let step = (range.upperBound - range.lowerBound) / Double(bins)
        var described: [String] = []
        for (m, figure2) in figures.enumerated() {
            let role = m == 0 ? "candidate" : "champion"
            var points: [(Double, Double)] = [(x(range.lowerBound), y(0))]
            for (b, count) in figure2.residuals.enumerated() {
                let left = range.lowerBound + Double(b) * step
                points.append((x(left), y(count)))
                points.append((x(left + step), y(count)))
            }
            points.append((x(range.upperBound), y(0)))
            chart.add("<path d=\"\(SVGChart.path(points))\" class=\"mark line \(role)\" />")
            let fullest = figure2.residuals.indices.max { figure2.residuals[$0] < figure2.residuals[$1] } ?? 0
            described.append(
                """
                \(role): most rows (\(formatForPeople(figure2.residuals[fullest]))) between \
                \(formatForPeople(range.lowerBound + Double(fullest) * step)) and \
                \(formatForPeople(range.lowerBound + Double(fullest + 1) * step))
                """
            )
        }
        chart.add(SVGChart.line(x(0), plot.top, x(0), plot.bottom, class: "reference"))
        return figure(
            caption: "Residuals" + lineKey(figures.count),
            chart.svg(
                id: id, title: "Residuals on \(slice)",
                description:
                    """
                    Histogram of predicted minus actual on \(slice), \(bins) bins over \
                    [\(formatForPeople(range.lowerBound)), \(formatForPeople(range.upperBound))]: 
                    """
                        + described.joined(separator: "; ") + ".",
                className: "chart"))
    }

    /// A chart with its visible caption (the SVG's own title is for screen readers).
    private static func figure(caption: String, _ svg: String) -> String {
        "<figure class=\"curve\"><figcaption>\(caption)</figcaption>\(svg)</figure>"
    }

    /// The two models' line styles, for a caption.
    private static func lineKey(_ count: Int) -> String {
        " <span class=\"lk candidate\">candidate</span>"
            + (count > 1 ? " <span class=\"lk champion\">champion</span>" : "")
    }

    private static func drawnPoints(_ drawn: Int, of total: Int) -> String {
        drawn == total ? "\(total) points" : "\(drawn) of \(total) points drawn"
    }

    // MARK: - Drift and inputs

    private static func drift(_ report: Report, into page: inout HTMLPage) {
        guard let drift = report.drift else { return }
        page.add("<section id=\"drift\"><h2>Drift from the reference</h2>")
        page.add(
            """
            <p>PSI of each golden-set column against <code>\(escapeHTML(drift.reference.path))</code> \
            (\(drift.reference.rows) rows); above \(formatNumber(drift.maxPSI)) is drift.</p>
            """
        )
        page.add(
            """
            <div class=\"scroll\"><table><thead><tr><th>column</th><th>kind</th><th \
            class=\"n\">PSI</th><th>status</th></tr></thead><tbody>
            """
        )
        for column in drift.columns {
            let status = report.driftResult(column.column)?.status.rawValue ?? "–"
            page.add(
                """
                <tr \
                class=\"\(status)\"><td><code>\(escapeHTML(column.column))</code></td><td>\(column.kind.rawValue)</td>\
                <td class=\"n\">\(formatForPeople(column.psi))</td><td>\(status)</td></tr>
                """
            )
        }
        page.add("</tbody></table></div></section>")
    }

    private static func inputs(_ report: Report, into page: inout HTMLPage) {
        page.add(
            """
            <section id=\"inputs\"><h2>Inputs</h2><div \
            class=\"scroll\"><table><thead><tr><th>input</th><th>path</th><th \
            class=\"n\">rows</th><th>sha256</th></tr></thead><tbody>
            """
        )
        func row(_ role: String, _ path: String, _ rows: String, _ sha: String) {
            page.add(
                """
                <tr><td>\(escapeHTML(role))</td><td><code>\(escapeHTML(path))</code></td><td \
                class=\"n\">\(rows)</td><td><code class=\"sha\">\(escapeHTML(sha))</code></td></tr>
                """
            )
        }
        row("gate file", report.contract.path, "", report.contract.sha256 ?? "–")
        for input in report.inputs { row(input.role, input.path, "\(input.rows)", input.sha256) }
        if let reference = report.drift?.reference {
            row("drift reference", reference.path, "\(reference.rows)", reference.sha256)
        }
        if let baseline = report.baseline {
            row("champion", "ledger run \(baseline.run)", "", "\(baseline.datasetSha256) (its dataset)")
        }
        page.add("</tbody></table></div>")
        var facts: [String] = []
        if let revision = report.revision {
            facts.append("<dt>contract revision</dt><dd><code>\(escapeHTML(revision))</code></dd>")
        }
        if let ci = report.lineage.ci {
            facts.append("<dt>CI</dt><dd>\(escapeHTML(ci.system))</dd>")
            for (name, value) in [
                ("commit", ci.commit), ("ref", ci.ref), ("repository", ci.repository), ("run", ci.runID),
            ] {
                if let value { facts.append("<dt>\(name)</dt><dd><code>\(escapeHTML(value))</code></dd>") }
            }
            if let url = ci.runURL, url.hasPrefix("https://") || url.hasPrefix("http://") {
                // A link the reader follows; the page itself loads nothing.
                facts.append("<dt>run URL</dt><dd><code>\(escapeHTML(url))</code></dd>")
            }
        }
        for label in report.lineage.labels {
            facts.append(
                "<dt>label <code>\(escapeHTML(label.key))</code></dt><dd><code>\(escapeHTML(label.value))</code></dd>")
        }
        if !facts.isEmpty { page.add("<dl>" + facts.joined() + "</dl>") }
        page.add("</section>")
    }

    // MARK: - Text

    private static func truncated(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    private static let stylesheet = """
        :root{--fail:#D55E00;--warn:#CC79A7;--pass:#0072B2;--candidate:#0072B2;--champion:#E69F00;--muted:#6E6E6E}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        color:#1F2328;background:#FFFFFF}
        main{max-width:1120px;margin:0 auto;padding:0 16px}
        header.verdict{max-width:1088px;margin:12px auto 0;padding:16px;border-left:8px solid var(--muted);\
        background:#F6F8FA}
        header.verdict.fail{border-color:var(--fail)}
        header.verdict.pass{border-color:var(--pass)}
        header.verdict.error{border-color:var(--warn)}
        h1{font-size:1.6em;margin:0 0 4px}
        h2{font-size:1.3em;margin:28px 0 8px;border-bottom:1px solid #D0D7DE}
        h3{font-size:1.05em;margin:18px 0 6px}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
        code.sha{word-break:break-all}
        pre.error{white-space:pre-wrap;background:#FFF;border:1px solid #D0D7DE;padding:8px}
        nav{margin:12px 0}
        .note{color:#3A3A3A}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;margin:6px 0;font-size:.92em}
        th,td{border:1px solid #D0D7DE;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#F6F8FA}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.rule{white-space:nowrap}
        tr.fail td:first-child{border-left:4px solid var(--fail)}
        tr.warn td:first-child{border-left:4px solid var(--warn)}
        figure{margin:0}
        figure.overview{margin:12px 0 20px}
        .charts{display:flex;flex-wrap:wrap;gap:12px}
        figure.curve{flex:1 1 300px;max-width:380px}
        svg.chart{display:block;width:100%;height:auto;font-size:11px}
        svg.wide{min-width:600px;max-width:900px}
        svg .band{fill:#F3F4F6}
        svg .grid{stroke:#E5E7EB;stroke-width:1}
        svg .zero{stroke:#6E6E6E;stroke-width:1}
        svg .frame{fill:none;stroke:#9CA3AF;stroke-width:1}
        svg .reference{stroke:#9CA3AF;stroke-width:1;stroke-dasharray:4 3}
        svg .limit{stroke:#1F2328;stroke-width:1.5;stroke-dasharray:3 2}
        svg .tick{fill:#4B5563}
        svg .axis{fill:#1F2328;font-size:12px}
        svg .label{fill:#1F2328;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px}
        svg .legend{fill:#1F2328}
        svg .undefined{fill:#6E6E6E;font-style:italic}
        svg .interval{stroke-width:2.5;stroke-linecap:round}
        svg .pass .dot{fill:var(--pass)} svg .pass .interval{stroke:var(--pass);opacity:.45}
        svg .fail .dot{fill:var(--fail)} svg .fail .interval{stroke:var(--fail);opacity:.55}
        svg .warn .dot{fill:var(--warn)} svg .warn .interval{stroke:var(--warn);opacity:.55}
        svg .none .dot,svg .skipped .dot{fill:#FFFFFF;stroke:#6E6E6E;\
        stroke-width:1.5} svg .none .interval,svg .skipped .interval{stroke:#9CA3AF}
        svg .line{fill:none;stroke-width:2}
        svg .line.candidate{stroke:var(--candidate)}
        svg .line.champion{stroke:var(--champion);stroke-dasharray:6 3}
        svg .point.candidate{fill:var(--candidate)}
        svg .point.champion{fill:var(--champion)}
        svg .bar.candidate{fill:var(--candidate);opacity:.75}
        svg .bar.champion{fill:var(--champion);opacity:.75}
        svg .cell{stroke:#FFFFFF;stroke-width:.5}
        svg .count{fill:#1F2328;font-size:10px}
        svg .count.dark{fill:#FFFFFF}
        .key{white-space:nowrap}
        .sw.pass{color:var(--pass)} .sw.fail{color:var(--fail)} .sw.warn{color:var(--warn)} .sw.none{color:#6E6E6E}
        ul.fails{margin:4px 0 8px;padding-left:20px}
        figure.curve figcaption{font-size:.92em;margin-bottom:2px}
        .lk::before{content:"";display:inline-block;width:18px;margin:0 4px 0 6px;vertical-align:middle;\
        border-top:2px solid var(--candidate)}
        .lk.champion::before{border-top:2px dashed var(--champion)}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
        dt{font-weight:600} dd{margin:0}
        @media (max-width:600px){body{font-size:14px} main{padding:0 8px} header.verdict{margin:8px 8px 0;\
        padding:10px} figure.curve{max-width:none}}
        """
}
