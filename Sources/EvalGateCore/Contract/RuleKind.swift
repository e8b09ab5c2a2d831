package enum RuleKind: String, Sendable, CaseIterable {
    case min, max
    case maxDrop = "max_drop"
    case maxDropPct = "max_drop_pct"
    case minGain = "min_gain"
    case minGainPct = "min_gain_pct"
    case maxGap = "max_gap"
    case minRatio = "min_ratio"

    /// Rules comparing candidate with champion.
    package var isChange: Bool {
        switch self {
        case .maxDrop, .maxDropPct, .minGain, .minGainPct: true
        default: false
        }
    }

    /// The change d (positive = better) a change rule requires, d ≥ this,
    /// given the champion's value h; nil for the other rules.
    package func requiredChange(limit: Double, champion h: Double) -> Double? {
        switch self {
        case .maxDrop: -limit
        case .maxDropPct: -(limit / 100 * abs(h))
        case .minGain: limit
        case .minGainPct: limit / 100 * abs(h)
        default: nil
        }
    }

    /// Rules over the slices of one group (`across:`).
    package var isDisparity: Bool { self == .maxGap || self == .minRatio }
}
