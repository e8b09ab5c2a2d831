import Foundation
import Testing

@testable import EvalGateCore

struct LineageTests {
    @Test func githubAndGitLabContextsComeFromTheirVariables() {
        let github = CIContext.from([
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": "abc", "GITHUB_REF": "refs/pull/7/merge",
            "GITHUB_REPOSITORY": "acme/m",
            "GITHUB_RUN_ID": "99", "GITHUB_SERVER_URL": "https://github.example.com",
        ])
        #expect(
            github
                == CIContext(
                    system: "github-actions", commit: "abc", ref: "refs/pull/7/merge", repository: "acme/m",
                    runID: "99", runURL: "https://github.example.com/acme/m/actions/runs/99"))
        let gitlab = CIContext.from([
            "GITLAB_CI": "true", "CI_COMMIT_SHA": "def", "CI_COMMIT_REF_NAME": "main", "CI_PROJECT_PATH": "acme/m",
            "CI_PIPELINE_ID": "5", "CI_JOB_URL": "https://gitlab.com/acme/m/-/jobs/8",
        ])
        #expect(
            gitlab
                == CIContext(
                    system: "gitlab-ci", commit: "def", ref: "main", repository: "acme/m", runID: "5",
                    runURL: "https://gitlab.com/acme/m/-/jobs/8"))
        #expect(CIContext.from(["CI": "true"]) == nil)
    }

    @Test func labelsAreKeyValuePairsWithUniqueKeys() throws {
        #expect(try Lineage.labels(["b=2", "a=x=y"]) == [.init(key: "b", value: "2"), .init(key: "a", value: "x=y")])
        #expect(Lineage(labels: try Lineage.labels(["b=2", "a=1"])).labels.map(\.key) == ["a", "b"])
        #expect(
            throws: EvalGateError.usage("--label 'novalue' needs the form KEY=VALUE, e.g. --label model_version=42")
        ) { try Lineage.labels(["novalue"]) }
        #expect(throws: EvalGateError.usage("--label a is given twice; give each key once")) {
            try Lineage.labels(["a=1", "a=2"])
        }
        #expect(throws: EvalGateError.self) { try Lineage.labels(["a b=1"]) }
    }

    @Test func theReportCarriesTheLineage() {
        let report = fraudReport(
            labels: [.init(key: "data_snapshot", value: "2026-11-01")],
            ci: CIContext(system: "gitlab-ci", commit: "def", ref: nil, repository: nil, runID: nil, runURL: nil))
        let json = JSONReport.render(report)
        #expect(
            json.contains(
                """
                  "lineage": {
                    "ci": {
                      "system": "gitlab-ci",
                      "commit": "def",
                """))
        #expect(json.contains("\"data_snapshot\": \"2026-11-01\""))
    }

    @Test func aRecordedBaselineStandsInForTheChampion() throws {
        // The champion's own run, then the candidate gated against it.
        let ledger = try Ledger(try scratch([:]) + "/ledger.sqlite")
        _ = try ledger.record(fraudReport(candidate: "\(repoRoot)/fixtures/fraud/champion.csv"), version: "0.1.0")
        var options = RunOptions(gatePath: "\(repoRoot)/gates/fraud.yaml", jobs: 2)
        options.baseline = { (gate, sha) throws(EvalGateError) in
            try ledger.baseline(.lastPass, gate: gate, datasetSha256: sha)
        }
        let report = Pipeline.run(options)
        let direct = fraudReport()
        #expect(report.exitCode == 1)
        // flip_rate needs the champion's predictions, which a recorded run does not keep.
        let compared = { (r: Report) in r.results.filter { $0.metric != "flip_rate" } }
        #expect(
            compared(report).map(\.status) == compared(direct).map(\.status),
            "the same decisions as with the champion's predictions")
        #expect(compared(report).map(\.reason) == compared(direct).map(\.reason))
        let flips = report.results.filter { $0.metric == "flip_rate" }
        #expect(
            flips.count == 2
                && flips.allSatisfy {
                    $0.status == .skipped && $0.reason.contains("a --baseline run records values, not predictions")
                })
        #expect(report.baseline?.run == 1)
        #expect(report.inputs.map(\.role) == ["dataset", "candidate"])
        #expect(
            report.notes.contains { $0.hasPrefix("the champion's values are the candidate values of ledger run 1") })
    }
}
