package enum Severity: String, Sendable, CaseIterable {
    case block, warn
}

/// One rule of a check: a kind and its limit.
package struct Rule: Sendable, Equatable {
    package var kind: RuleKind
    package var limit: Double
}

package struct CheckSpec: Sendable {
    /// Position in `checks`, e.g. "checks[2]"; names the check in reports.
    package var id: String
    package var metric: String
    package var selectors: [String]
    package var across: String?
    package var rules: [Rule]
    package var severity: Severity
}
