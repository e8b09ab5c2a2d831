/// Adjusted p-values for a family of tests, as
/// `statsmodels.stats.multitest.multipletests` computes them.
package enum MultipleComparisons {
    /// The adjusted p-values, in the order of `p`.
    /// - holm: sorted ascending, p_(i)·(m − i + 1), made non-decreasing
    ///   (running maximum), capped at 1.
    /// - bh: sorted ascending, p_(i)·m / i, made non-decreasing from the
    ///   top (running minimum from the largest), capped at 1.
    package static func adjust(_ p: [Double], _ correction: Correction) -> [Double] {
        let m = p.count
        guard m > 0, correction != .none else { return p }
        let order = p.indices.sorted { (p[$0], $0) < (p[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        switch correction {
        case .holm:
            var running = 0.0
            for (i, index) in order.enumerated() {
                running = max(running, p[index] * Double(m - i))
                adjusted[index] = min(1, running)
            }
        case .bh:
            var running = Double.infinity
            for (i, index) in order.enumerated().reversed() {
                running = min(running, p[index] * Double(m) / Double(i + 1))
                adjusted[index] = min(1, running)
            }
        case .none:
            break
        }
        return adjusted
    }
}
