import Testing

@testable import EvalGateCore

/// Every rule at, just above and just below its limit, for both metric
/// directions; warn, skipped and across.
struct DeciderTests {
    static func contract(_ checks: [CheckSpec], minSliceSize: Int = 1) -> Contract {
        Contract(
            version: 1, name: "g", revision: nil, description: nil, task: .binary,
            dataset: DatasetSpec(path: "d.csv", id: "id", label: "y"), candidate: ModelSpec(score: "s"),
            champion: ModelSpec(score: "s"),
            decisionThreshold: 0.5, minSliceSize: minSliceSize, maxSlicesPerGroup: 1000,
            slices: [.by(name: "m", columns: ["m"])],
            sliceSources: [:], checks: checks,
            statistics: StatisticsSpec(), baseDirectory: "")
    }

    static func check(
        _ metric: String, _ kind: RuleKind, _ limit: Double, slices: [String] = ["*"], severity: Severity = .block,
        across: String? = nil
    ) -> CheckSpec {
        CheckSpec(
            id: "checks[0]", metric: metric, selectors: slices, across: across, rules: [Rule(kind: kind, limit: limit)],
            severity: severity)
    }

    static func scored(
        _ name: String, rows: Int = 100, group: String? = nil, candidate: [String: MetricValue],
        champion: [String: MetricValue]?
    ) -> ScoredSlice {
        ScoredSlice(
            slice: SliceRows(name: name, group: group, key: nil, rows: (0..<Int32(rows)).map { $0 }),
            weight: Double(rows),
            evaluated: rows >= 10,
            candidate: candidate, champion: champion)
    }

    func decide(_ check: CheckSpec, c: Double, h: Double?) -> CheckResult {
        let slice = Self.scored(
            "overall", candidate: [check.metric: .value(c)], champion: h.map { [check.metric: .value($0)] })
        let results = Decider(contract: Self.contract([check]), slices: [slice]).decide()
        #expect(results.count == 1)
        return results[0]
    }

    @Test(
        arguments: [
            // (metric, rule, limit, candidate, champion, expected status)
            ("auc", RuleKind.min, 0.8, 0.8, nil, Status.pass), ("auc", .min, 0.8, 0.8000001, nil, .pass),
            ("auc", .min, 0.8, 0.7999999, nil, .fail),
            ("log_loss", .max, 0.3, 0.3, nil, .pass), ("log_loss", .max, 0.3, 0.2999999, nil, .pass),
            ("log_loss", .max, 0.3, 0.3000001, nil, .fail),
            // higher is better: d = c - h
            ("auc", .maxDrop, 0.01, 0.90, 0.91, .pass), ("auc", .maxDrop, 0.01, 0.9000001, 0.91, .pass),
            ("auc", .maxDrop, 0.01, 0.8999999, 0.91, .fail),
            // lower is better: d = h - c, so a rise of log_loss is a drop
            ("log_loss", .maxDrop, 0.01, 0.31, 0.30, .pass), ("log_loss", .maxDrop, 0.01, 0.3099999, 0.30, .pass),
            ("log_loss", .maxDrop, 0.01, 0.3100001, 0.30, .fail),
            ("log_loss", .maxDrop, 0.01, 0.10, 0.30, .pass),
            // max_drop_pct: d >= -(p/100)|h|
            ("recall", .maxDropPct, 1, 0.792, 0.8, .pass), ("recall", .maxDropPct, 1, 0.7920001, 0.8, .pass),
            ("recall", .maxDropPct, 1, 0.7919999, 0.8, .fail),
            ("brier", .maxDropPct, 10, 0.22, 0.2, .pass), ("brier", .maxDropPct, 10, 0.2200001, 0.2, .fail),
            // min_gain: d >= x
            ("auc", .minGain, 0.005, 0.905, 0.9, .pass), ("auc", .minGain, 0.005, 0.9050001, 0.9, .pass),
            ("auc", .minGain, 0.005, 0.9049999, 0.9, .fail),
            ("mcc", .minGain, 0, 0.5, 0.5, .pass),
            ("fpr", .minGain, 0.01, 0.09, 0.10, .pass), ("fpr", .minGain, 0.01, 0.0900001, 0.10, .fail),
            // min_gain_pct: d >= (p/100)|h|
            ("f1", .minGainPct, 5, 0.84, 0.8, .pass), ("f1", .minGainPct, 5, 0.8400001, 0.8, .pass),
            ("f1", .minGainPct, 5, 0.8399999, 0.8, .fail),
            ("ece", .minGainPct, 50, 0.05, 0.1, .pass), ("ece", .minGainPct, 50, 0.0500001, 0.1, .fail),
        ] as [(String, RuleKind, Double, Double, Double?, Status)])
    func rulesAtAboveAndBelowTheirLimit(
        metric: String, kind: RuleKind, limit: Double, c: Double, h: Double?, status: Status
    ) {
        let result = decide(Self.check(metric, kind, limit), c: c, h: h)
        #expect(
            result.status == status,
            "\(metric) \(kind.rawValue) \(limit): c=\(c) h=\(String(describing: h)) -> \(result.reason)")
        if let h, kind.isChange {
            #expect(result.delta == Self.expectedChange["\(metric) \(c) \(h)"], "\(metric) c=\(c) h=\(h)")
        }
    }

    /// The change of each row above with a champion, from Python 3 floats:
    /// `h - c` for the lower-is-better metrics (log_loss, brier, fpr, ece),
    /// `c - h` for the others, printed with `repr`.
    static let expectedChange: [String: Double] = [
        "auc 0.9 0.91": -0.010000000000000009,
        "auc 0.9000001 0.91": -0.009999900000000062,
        "auc 0.8999999 0.91": -0.010000100000000067,
        "log_loss 0.31 0.3": -0.010000000000000009,
        "log_loss 0.3099999 0.3": -0.009999900000000006,
        "log_loss 0.3100001 0.3": -0.010000100000000012,
        "log_loss 0.1 0.3": 0.19999999999999998,
        "recall 0.792 0.8": -0.008000000000000007,
        "recall 0.7920001 0.8": -0.00799990000000006,
        "recall 0.7919999 0.8": -0.008000100000000065,
        "brier 0.22 0.2": -0.01999999999999999,
        "brier 0.2200001 0.2": -0.020000099999999993,
        "auc 0.905 0.9": 0.0050000000000000044,
        "auc 0.9050001 0.9": 0.005000099999999952,
        "auc 0.9049999 0.9": 0.004999899999999946,
        "mcc 0.5 0.5": 0.0,
        "fpr 0.09 0.1": 0.010000000000000009,
        "fpr 0.0900001 0.1": 0.009999900000000006,
        "f1 0.84 0.8": 0.039999999999999925,
        "f1 0.8400001 0.8": 0.04000009999999998,
        "f1 0.8399999 0.8": 0.03999989999999998,
        "ece 0.05 0.1": 0.05,
        "ece 0.0500001 0.1": 0.04999990000000001,
    ]

    @Test func reasonsReadLikeACILogLine() {
        let drop = decide(Self.check("auc", .maxDrop, 0.01), c: 0.899, h: 0.912)
        #expect(drop.reason == "auc on overall got worse by 0.013 (0.912 -> 0.899), more than the 0.01 drop allowed")
        let close = decide(Self.check("auc", .maxDrop, 0.01), c: 0.90999, h: 0.92)
        #expect(close.reason == "auc on overall got worse by 0.01001 (0.92 -> 0.91), more than the 0.01 drop allowed")
        let pct = decide(Self.check("recall", .maxDropPct, 1), c: 0.5, h: 0.8)
        #expect(
            pct.reason
                == "recall on overall got worse by 0.3 (0.8 -> 0.5), 37.5% of the champion's value, more than the 1% drop allowed"
        )
        let min = decide(Self.check("auc", .min, 0.8), c: 0.7712, h: nil)
        #expect(min.reason == "auc on overall is 0.7712, below the minimum 0.8")
    }

    @Test func warnSeverityTurnsFailuresIntoWarnings() {
        let result = decide(Self.check("auc", .min, 0.8, severity: .warn), c: 0.5, h: nil)
        #expect(result.status == .warn)
        #expect(result.severity == .warn)
        let passing = decide(Self.check("auc", .min, 0.8, severity: .warn), c: 0.9, h: nil)
        #expect(passing.status == .pass)
    }

    @Test func changeRulesWithoutAChampionAreSkipped() {
        let result = decide(Self.check("auc", .maxDrop, 0.01), c: 0.9, h: nil)
        #expect(result.status == .skipped)
        #expect(result.reason == "no champion given, so max_drop on auc on overall cannot be checked")
    }

    @Test func undefinedMetricsAndSmallSlicesAreSkipped() {
        let undefined = Self.scored(
            "m/x", candidate: ["recall": .undefined("the slice has no positive labels")],
            champion: ["recall": .value(0.5)])
        let small = Self.scored("m/y", rows: 3, candidate: [:], champion: nil)
        let results = Decider(
            contract: Self.contract([Self.check("recall", .min, 0.5)], minSliceSize: 10), slices: [undefined, small]
        ).decide()
        #expect(results.map(\.status) == [.skipped, .skipped])
        #expect(results[0].reason == "recall on m/x is undefined: the slice has no positive labels")
        #expect(results[1].reason == "slice m/y is too small to gate: 3 rows, min_slice_size is 10")
    }

    @Test func selectorsThatMatchNothingFailLiteralOrGlob() {
        let slices = [
            Self.scored("overall", candidate: ["auc": .value(0.9)], champion: nil),
            Self.scored("high_value", candidate: ["auc": .value(0.9)], champion: nil),
        ]
        let results = Decider(
            contract: Self.contract([
                Self.check("auc", .min, 0.8, slices: ["overall", "high_vale", "hihg_value*", "m/*"])
            ]),
            slices: slices
        ).decide()
        #expect(results.map(\.status) == [.pass, .fail, .fail, .fail])
        #expect(results.map(\.slice) == ["overall", "high_vale", "hihg_value*", "m/*"])
        #expect(
            results[1].reason.hasPrefix(
                "slice 'high_vale' not found in the golden dataset, so this check would gate nothing. Did you mean 'high_value'?"
            ))
        #expect(
            results[2].reason.hasPrefix(
                "the selector 'hihg_value*' matches no slice in the golden dataset, so this check would gate nothing. Did you mean 'high_value*'?"
            ))
        #expect(results[3].reason.contains("The slices are: overall, high_value."))
    }

    @Test func anUnmatchedSelectorOfAWarnCheckWarns() {
        let slices = [Self.scored("overall", candidate: ["auc": .value(0.9)], champion: nil)]
        let results = Decider(
            contract: Self.contract([Self.check("auc", .min, 0.8, slices: ["nope*"], severity: .warn)]), slices: slices
        ).decide()
        #expect(results.map(\.status) == [.warn])
    }

    @Test func acrossAGroupWithNoEvaluatedSliceFails() {
        let small = Self.scored("m/a", rows: 3, group: "m", candidate: [:], champion: nil)
        let check = Self.check("recall", .maxGap, 0.1, across: "m")
        let results = Decider(contract: Self.contract([check], minSliceSize: 10), slices: [small]).decide()
        #expect(results.map(\.status) == [.fail])
        #expect(
            results[0].reason
                == "recall across m gates nothing: all 1 slices of m have fewer than min_slice_size (10) rows; fix the data, the slice definition or min_slice_size"
        )
        let none = Decider(contract: Self.contract([check]), slices: []).decide()
        #expect(
            none[0].reason.hasPrefix("recall across m gates nothing: the group m has no slices in the golden dataset"))
    }

    @Test func acrossComparesTheGroupsEvaluatedSlices() {
        let slices = [
            Self.scored("overall", candidate: ["recall": .value(0.7)], champion: nil),
            Self.scored("m/a", group: "m", candidate: ["recall": .value(0.6)], champion: nil),
            Self.scored("m/b", group: "m", candidate: ["recall": .value(0.8)], champion: nil),
            Self.scored("m/c", rows: 2, group: "m", candidate: [:], champion: nil),
            Self.scored("m/d", group: "m", candidate: ["recall": .undefined("no positives")], champion: nil),
        ]
        func run(_ kind: RuleKind, _ limit: Double) -> CheckResult {
            Decider(
                contract: Self.contract([Self.check("recall", kind, limit, slices: [], across: "m")]), slices: slices
            ).decide()[0]
        }
        #expect(run(.maxGap, 0.2).status == .pass)
        #expect(run(.maxGap, 0.19).status == .fail)
        #expect(
            run(.maxGap, 0.19).reason
                == "recall across m ranges from 0.6 (m/a) to 0.8 (m/b): gap 0.2 exceeds the 0.19 allowed")
        #expect(run(.minRatio, 0.75).status == .pass)
        #expect(run(.minRatio, 0.76).status == .fail)
        #expect(run(.minRatio, 0.76).candidate == 0.6 / 0.8)
        let lonely = Decider(
            contract: Self.contract([Self.check("recall", .maxGap, 0.1, slices: [], across: "m")]),
            slices: Array(slices.prefix(2))
        ).decide()[0]
        #expect(lonely.status == .skipped)
    }
}
