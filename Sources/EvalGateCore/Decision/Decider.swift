/// Applies the checks to the scored slices.
package struct Decider {
    package var contract: Contract
    package var slices: [ScoredSlice]

    package init(contract: Contract, slices: [ScoredSlice]) {
        self.contract = contract
        self.slices = slices
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
        let subject = "\(metric) on \(name)"
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
        let c: Double
        switch scored.candidate[metric]! {
        case .undefined(let why):
            return result(check, rule, slice: name, status: .skipped, reason: "\(subject) is undefined: \(why)")
        case .value(let value): c = value
        }
        let limit = rule.limit
        let show = { (x: Double, others: [Double]) in formatForPeople(x, distinctFrom: others) }
        switch rule.kind {
        case .min:
            let ok = c >= limit - Self.slack(c, limit)
            let reason =
                ok
                ? "\(subject) is \(show(c, [limit])), at least the minimum \(show(limit, [c]))"
                : "\(subject) is \(show(c, [limit])), below the minimum \(show(limit, [c]))"
            let slack = Self.slack(c, limit)
            let (status, why, p) = significance(
                ok, reason, scored, metric, draws: \.candidateDraws, passes: { $0 >= limit - slack },
                interval: { $0.candidate }, failsWhen: { $0.upperBound < limit })
            return result(check, rule, slice: name, status: status, candidate: c, reason: why, pValue: p)
        case .max:
            let ok = c <= limit + Self.slack(c, limit)
            let reason =
                ok
                ? "\(subject) is \(show(c, [limit])), at most the maximum \(show(limit, [c]))"
                : "\(subject) is \(show(c, [limit])), above the maximum \(show(limit, [c]))"
            let slack = Self.slack(c, limit)
            let (status, why, p) = significance(
                ok, reason, scored, metric, draws: \.candidateDraws, passes: { $0 <= limit + slack },
                interval: { $0.candidate }, failsWhen: { $0.lowerBound > limit })
            return result(check, rule, slice: name, status: status, candidate: c, reason: why, pValue: p)
        default:
            break
        }
        // Change rules: compare with the champion.
        guard let championValues = scored.champion else {
            return result(
                check, rule, slice: name, status: .skipped, candidate: c,
                reason: "no champion given, so \(rule.kind.rawValue) on \(subject) cannot be checked")
        }
        let h: Double
        switch championValues[metric]! {
        case .undefined(let why):
            return result(
                check, rule, slice: name, status: .skipped, candidate: c,
                reason: "\(subject) is undefined for the champion: \(why)")
        case .value(let value): h = value
        }
        let d = direction(metric) == .lower ? h - c : c - h
        let move = "(\(show(h, [c])) -> \(show(c, [h])))"
        let change = d < 0 ? "got worse by \(show(-d, []))" : d > 0 ? "improved by \(show(d, []))" : "did not change"
        let slack = Self.slack(c, h, limit)
        // Every change rule reads "d >= required".
        guard let required = rule.kind.requiredChange(limit: limit, champion: h) else {
            preconditionFailure("min, max and disparity rules are handled elsewhere")
        }
        let ok = d >= required - slack
        let reason: String
        switch rule.kind {
        case .maxDrop:
            reason =
                "\(subject) \(change) \(move), \(ok ? "within" : "more than") the \(show(limit, [-d])) drop allowed"
        case .maxDropPct:
            let pct = h == 0 ? "" : ", \(show(abs(d) / abs(h) * 100, [limit]))% of the champion's value"
            reason =
                """
                \(subject) \(change) \(move)\(pct), \(ok ? "within" : "more than") the \(show(limit, []))% drop \
                allowed
                """
        case .minGain:
            reason =
                "\(subject) \(change) \(move), \(ok ? "at least" : "less than") the \(show(limit, [d])) gain required"
        default:
            let pct = h == 0 ? "" : ", \(show(d / abs(h) * 100, [limit]))% of the champion's value"
            reason =
                """
                \(subject) \(change) \(move)\(pct), \(ok ? "at least" : "less than") the \(show(limit, []))% gain \
                required
                """
        }
        let (status, why, p) = significance(
            ok, reason, scored, metric, draws: \.deltaDraws, passes: { $0 >= required - slack },
            interval: { $0.delta }, failsWhen: { $0.upperBound < required })
        return result(
            check, rule, slice: name, status: status, candidate: c, champion: h, delta: d, reason: why, pValue: p)
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
        let defined = members.compactMap { scored -> (String, Double)? in
            scored.candidate[check.metric]?.number.map { (scored.slice.name, $0) }
        }
        let all = slices.filter { $0.slice.group == group }
        return check.rules.map { rule in
            guard !members.isEmpty else {
                // Nothing to compare is a gate that checks nothing: fail closed.
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
            let low = defined.min { $0.1 < $1.1 }!
            let high = defined.max { $0.1 < $1.1 }!
            let range =
                """
                \(check.metric) across \(group) ranges from \(formatForPeople(low.1, distinctFrom: [high.1])) \
                (\(low.0)) to \(formatForPeople(high.1, distinctFrom: [low.1])) (\(high.0))
                """
            if rule.kind == .maxGap {
                let gap = high.1 - low.1
                let ok = gap <= rule.limit + Self.slack(gap, rule.limit)
                return result(
                    check, rule, slice: group, status: ok ? .pass : .fail, candidate: gap,
                    reason:
                        """
                        \(range): gap \(formatForPeople(gap, distinctFrom: [rule.limit])) \
                        \(ok ? "within" : "exceeds") the \(formatForPeople(rule.limit, distinctFrom: [gap])) \
                        allowed
                        """
                )
            }
            guard high.1 > 0, low.1 >= 0 else {
                return result(
                    check, rule, slice: group, status: .skipped,
                    reason: "\(range): min_ratio needs positive values")
            }
            let ratio = low.1 / high.1
            let ok = ratio >= rule.limit - Self.slack(ratio, rule.limit)
            return result(
                check, rule, slice: group, status: ok ? .pass : .fail, candidate: ratio,
                reason:
                    """
                    \(range): ratio \(formatForPeople(ratio, distinctFrom: [rule.limit])) \
                    \(ok ? "at least" : "below") the \(formatForPeople(rule.limit, distinctFrom: [ratio])) \
                    required
                    """
            )
        }
    }
}
