/// The drawing primitives of report.html's inline SVG charts: scales,
/// tick values, coordinates and escaping. Coordinates are written with one
/// decimal (a tenth of a pixel of the view box), which keeps a 500-point
/// curve near 6 KB and the page byte-identical from run to run.
struct SVGChart {
    private(set) var body: [String] = []
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func add(_ element: String) { body.append(element) }

    /// The chart with its accessible name (`title`) and text alternative
    /// (`description`), referenced by `aria-labelledby`.
    func svg(id: String, title: String, description: String, className: String) -> String {
        """
        <svg viewBox=\"0 0 \(Self.coordinate(width)) \(Self.coordinate(height))\" class=\"\(className)\" \
        role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">
        """
            + "<title id=\"\(id)-t\">\(escapeHTML(title))</title><desc id=\"\(id)-d\">\(escapeHTML(description))</desc>"
            + body.joined() + "</svg>"
    }

    /// One decimal, no trailing ".0", never "-0"; a non-finite value
    /// (which the charts never produce) is drawn at 0 rather than breaking the path.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10
        let fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// A straight line from (x1, y1) to (x2, y2), in view-box units.
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class className: String) -> String {
        """
        <line x1=\"\(coordinate(x1))\" y1=\"\(coordinate(y1))\" x2=\"\(coordinate(x2))\" y2=\"\(coordinate(y2))\" \
        class=\"\(className)\" />
        """
    }

    /// A polyline path through `points` (already in view-box units).
    static func path(_ points: [(Double, Double)]) -> String {
        var d = ""
        d.reserveCapacity(points.count * 12)
        for (i, point) in points.enumerated() {
            d += i == 0 ? "M" : "L"
            d += coordinate(point.0) + " " + coordinate(point.1)
        }
        return d
    }

    /// Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a
    /// power of ten, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        var power = 1.0
        while power > raw { power /= 10 }
        while power * 10 <= raw { power *= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? power * 10
        var ticks: [Double] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + step * 1e-9 {
            ticks.append(k * step)
            k += 1
        }
        return ticks
    }
}

/// Maps a domain onto a range of view-box units (a range may run backwards,
/// as a y axis does).
struct LinearScale {
    var domain: ClosedRange<Double>
    var range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span > 0 ? (value - domain.lowerBound) / span : 0.5
        return range.0 + t * (range.1 - range.0)
    }
}

/// Text and attribute values for HTML that is also well-formed XML.
func escapeHTML(_ text: String) -> String { Markup.escape(text, quotes: .both) }

/// Colour-blind-safe colours (Okabe and Ito), chosen so that the two models
/// and the statuses also differ in shape or dash, never in colour alone.
enum Palette {
    static let candidate = "#0072B2"
    static let champion = "#E69F00"
    static let fail = "#D55E00"
    static let warn = "#CC79A7"
    static let pass = "#0072B2"
    static let muted = "#8C8C8C"

    /// A sequential blue for heat maps: t = 0 is near white, 1 dark blue.
    static func heat(_ t: Double) -> String {
        let t = min(1, max(0, t.isFinite ? t : 0))
        let from = (247.0, 251.0, 255.0)
        let to = (8.0, 48.0, 107.0)
        func channel(_ a: Double, _ b: Double) -> String {
            let v = Int((a + (b - a) * t).rounded())
            let hex = String(v, radix: 16, uppercase: true)
            return v < 16 ? "0" + hex : hex
        }
        return "#" + channel(from.0, to.0) + channel(from.1, to.1) + channel(from.2, to.2)
    }
}
