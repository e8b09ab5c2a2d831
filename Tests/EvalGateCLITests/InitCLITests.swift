import Foundation
import Testing

/// `evalgate init` as a newcomer runs it: on a folder of their CSV files.
struct InitCLITests {
    typealias CLI = CLITests

    /// A scratch folder with copies of the given fixtures (name -> fixture path).
    static func folder(_ files: [String: String]) throws -> String {
        let dir = try CLI.tempDir()
        for (name, fixture) in files {
            try FileManager.default.copyItem(atPath: "\(CLI.root)/\(fixture)", toPath: "\(dir)/\(name)")
        }
        return dir
    }

    @Test func theFraudFilesGiveAWorkingGate() throws {
        let dir = try Self.folder([
            "golden.csv": "fixtures/fraud/golden.csv", "candidate.csv": "fixtures/fraud/candidate.csv",
            "champion.csv": "fixtures/fraud/champion.csv",
        ])
        let result = try CLI.run(
            [
                "init", "--dataset", "golden.csv", "--candidate", "candidate.csv", "--champion", "champion.csv",
                "--out", "gates/fraud.yaml",
            ], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                wrote gates/fraud.yaml: task binary, id 'txn_id', label 'is_fraud' (positive "1"), score 'score', 4 slice definitions (20 slices)
                next: evalgate check gates/fraud.yaml

                """)
        let gate = try String(contentsOfFile: "\(dir)/gates/fraud.yaml", encoding: .utf8)
        for line in [
            "name: fraud", "task: binary", "  path: ../golden.csv", "  id: txn_id", "  label: is_fraud",
            "  positive: \"1\"",
            "    path: ../champion.csv", "min_slice_size: 60", "  - {name: merchant_category, by: merchant_category}",
            "  - {name: amount_band, by: amount, bins: [140, 510, 1800]}",
            "  # A floor on auc over all rows: the candidate scores 0.9728 today.",
            "  - {metric: auc, slices: [overall], min: 0.95}", "  - {metric: auc, slices: [\"*\"], max_drop_pct: 1}",
        ] {
            #expect(gate.split(separator: "\n").contains(Substring(line)), "missing line: \(line)")
        }
        let check = try CLI.run(["check", "gates/fraud.yaml", "--quiet"], in: dir)
        #expect(check.status == 1, "the candidate's recall regressed, as in the bundled example")
        let again = try CLI.run(
            ["init", "--dataset", "golden.csv", "--candidate", "candidate.csv", "--out", "gates/fraud.yaml"], in: dir)
        #expect(again.status == 2)
        #expect(
            again.stderr
                == "evalgate: error: gates/fraud.yaml exists; choose another --out, or pass --force to overwrite it\n")
        #expect(
            try String(contentsOfFile: "\(dir)/gates/fraud.yaml", encoding: .utf8) == gate,
            "never overwritten without --force")
        let forced = try CLI.run(
            [
                "init", "--dataset", "golden.csv", "--candidate", "candidate.csv", "--out", "gates/fraud.yaml",
                "--force",
            ], in: dir)
        #expect(forced.status == 0)
        #expect(
            try CLI.run(["check", "gates/fraud.yaml", "--quiet"], in: dir).status == 0,
            "without a champion only the floor remains")
    }

    @Test func guessesThatCannotBeMadeNameTheFlagThatSettlesThem() throws {
        let dir = try Self.folder([
            "golden.csv": "fixtures/sklearn/breast_cancer_golden.csv",
            "preds.csv": "fixtures/sklearn/breast_cancer_candidate.csv",
        ])
        let noLabel = try CLI.run(["init", "--dataset", "golden.csv", "--candidate", "preds.csv"], in: dir)
        #expect(noLabel.status == 2)
        #expect(noLabel.stderr.contains("golden.csv: no label column found"))
        #expect(noLabel.stderr.contains("'diagnosis'") && noLabel.stderr.contains("--label COLUMN"))
        let positive = try CLI.run(
            ["init", "--dataset", "golden.csv", "--candidate", "preds.csv", "--label", "diagnosis"], in: dir)
        #expect(positive.status == 2)
        #expect(
            positive.stderr.contains(
                "which value of 'diagnosis' is positive: 'benign' or 'malignant'? Say it with --positive VALUE"))
        let done = try CLI.run(
            [
                "init", "--dataset", "golden.csv", "--candidate", "preds.csv", "--label", "diagnosis", "--positive",
                "malignant", "--out", "gate.yaml",
            ], in: dir)
        #expect(done.status == 0, "\(done.stderr)")
        let gate = try String(contentsOfFile: "\(dir)/gate.yaml", encoding: .utf8)
        #expect(gate.contains("  weight: weight\n") && gate.contains("    score: p_malignant\n"))

        try "id,label,target,s\n1,1,0,x\n2,0,1,y\n".write(toFile: "\(dir)/two.csv", atomically: true, encoding: .utf8)
        try "id,score\n1,0.5\n2,0.25\n".write(toFile: "\(dir)/two-preds.csv", atomically: true, encoding: .utf8)
        let two = try CLI.run(
            ["init", "--dataset", "two.csv", "--candidate", "two-preds.csv", "--out", "two.yaml"], in: dir)
        #expect(two.status == 2)
        #expect(
            two.stderr.contains(
                "the label column is ambiguous: 'label', 'target' all fit; choose one with --label COLUMN"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/two.yaml"))
    }

    @Test func multiclassProbabilityColumnsAreMatchedToTheClasses() throws {
        let dir = try Self.folder([
            "golden.csv": "fixtures/sklearn/wine_golden.csv", "candidate.csv": "fixtures/sklearn/wine_candidate.csv",
        ])
        let result = try CLI.run(
            [
                "init", "--dataset", "golden.csv", "--candidate", "candidate.csv", "--label", "cultivar", "--out",
                "wine.yaml",
            ], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.hasPrefix(
                "wrote wine.yaml: task multiclass, id 'wine_id', label 'cultivar', class columns barbera=p_barbera, barolo=p_barolo, grignolino=p_grignolino"
            ))
        #expect(try CLI.run(["check", "wine.yaml", "--quiet"], in: dir).status == 0)
    }

    @Test func regressionFromNumericLabels() throws {
        let dir = try CLI.tempDir()
        var golden = "row_id,target,store\n"
        var preds = "row_id,yhat\n"
        for i in 0..<200 {
            golden += "r\(i),\(Double(i) * 1.5 + 3),s\(i % 4)\n"
            preds += "r\(i),\(Double(i) * 1.5 + 3 + Double(i % 7) - 3)\n"
        }
        try golden.write(toFile: "\(dir)/golden.csv", atomically: true, encoding: .utf8)
        try preds.write(toFile: "\(dir)/preds.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            ["init", "--dataset", "golden.csv", "--candidate", "preds.csv", "--out", "sales.yaml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.hasPrefix(
                "wrote sales.yaml: task regression, id 'row_id', label 'target', score 'yhat', 1 slice definitions"))
        let gate = try String(contentsOfFile: "\(dir)/sales.yaml", encoding: .utf8)
        #expect(gate.contains("  - {metric: r2, slices: [overall], min: 0.97}"))
        #expect(try CLI.run(["check", "sales.yaml", "--quiet"], in: dir).status == 0)
    }
}
