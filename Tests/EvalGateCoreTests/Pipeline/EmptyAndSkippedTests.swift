import Foundation
import Testing

@testable import EvalGateCore

struct EmptyAndSkippedTests {
    @Test func aGoldenSetWithoutRowsIsADataError() throws {
        let folder = try scratch(["gate.yaml": DataLoaderTests.gate(model: "score: s"), "golden.csv": "id,y,s\n"])
        let report = runGate(folder)
        #expect(report.exitCode == 3)
        #expect(
            report.error?.description
                == "golden.csv: the golden dataset has a header but no rows; a gate needs data to score")
    }

    @Test func aGateWhoseEveryResultIsSkippedGatesNothingAndNeverPasses() throws {
        let folder = try scratch([
            "gate.yaml": DataLoaderTests.gate(model: "score: s").replacingOccurrences(
                of: "accuracy, min: 0", with: "auc, min: 0.5"), "golden.csv": "id,y,s\n1,1,0.5\n2,1,0.7\n",
        ])
        let report = runGate(folder)
        #expect(report.verdict == .error)
        #expect(report.exitCode == 2)
        #expect(report.results.map(\.status) == [.skipped], "the skipped results stay in the report")
        #expect(
            report.error?.description.contains(
                "nothing would be gated: all 1 results were skipped (first: checks[0] on overall: auc on overall is undefined"
            ) == true)
    }
}
