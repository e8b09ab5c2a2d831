import Foundation
import Testing

@testable import EvalGateCore

/// The reference in docs/ is the user's contract: it must name every metric
/// and rule the code registers, and every gate file it shows must be one
/// that evalgate accepts.
struct DocsTests {
    static let reference = (try? String(contentsOfFile: "\(repoRoot)/docs/reference.md", encoding: .utf8)) ?? ""

    /// Each metric, with its task and direction, in the metrics table.
    @Test(arguments: MetricRegistry.all.map { "\($0.name) \($0.direction)" })
    func everyMetricIsDocumented(_ entry: String) throws {
        let name = String(entry.split(separator: " ")[0])
        let row = Self.reference.split(separator: "\n").first { $0.hasPrefix("|") && $0.contains("`\(name)`") }
        let found = try #require(row, "docs/reference.md has no metrics-table row for `\(name)`")
        let direction = String(entry.split(separator: " ")[1])
        #expect(found.contains("| \(direction) |"), "the row of `\(name)` should say its direction '\(direction)'")
    }

    @Test(arguments: RuleKind.allCases)
    func everyRuleIsDocumented(_ rule: RuleKind) {
        #expect(
            Self.reference.contains("| `\(rule.rawValue):") || Self.reference.contains("+ `\(rule.rawValue):"),
            "no row for \(rule.rawValue)")
    }

    /// Every YAML block that is a gate file (starts with `version: 1`), in
    /// the README and docs/, decodes.
    @Test func everyGateFileInTheDocsIsValid() throws {
        let files =
            ["README.md"]
            + (try FileManager.default.contentsOfDirectory(atPath: "\(repoRoot)/docs")).filter { $0.hasSuffix(".md") }
            .map { "docs/\($0)" }
        var checked = 0
        for file in files {
            let text = try String(contentsOfFile: "\(repoRoot)/\(file)", encoding: .utf8)
            for block in text.components(separatedBy: "```yaml\n").dropFirst() {
                let yaml = block.components(separatedBy: "```").first ?? ""
                guard yaml.hasPrefix("version: 1") || yaml.contains("\nversion: 1\n") else { continue }
                checked += 1
                if case .failure(let error) = decode(yaml, path: file) {
                    Issue.record("a gate file in \(file) does not decode: \(error)")
                }
            }
        }
        #expect(checked >= 2, "the README and docs/reference.md each show a whole gate file")
    }
}
