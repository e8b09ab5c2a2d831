import Foundation

/// The page being written, and the ids its elements need: chart ids in
/// order of appearance, and one anchor per slice with curves.
struct HTMLPage {
    private var lines: [String] = []
    private var charts = 0
    private var anchors: [String: String] = [:]

    mutating func add(_ line: String) { lines.append(line) }

    var text: String { lines.joined(separator: "\n") + "\n" }

    mutating func nextChartID() -> String {
        charts += 1
        return "chart-\(charts)"
    }

    /// The anchor of a slice's curves ("curves-overall", "curves-2"), set
    /// by `register`; nil for a slice without curves.
    func curveAnchor(_ slice: String) -> String? { anchors[slice] }

    mutating func register(_ figures: [SliceFigures]) {
        for (i, figure) in figures.enumerated() {
            anchors[figure.slice] = i == 0 && figure.slice == "overall" ? "curves-overall" : "curves-\(i)"
        }
    }

    /// An id-safe form of a metric name (metric names are identifiers).
    func anchor(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "-" })
    }
}
