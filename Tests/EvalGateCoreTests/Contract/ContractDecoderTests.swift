import Testing

@testable import EvalGateCore

struct ContractDecoderTests {
    static let minimal = """
        version: 1
        name: g
        dataset: {path: d.csv, id: id, label: y}
        models: {candidate: {path: c.csv, score: s}}
        checks:
          - metric: auc
            min: 0.8

        """

    @Test func minimalGateDecodesWithDefaults() throws {
        let contract = try decode(Self.minimal).get()
        #expect(contract.task == .binary)
        #expect(contract.decisionThreshold == 0.5)
        #expect(contract.minSliceSize == 1)
        #expect(contract.checks.first?.selectors == ["*"])
        #expect(contract.checks.first?.severity == .block)
        #expect(contract.champion == nil)
    }

    @Test func jsonGateFilesDecodeToo() throws {
        let json = """
            {"version": 1, "name": "g", "dataset": {"path": "d.csv", "id": "id", "label": "y"},
             "models": {"candidate": {"score": "s"}}, "checks": [{"metric": "recall", "max_drop_pct": 2}]}
            """
        let contract = try decode(json, path: "g.json").get()
        #expect(contract.checks[0].rules == [Rule(kind: .maxDropPct, limit: 2)])
    }

    @Test(arguments: [
        // (gate text change, expected message fragment)
        (
            "version: 1\n", "version: 2\n",
            "gate.yaml:1:10: version: this gate file needs evalgate for version 2; this evalgate reads version 1"
        ),
        (
            "name: g\n", "name: g\nthreshold: 0.5\n",
            "gate.yaml:3:1: threshold: unknown key 'threshold' at the top level."
        ),
        (
            "    min: 0.8\n", "    mni: 0.8\n",
            "gate.yaml:7:5: checks[0].mni: unknown key 'mni' in 'checks[0]'. Did you mean 'min'?"
        ),
        ("    min: 0.8\n", "    min: high\n", "gate.yaml:7:10: checks[0].min: expected a number, found 'high'"),
        (
            "    min: 0.8\n", "    min: \"0.8\"\n",
            "checks[0].min: expected a number, found the string \"0.8\"; write the number without quotes"
        ),
        (
            "  - metric: auc\n", "  - metric: aucc\n",
            "gate.yaml:6:13: checks[0].metric: unknown metric 'aucc'. Did you mean 'auc'?"
        ),
        ("  - metric: auc\n", "  - metric: mae\n", "checks[0].metric: metric 'mae' does not apply to task binary"),
        (
            "    min: 0.8\n", "    max_drop: 0.01\n    min: 0\n  - metric: count\n    max_drop: 5\n",
            "gate.yaml:10:15: checks[1].max_drop: 'max_drop' compares with the champion, but 'count' has no better direction; use min or max"
        ),
        (
            "name: g\n", "name: g h\n",
            "gate.yaml:2:7: name: gate name 'g h' may use only letters, digits, '.', '_' and '-'"
        ),
        ("name: g\n", "", "gate.yaml:1:1: missing required key 'name' at the top level"),
        (
            "    min: 0.8\n", "    across: merchnt\n    max_gap: 0.1\n",
            "checks[0].across: 'merchnt' is not a slice group defined in 'slices'"
        ),
        (
            "    min: 0.8\n", "    max_gap: 0.1\n",
            "checks[0].max_gap: 'max_gap' compares the slices of one group; add 'across: GROUP'"
        ),
        (
            "    min: 0.8\n", "    min: 0.8\n    severity: fatal\n",
            "checks[0].severity: 'fatal' is not one of: block, warn."
        ),
        (
            "dataset: {path: d.csv, id: id, label: y}\n", "dataset: [d.csv]\n",
            "gate.yaml:3:10: dataset: expected a mapping of keys to values, found a list"
        ),
        (
            "  - metric: auc\n    min: 0.8\n", "  []\n",
            "gate.yaml:6:3: checks: 'checks' is empty; a gate needs at least one check"
        ),
        (
            "  - metric: auc\n    min: 0.8\n", "  metric: auc\n",
            "gate.yaml:6:3: checks: expected a list, found a mapping"
        ),
    ])
    func invalidGatesNameKeyLineAndFix(original: String, replacement: String, expected: String) throws {
        let text = Self.minimal.replacingOccurrences(of: original, with: replacement)
        let message = try #require(decodeError(text), "expected an error for: \(replacement)")
        #expect(message.contains(expected), "got: \(message)")
    }

    @Test func whereSyntaxErrorsPointIntoTheExpression() throws {
        let text = Self.minimal + "slices:\n  - name: big\n    where: amount >= and x == 1\n"
        let message = try #require(decodeError(text))
        #expect(
            message
                == "gate.yaml:10:22: slices[0].where: cannot parse the where expression at character 11: expected a number or a quoted string, found 'and'"
        )
    }

    @Test func acrossNamingAWhereSliceExplainsGroups() throws {
        let text =
            Self.minimal.replacingOccurrences(of: "    min: 0.8\n", with: "    across: big\n    max_gap: 0.1\n")
            + "slices:\n  - {name: big, where: amount > 5}\n"
        let message = try #require(decodeError(text))
        #expect(message.contains("'big' is a where slice, which is a single slice, not a group."))
    }

    @Test func slicesDecodeEveryForm() throws {
        let text =
            Self.minimal + """
                slices:
                  - {name: hv, where: "amount >= 10000 and channel != \\"atm\\""}
                  - {name: m, by: merchant}
                  - {name: rc, by: [region, channel]}
                  - {name: band, by: amount, bins: [0, 100, 1000]}
                """
        let contract = try decode(text).get()
        #expect(contract.slices.map(\.name) == ["hv", "m", "rc", "band"])
        guard case .bins(_, "amount", let edges) = contract.slices[3] else {
            Issue.record("bins")
            return
        }
        #expect(edges == [0, 100, 1000])
    }

    @Test func binEdgesMustIncrease() throws {
        let message = try #require(decodeError(Self.minimal + "slices:\n  - {name: b, by: a, bins: [0, 10, 5]}\n"))
        #expect(message.contains("bin edges must increase strictly; 10 is followed by 5"))
    }

    @Test func duplicateKeysAndSliceNamesAreRejected() throws {
        let duplicateKey = try #require(decodeError(Self.minimal + "name: again\n"))
        #expect(duplicateKey.contains("duplicated key(s): 'name'"))
        let duplicateSlice = try #require(
            decodeError(Self.minimal + "slices:\n  - {name: a, by: x}\n  - {name: a, by: y}\n"))
        #expect(duplicateSlice.contains("slice name 'a' is used twice"))
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        let message = try #require(decodeError("version: 1\nname: [unclosed\n"))
        #expect(message.hasPrefix("gate.yaml:"))
        #expect(message.contains("not valid YAML/JSON"))
    }

    /// log_loss needs class probabilities from every model it compares.
    @Test(arguments: [
        "{candidate: {prediction: p}}",
        "{candidate: {scores: {a: pa, b: pb}}, champion: {prediction: p}}",
    ])
    func multiclassLogLossNeedsScores(models: String) throws {
        let text = """
            version: 1
            name: g
            task: multiclass
            dataset: {path: d.csv, id: id, label: y}
            models: \(models)
            checks: [{metric: log_loss, max: 1}]
            """
        let message = try #require(decodeError(text))
        #expect(message.contains("log_loss needs class probabilities"))
    }

    @Test func everyErrorIsExitCodeTwo() {
        if case .failure(let error) = decode("version: 3\n") {
            #expect(error.exitCode == 2)
        } else {
            Issue.record("no error")
        }
    }
}
