/// Status of one rule on one slice (SPEC.md section 6).
package enum Status: String, Sendable {
    case pass, fail, warn, skipped
}

/// One rule of one check on one slice, with the one-line reason a person
/// reads in a CI log.
package struct CheckResult: Sendable, Equatable {
    package var check: String
    package var metric: String
    package var slice: String
    package var rule: RuleKind
    package var limit: Double
    package var status: Status
    package var severity: Severity
    package var candidate: Double?
    package var champion: Double?
    package var delta: Double?
    package var reason: String
    /// One-sided bootstrap p-value of the failure against the limit
    /// (`MetricUncertainty.pValue(of:passes:)`); nil without statistics.
    package var pValueLimit: Double? = nil
    /// `pValueLimit` adjusted by the gate's correction over the run's
    /// blocking tests; nil when the result is not one of them.
    package var pValueAdjusted: Double? = nil
}

/// A slice as scored: its values per metric for both models.
package struct ScoredSlice: Sendable {
    package var slice: SliceRows
    package var weight: Double
    package var evaluated: Bool
    /// Metric name -> value, for every metric the gate checks.
    package var candidate: [String: MetricValue]
    package var champion: [String: MetricValue]?
    /// Bootstrap intervals and paired tests per metric (empty without statistics).
    package var uncertainty: [String: MetricUncertainty] = [:]
}
