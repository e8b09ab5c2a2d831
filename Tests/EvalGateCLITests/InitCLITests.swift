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
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == """
                wrote gates/fraud.yaml: name 'fraud' (from --out), task binary, id 'txn_id', label 'is_fraud' \
                (positive "1"), score 'score', no weight column, 4 slice definitions (20 slices)
                """)
        #expect(
            lines.dropFirst().first?.hasPrefix(
                """
                statistics on (bootstrap 1000, fail_on: significant, correction: holm), since 19 of 20 slices have \
                fewer than 200 rows in their rarer class (least: amount_band/(missing), 6 positive, 171 negative)
                """) == true)
        #expect(lines.last == "next: evalgate check gates/fraud.yaml")
        let gate = try String(contentsOfFile: "\(dir)/gates/fraud.yaml", encoding: .utf8)
        for line in [
            "name: fraud", "task: binary", "  path: ../golden.csv", "  id: txn_id", "  label: is_fraud",
            "  positive: \"1\"",
            "    path: ../champion.csv", "min_slice_size: 60", "  - {name: merchant_category, by: merchant_category}",
            "  - {name: amount_band, by: amount, bins: [140, 510, 1800]}",
            "  # A floor on auc over all rows: the candidate scores 0.9728 today.",
            "  - {metric: auc, slices: [overall], min: 0.95}", "  - {metric: auc, slices: [\"*\"], max_drop: 0.02}",
            "  - {metric: recall, slices: [\"*\"], max_drop: 0.05}",
            "statistics: {bootstrap: 1000, seed: 7, fail_on: significant, correction: holm}",
        ] {
            #expect(gate.split(separator: "\n").contains(Substring(line)), "missing line: \(line)")
        }
        #expect(!gate.contains("_pct"), "init writes no percentage rules")
        let check = try CLI.run(["check", "gates/fraud.yaml"], in: dir)
        // The candidate's recall is lower on every slice, but on slices this small no drop beyond 0.05 survives
        // Holm's correction over 41 tests: warnings, not failures (the bundled gate, without statistics, fails).
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("WARN [checks[2] max_drop 0.05] recall on overall got worse by 0.1072"))
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
        #expect(
            gate.contains("  weight: weight   # metrics are weighted by it\n")
                && gate.contains("    score: p_malignant\n"))

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
                "wrote wine.yaml: name 'wine' (from --out), task multiclass, id 'wine_id', label 'cultivar', class columns barbera=p_barbera, barolo=p_barolo, grignolino=p_grignolino"
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
                """
                wrote sales.yaml: name 'sales' (from --out), task regression, id 'row_id', label 'target', score \
                'yhat', no weight column, 1 slice definitions
                """))
        let gate = try String(contentsOfFile: "\(dir)/sales.yaml", encoding: .utf8)
        #expect(gate.contains("  - {metric: r2, slices: [overall], min: 0.97}"))
        #expect(try CLI.run(["check", "sales.yaml", "--quiet"], in: dir).status == 0)
    }

    /// Column names that trip YAML, collide once cleaned, or take the names
    /// init gives its slices: the gate init writes still validates, with no
    /// warning, and every slice name is its own.
    @Test(arguments: [
        ["ink", "ink_band"], ["overall", "a b", "a_b"], ["yes", "null", "1e5", "x: y", "#c"],
        ["價格", "'q'", "\"dq\"", "ink", "ink_band", "ink_bins"],
    ])
    func adversarialColumnsGiveAGateThatValidates(columns: [String]) throws {
        let dir = try CLI.tempDir()
        func field(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var golden = (["patient_id", "label"] + columns).map(field).joined(separator: ",") + "\n"
        var candidate = "patient_id,score\n"
        var champion = "patient_id,score\n"
        for row in 0..<400 {
            let label = row % 3 == 0 ? 1 : 0
            // Even columns numeric (many values, so binned), odd ones categorical.
            let values = columns.indices.map { $0 % 2 == 0 ? "\(Double(row % 97) * 1.5)" : "v\(row % 4)" }
            golden += (["\(row)", "\(label)"] + values).joined(separator: ",") + "\n"
            candidate += "\(row),\(label == 1 ? 0.7 : 0.3)\n"
            champion += "\(row),\(label == 1 ? 0.75 : 0.25)\n"
        }
        try golden.write(toFile: "\(dir)/golden.csv", atomically: true, encoding: .utf8)
        try candidate.write(toFile: "\(dir)/candidate.csv", atomically: true, encoding: .utf8)
        try champion.write(toFile: "\(dir)/champion.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(
            ["init", "--dataset", "golden.csv", "--candidate", "candidate.csv", "--champion", "champion.csv"], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let out = try #require(result.stdout.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let validate = try CLI.run(["validate", out], in: dir)
        #expect(validate.status == 0 && !validate.stderr.contains("warning"), "\(validate.stdout)\(validate.stderr)")
        let gate = try String(contentsOfFile: "\(dir)/\(out)", encoding: .utf8)
        let names = gate.split(separator: "\n").compactMap { line -> Substring? in
            guard let range = line.range(of: "{name: ") else { return nil }
            return line[range.upperBound...].prefix { $0 != "," }
        }
        #expect(Set(names).count == names.count && !names.contains("overall"), "\(names)")
        #expect(try CLI.run(["check", out, "--quiet"], in: dir).status == 0)
    }

    @Test func theNameComesFromTheDataAndTheFileStaysWhenTheDataIsBad() throws {
        let dir = try Self.folder([
            "breast_cancer_golden.csv": "fixtures/sklearn/breast_cancer_golden.csv",
            "preds.csv": "fixtures/sklearn/breast_cancer_candidate.csv",
        ])
        let named = try CLI.run(
            [
                "init", "--dataset", "breast_cancer_golden.csv", "--candidate", "preds.csv", "--label", "diagnosis",
                "--positive", "malignant", "--skip-column", "mean_texture",
            ], in: dir)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(
            named.stdout.hasPrefix(
                "wrote gates/breast_cancer.yaml: name 'breast_cancer' (from the dataset file's name)"))
        #expect(named.stdout.contains("weight 'weight'"))
        let gate = try String(contentsOfFile: "\(dir)/gates/breast_cancer.yaml", encoding: .utf8)
        #expect(!gate.contains("mean_texture"))

        // Predictions whose ids are not all golden ids: the draft run stops with exit 3, and the file stays.
        var preds = try String(contentsOfFile: "\(dir)/preds.csv", encoding: .utf8)
        preds +=
            preds.split(separator: "\n")[1].replacingOccurrences(of: ",", with: "x,", options: [], range: nil) + "\n"
        try preds.write(toFile: "\(dir)/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(
            [
                "init", "--dataset", "breast_cancer_golden.csv", "--candidate", "bad.csv", "--label", "diagnosis",
                "--positive", "malignant", "--out", "gates/kept.yaml",
            ], in: dir)
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("init kept the gate it wrote at gates/kept.yaml"), "\(bad.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/gates/kept.yaml"))
    }

    @Test func predictionsWithTheirOwnIdColumnGetAnIdKey() throws {
        let dir = try CLI.tempDir()
        var golden = "patient_id,label,site\n"
        var preds = "id,p\n"
        for row in 0..<300 {
            golden += "\(row),\(row % 3 == 0 ? 1 : 0),s\(row % 3)\n"
            preds += "\(row),\(row % 3 == 0 ? 0.8 : 0.1)\n"
        }
        try golden.write(toFile: "\(dir)/clinic.csv", atomically: true, encoding: .utf8)
        try preds.write(toFile: "\(dir)/preds.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(["init", "--dataset", "clinic.csv", "--candidate", "preds.csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("id 'patient_id' ('id' in the predictions)"))
        let gate = try String(contentsOfFile: "\(dir)/gates/clinic.yaml", encoding: .utf8)
        #expect(gate.contains("    id: id   # the id column of this file\n"))
        #expect(try CLI.run(["check", "gates/clinic.yaml", "--quiet"], in: dir).status == 0)
    }
}
