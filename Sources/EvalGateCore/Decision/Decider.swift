/// Applies the checks to the scored slices.
package struct Decider {
    package var contract: Contract
    package var slices: [ScoredSlice]
    /// The ledger run whose values stand in for the champion (`--baseline`).
    package var baselineRun: Int?

    package init(contract: Contract, slices: [ScoredSlice], baselineRun: Int? = nil) {
        self.contract = contract
        self.slices = slices
        self.baselineRun = baselineRun
    }

    /// Limits are compared with a tolerance of 1e-12 (scaled by the values'
    /// magnitude), so that a change of exactly the allowed amount, such as
    /// 0.91 -> 0.90 against max_drop 0.01, passes despite binary rounding.
    static let tolerance = 1e-12

    package func decide() -> [CheckResult] {
        let results = contract.checks.flatMap { check in
            check.across != nil ? disparity(check) : perSlice(check)
        }
        return correctsSignificance ? corrected(results) : results
    }

    /// Whether failures are decided on p-values adjusted over the run's
    /// blocking tests (fail_on: significant with a correction, bootstrap
    /// on, a champion to pair with).
    private var correctsSignificance: Bool {
        let statistics = contract.statistics
        return statistics.failOn == .significant && statistics.bootstrap > 0 && statistics.correction != .none
            && slices.contains { $0.champion != nil }
    }

    /// The family is every blocking result that was decided (pass or
    /// fail) and has a bootstrap p-value; each gets its adjusted p-value,
    /// and a point failure stands only when that is below 1 − confidence,
    /// otherwise it becomes a warning.
    private func corrected(_ results: [CheckResult]) -> [CheckResult] {
        let statistics = contract.statistics
        let family = results.indices.filter {
            results[$0].severity == .block && results[$0].pValueLimit != nil
                && [.pass, .fail].contains(results[$0].status)
        }
        let adjusted = MultipleComparisons.adjust(family.map { results[$0].pValueLimit! }, statistics.correction)
        let alpha = 1 - statistics.confidence
        let method = "the \(statistics.correction.rawValue) correction over \(family.count) blocking tests"
        var results = results
        for (index, p) in zip(family, adjusted) {
            results[index].pValueAdjusted = p
            guard results[index].status == .fail else { continue }
            let shown = "p = \(formatForPeople(results[index].pValueLimit!)), adjusted \(formatForPeople(p))"
            if p < alpha {
                results[index].reason += "; significant after \(method): \(shown) < \(formatForPeople(alpha))"
            } else {
                results[index].status = .warn
                results[index].reason += "; did not survive \(method): \(shown), not below \(formatForPeople(alpha))"
            }
        }
        return results
    }

    private func direction(_ metric: String) -> Direction {
        MetricRegistry.definition(metric, task: contract.task)?.direction ?? .none
    }

    // MARK: - Per-slice rules

    private func perSlice(_ check: CheckSpec) -> [CheckResult] {
        var results: [CheckResult] = []
        var matched = [Bool](repeating: false, count: slices.count)
        var unmatched: [String] = []
        for selector in check.selectors {
            var any = false
            for (index, scored) in slices.enumerated() where globMatches(selector, scored.slice.name) {
                matched[index] = true
                any = true
            }
            if !any { unmatched.append(selector) }
        }
        for (index, scored) in slices.enumerated() where matched[index] {
            for rule in check.rules { results.append(apply(rule, of: check, to: scored)) }
        }
        // A selector that matches nothing would gate nothing: it fails, so a
        // typo can never turn into a silent pass.
        let names = slices.map(\.slice)
        for selector in unmatched {
            for rule in check.rules {
                results.append(
                    result(
                        check, rule, slice: selector, status: .fail,
                        reason: unmatchedSelectorReason(selector, slices: names)))
            }
        }
        return results
    }

    private func result(
        _ check: CheckSpec, _ rule: Rule, slice: String, status: Status,
        candidate: Double? = nil, champion: Double? = nil, delta: Double? = nil, reason: String, pValue: Double? = nil
    ) -> CheckResult {
        let finalStatus: Status = status == .fail && check.severity == .warn ? .warn : status
        return CheckResult(
            check: check.id, metric: check.metric, slice: slice, rule: rule.kind, limit: rule.limit,
            status: finalStatus, severity: check.severity, candidate: candidate, champion: champion,
            delta: delta, reason: reason, pValueLimit: pValue)
    }

    private func apply(_ rule: Rule, of check: CheckSpec, to scored: ScoredSlice) -> CheckResult {
        let metric = check.metric
        let name = scored.slice.name
        guard scored.evaluated else {
            return result(
                check, rule, slice: name, status: .skipped,
                reason:
                    """
                    slice \(name) is too small to gate: \(scored.slice.rows.count) rows, min_slice_size is \
                    \(contract.minSliceSize)
                    """
            )
        }
        switch scored.candidate[metric]! {
        case .undefined(let why):
            return result(
                check, rule, slice: name, status: .skipped, reason: "\(metric) on \(name) is undefined: \(why)")
        case .value(let candidate):
            return rule.kind == .min || rule.kind == .max
                ? bound(rule, of: check, on: scored, candidate: candidate)
                : change(rule, of: check, on: scored, candidate: candidate)
        }
    }

    /// `min` and `max`: the candidate's value against a fixed limit.
    private func bound(_ rule: Rule, of check: CheckSpec, on scored: ScoredSlice, candidate: Double) -> CheckResult {
        let subject = "\(check.metric) on \(scored.slice.name)"
        let limit = rule.limit
        let slack = Self.slack(candidate, limit)
        let isMin = rule.kind == .min
        let passes: (Double) -> Bool = isMin ? { $0 >= limit - slack } : { $0 <= limit + slack }
        let ok = passes(candidate)
        let shown = "\(subject) is \(formatForPeople(candidate, distinctFrom: [limit]))"
        let side =
            isMin
            ? (ok ? "at least the minimum" : "below the minimum") : (ok ? "at most the maximum" : "above the maximum")
        let reason = "\(shown), \(side) \(formatForPeople(limit, distinctFrom: [candidate]))"
        let (status, why, p) = significance(
            ok, reason, scored, check.metric, draws: \.candidateDraws, passes: passes,
            interval: { $0.candidate }, failsWhen: isMin ? { $0.upperBound < limit } : { $0.lowerBound > limit })
        return result(
            check, rule, slice: scored.slice.name, status: status, candidate: candidate, reason: why, pValue: p)
    }

    /// The change rules: the candidate against the champion. Every one
    /// reads "change >= required", the change signed so that positive is
    /// better whatever the metric's direction.
    private func change(_ rule: Rule, of check: CheckSpec, on scored: ScoredSlice, candidate: Double) -> CheckResult {
        let metric = check.metric
        let name = scored.slice.name
        let subject = "\(metric) on \(name)"
        guard let championValues = scored.champion else {
            return result(
                check, rule, slice: name, status: .skipped, candidate: candidate,
                reason: "no champion given, so \(rule.kind.rawValue) on \(subject) cannot be checked")
        }
        let champion: Double
        switch championValues[metric]! {
        case .undefined(let why):
            return result(
                check, rule, slice: name, status: .skipped, candidate: candidate,
                reason: "\(subject) is undefined for the champion: \(why)")
        case .value(let value): champion = value
        }
        let change = direction(metric) == .lower ? champion - candidate : candidate - champion
        let slack = Self.slack(candidate, champion, rule.limit)
        guard let required = rule.kind.requiredChange(limit: rule.limit, champion: champion) else {
            preconditionFailure("min, max and disparity rules are handled elsewhere")
        }
        let ok = change >= required - slack
        let reason = changeReason(
            rule, subject: subject, candidate: candidate, champion: champion, change: change, ok: ok)
        let (status, why, p) = significance(
            ok, reason, scored, metric, draws: \.deltaDraws, passes: { $0 >= required - slack },
            interval: { $0.delta }, failsWhen: { $0.upperBound < required })
        return result(
            check, rule, slice: name, status: status, candidate: candidate, champion: champion, delta: change,
            reason: why, pValue: p)
    }

    /// "recall on high_value got worse by 0.2273 (0.7386 -> 0.5114), ...".
    private func changeReason(
        _ rule: Rule, subject: String, candidate: Double, champion: Double, change: Double, ok: Bool
    ) -> String {
        let show = { (x: Double, others: [Double]) in formatForPeople(x, distinctFrom: others) }
        let limit = rule.limit
        let move = "(\(show(champion, [candidate])) -> \(show(candidate, [champion])))"
        let changed =
            change < 0
            ? "got worse by \(show(-change, []))" : change > 0 ? "improved by \(show(change, []))" : "did not change"
        switch rule.kind {
        case .maxDrop:
            return
                """
                \(subject) \(changed) \(move), \(ok ? "within" : "more than") the \(show(limit, [-change])) drop \
                allowed
                """
        case .maxDropPct:
            let pct =
                champion == 0 ? "" : ", \(show(abs(change) / abs(champion) * 100, [limit]))% of the champion's value"
            return """
                \(subject) \(changed) \(move)\(pct), \(ok ? "within" : "more than") the \(show(limit, []))% drop \
                allowed
                """
        case .minGain:
            return
                """
                \(subject) \(changed) \(move), \(ok ? "at least" : "less than") the \(show(limit, [change])) gain \
                required
                """
        default:
            let pct = champion == 0 ? "" : ", \(show(change / abs(champion) * 100, [limit]))% of the champion's value"
            return """
                \(subject) \(changed) \(move)\(pct), \(ok ? "at least" : "less than") the \(show(limit, []))% gain \
                required
                """
        }
    }

    /// With `fail_on: significant` (bootstrap on, champion given), a point
    /// failure stands only when the whole interval lies on the failing side;
    /// otherwise it becomes a warning, "regression within noise". With a
    /// correction, a point failure with a p-value stays a failure here and
    /// `corrected` decides it. Also returns the rule's bootstrap p-value.
    private func significance(
        _ ok: Bool, _ reason: String, _ scored: ScoredSlice, _ metric: String,
        draws: KeyPath<MetricUncertainty, [Double]>, passes: (Double) -> Bool,
        interval: (MetricUncertainty) -> ClosedRange<Double>?, failsWhen: (ClosedRange<Double>) -> Bool
    ) -> (Status, String, Double?) {
        let statistics = contract.statistics
        let uncertainty = scored.uncertainty[metric]
        let p = uncertainty.flatMap { $0.pValue(of: $0[keyPath: draws], passes: passes) }
        guard !ok, statistics.failOn == .significant, statistics.bootstrap > 0, scored.champion != nil else {
            return (ok ? .pass : .fail, reason, p)
        }
        if let why = uncertainty?.notResampled {
            return (.fail, "\(reason); \(why), so this is decided on the point value", p)
        }
        let level = "\(formatNumber(statistics.confidence * 100))%"
        if correctsSignificance, p != nil { return (.fail, reason, p) }
        guard let range = uncertainty.flatMap(interval) else {
            if let run = baselineRun {
                return (
                    .fail,
                    """
                    \(reason); no \(level) interval: the champion's values come from ledger run \(run), which \
                    has no rows to resample beside the candidate's, so this is decided on the point value
                    """,
                    p
                )
            }
            return (
                .fail,
                """
                \(reason); no \(level) interval (most resamples left the metric undefined), decided on the point \
                value
                """,
                p
            )
        }
        let shown = "[\(formatForPeople(range.lowerBound)), \(formatForPeople(range.upperBound))]"
        if failsWhen(range) {
            return (.fail, "\(reason); significant: the whole \(level) interval \(shown) is on the failing side", p)
        }
        return (.warn, "\(reason); regression within noise: the \(level) interval \(shown) reaches the allowed side", p)
    }

    static func slack(_ values: Double...) -> Double {
        tolerance * max(1, values.map(abs).max() ?? 0)
    }

    // MARK: - across

    private func disparity(_ check: CheckSpec) -> [CheckResult] {
        let group = check.across!
        let members = slices.filter { $0.slice.group == group && $0.evaluated }
        let defined = members.compactMap { scored -> (slice: String, value: Double)? in
            scored.candidate[check.metric]?.number.map { (scored.slice.name, $0) }
        }
        return check.rules.map { rule in
            guard !members.isEmpty else { return gatesNothing(rule, of: check, group: group) }
            guard defined.count >= 2 else {
                return result(
                    check, rule, slice: group, status: .skipped,
                    reason:
                        """
                        \(check.metric) across \(group) needs at least two evaluated slices with a value, found \
                        \(defined.count)
                        """
                )
            }
            let low = defined.min { $0.value < $1.value }!
            let high = defined.max { $0.value < $1.value }!
            return spread(rule, of: check, group: group, low: low, high: high)
        }
    }

    /// Nothing to compare is a gate that checks nothing: fail closed.
    private func gatesNothing(_ rule: Rule, of check: CheckSpec, group: String) -> CheckResult {
        let all = slices.filter { $0.slice.group == group }
        let why =
            all.isEmpty
            ? "the group \(group) has no slices in the golden dataset"
            : """
            all \(all.count) slices of \(group) have fewer than min_slice_size (\(contract.minSliceSize)) \
            rows
            """
        return result(
            check, rule, slice: group, status: .fail,
            reason:
                """
                \(check.metric) across \(group) gates nothing: \(why); fix the data, the slice definition \
                or min_slice_size
                """
        )
    }

    /// `max_gap` (highest minus lowest) or `min_ratio` (lowest over highest).
    private func spread(
        _ rule: Rule, of check: CheckSpec, group: String, low: (slice: String, value: Double),
        high: (slice: String, value: Double)
    ) -> CheckResult {
        let show = { (x: Double, others: [Double]) in formatForPeople(x, distinctFrom: others) }
        let range =
            """
            \(check.metric) across \(group) ranges from \(show(low.value, [high.value])) \
            (\(low.slice)) to \(show(high.value, [low.value])) (\(high.slice))
            """
        if rule.kind == .maxGap {
            let gap = high.value - low.value
            let ok = gap <= rule.limit + Self.slack(gap, rule.limit)
            return result(
                check, rule, slice: group, status: ok ? .pass : .fail, candidate: gap,
                reason:
                    """
                    \(range): gap \(show(gap, [rule.limit])) \
                    \(ok ? "within" : "exceeds") the \(show(rule.limit, [gap])) \
                    allowed
                    """
            )
        }
        guard high.value > 0, low.value >= 0 else {
            return result(
                check, rule, slice: group, status: .skipped, reason: "\(range): min_ratio needs positive values")
        }
        let ratio = low.value / high.value
        let ok = ratio >= rule.limit - Self.slack(ratio, rule.limit)
        return result(
            check, rule, slice: group, status: ok ? .pass : .fail, candidate: ratio,
            reason:
                """
                \(range): ratio \(show(ratio, [rule.limit])) \
                \(ok ? "at least" : "below") the \(show(rule.limit, [ratio])) \
                required
                """
        )
    }
}
