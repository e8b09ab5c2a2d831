import Foundation
import Testing

/// The traps of a new user's first hour (issue 22), one row each: what they
/// wrote, the exit code, and the words the message must hold. Each case runs
/// the built binary in a folder holding a small binary task (`golden.csv`,
/// `candidate.csv`, `champion.csv`) and whatever files the case adds.
struct FirstHourTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Files written into the folder before the run, over the base ones.
        var files: [String: String] = [:]
        /// Commands run first, in the same folder (e.g. a check that fills a ledger).
        var before: [[String]] = []
        var arguments: [String]
        var status: Int32
        /// Each must appear on stdout or stderr.
        var words: [String]
        /// Must appear in the summary.md the run wrote.
        var summary: [String] = []
        /// Must not appear anywhere in the output.
        var absent: [String] = []
        /// Files in `files` written as UTF-16 (with its byte-order mark), as Excel's "Unicode text" is.
        var utf16: [String] = []
        /// Files the run must not create.
        var notCreated: [String] = []
        var testDescription: String { name }
    }

    /// 120 rows, ids 1...120, a third positive; the candidate and champion
    /// rank every positive above every negative.
    static let base: [String: String] = {
        var golden = "patient_id,label,segment,w\n"
        var candidate = "patient_id,score\n"
        var champion = "patient_id,score\n"
        for row in 1...120 {
            let label = row % 3 == 0 ? 1 : 0
            golden += "\(row),\(label),\(row % 2 == 0 ? "a" : "b"),\(1 + row % 4)\n"
            candidate += "\(row),\(label == 1 ? 0.8 : 0.15 + Double(row % 7) / 100)\n"
            champion += "\(row),\(label == 1 ? 0.7 : 0.2 + Double(row % 5) / 100)\n"
        }
        return ["golden.csv": golden, "candidate.csv": candidate, "champion.csv": champion]
    }()

    /// A binary gate over the base files with these checks (YAML flow items).
    static func gate(_ checks: String, models: String = "", task: String = "binary") -> String {
        """
        version: 1
        name: first-hour
        task: \(task)
        dataset: {path: golden.csv, id: patient_id, label: label}
        models:
          candidate: {path: candidate.csv, score: score\(models)}
          champion: {path: champion.csv, score: score\(models)}
        slices: [{name: segment, by: segment}]
        checks: [\(checks)]

        """
    }

    static let cases: [Case] = [
        Case(
            name: "a min on a lower-is-better metric",
            files: ["gate.yaml": gate("{metric: log_loss, slices: [overall], min: 0.1}")],
            arguments: ["check", "gate.yaml"], status: 2,
            words: ["gate.yaml:9:53: checks[0].min", "log_loss is lower-is-better", "did you mean max: 0.1?"]),
        Case(
            name: "a min on fpr",
            files: ["gate.yaml": gate("{metric: fpr, min: 0.05}")],
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["fpr is lower-is-better", "did you mean max: 0.05?", "unusual: true"]),
        Case(
            name: "a max on a higher-is-better metric, marked unusual, is a leakage check",
            files: ["gate.yaml": gate("{metric: auc, slices: [overall], max: 0.999, unusual: true}")],
            arguments: ["validate", "gate.yaml"], status: 0,
            words: ["valid gate 'first-hour'"]),
        Case(
            name: "a percent where a share is meant",
            files: ["gate.yaml": gate("{metric: auc, min: 95}")],
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["auc is between 0 and 1", "a min of 95 means no model can pass it", "Did you mean 0.95?"]),
        Case(
            name: "a max_drop larger than the metric's range",
            files: ["gate.yaml": gate("{metric: recall, max_drop: 2}")],
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["a max_drop of 2 is more than the whole range of recall", "it can never fail", "0.02"]),
        Case(
            name: "a max below the range of a loss",
            files: ["gate.yaml": gate("{metric: brier, max: -0.1}")],
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["brier is between 0 and 1", "no model can pass it"]),
        Case(
            name: "a _pct rule on mcc warns and names the absolute rule",
            files: ["gate.yaml": gate("{metric: mcc, max_drop_pct: 5}")],
            arguments: ["validate", "gate.yaml"], status: 0,
            words: ["warning:", "checks[0].max_drop_pct: mcc can be zero or negative", "use max_drop"]),
        Case(
            name: "a _pct rule on r2 near zero warns",
            files: [
                "gate.yaml": """
                version: 1
                name: near-zero
                task: regression
                dataset: {path: golden.csv, id: patient_id, label: w}
                models:
                  candidate: {path: candidate.csv, score: score}
                  champion: {path: champion.csv, score: score}
                checks: [{metric: r2, max_drop_pct: 5}]

                """
            ],
            arguments: ["validate", "gate.yaml"], status: 0,
            words: ["checks[0].max_drop_pct: r2 can be zero or negative", "use max_drop (an absolute change)"]),
        Case(
            name: "a _pct rule on mcc is a note in check's reports too",
            files: ["gate.yaml": gate("{metric: mcc, max_drop_pct: 5}")],
            arguments: ["check", "gate.yaml"], status: 0,
            words: ["note: gate file checks[0].max_drop_pct: mcc can be zero or negative"]),
        Case(
            name: "history on a ledger that does not exist",
            arguments: ["history", "--ledger", "nonexist.sqlite"], status: 3,
            words: ["nonexist.sqlite: the file does not exist", "evalgate check GATE_FILE --ledger nonexist.sqlite"],
            notCreated: ["nonexist.sqlite"]),
        Case(
            name: "history of a gate that holds what was typed",
            files: ["gate.yaml": gate("{metric: auc, min: 0.8}")],
            before: [["check", "gate.yaml", "--ledger", "l.sqlite"]],
            arguments: ["history", "--ledger", "l.sqlite", "--gate", "first"], status: 2,
            words: ["no gate 'first' in the runs", "did you mean 'first-hour'?"]),
        Case(
            name: "history of a misspelt metric",
            files: ["gate.yaml": gate("{metric: recall, min: 0.8}")],
            before: [["check", "gate.yaml", "--ledger", "l.sqlite"]],
            arguments: ["history", "--ledger", "l.sqlite", "--metric", "recal"], status: 2,
            words: ["no metric 'recal' in the runs;", "did you mean 'recall'?", "The ledger holds metrics: recall"]),
        Case(
            name: "history of a misspelt slice",
            files: ["gate.yaml": gate("{metric: recall, min: 0.8}")],
            before: [["check", "gate.yaml", "--ledger", "l.sqlite"]],
            arguments: ["history", "--ledger", "l.sqlite", "--metric", "recall", "--slice", "segment/c"], status: 2,
            words: ["no slice 'segment/c'", "segment/a, segment/b"]),
        Case(
            name: "statistics against a recorded baseline say why there is no interval",
            files: [
                "gate.yaml": gate("{metric: auc, max_drop: 0.001}")
                    + "statistics: {bootstrap: 200, seed: 7, fail_on: significant}\n",
                "worse.csv": base["champion.csv"]!.replacingOccurrences(of: ",0.7\n", with: ",0.21\n"),
            ],
            before: [["check", "gate.yaml", "--ledger", "l.sqlite"]],
            arguments: [
                "check", "gate.yaml", "--ledger", "l.sqlite", "--baseline", "last-pass", "--candidate", "worse.csv",
            ],
            status: 1,
            words: ["the champion's values come from ledger run 1, which has no rows to resample"],
            absent: ["most resamples left the metric undefined"]),
        Case(
            name: "zero-padded ids",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}"),
                "candidate.csv": rewriteIds(base["candidate.csv"]!) { String(format: "%05d", Int($0)!) },
            ],
            arguments: ["check", "gate.yaml"], status: 3,
            words: [
                "120 of 120 ids are not in the golden dataset", "ids compare as exact text",
                "the predictions hold '00001' where the golden set holds ids such as '1'", "differ by zero padding",
            ]),
        Case(
            name: "pandas float ids",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}"),
                "champion.csv": rewriteIds(base["champion.csv"]!) { "\($0).0" },
            ],
            arguments: ["check", "gate.yaml"], status: 3,
            words: ["champion.csv:", "'1.0'", "differ by a '.0' suffix"]),
        Case(
            name: "ids from another column",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}"),
                "candidate.csv": rewriteIds(base["candidate.csv"]!) { "p\(Int($0)! * 7)" },
            ],
            arguments: ["check", "gate.yaml"], status: 3,
            words: ["'p7'", "such as '1'", "name the same id column"]),
        Case(
            name: "a command-line path that is not there",
            files: ["gate.yaml": gate("{metric: auc, min: 0.8}")],
            arguments: ["check", "gate.yaml", "--candidate", "preds/candidate.csv"], status: 3,
            words: ["preds/candidate.csv: file not found", "relative to the working directory, not to the gate file"]),
        Case(
            name: "a gate-file path that is not there",
            files: ["gates/gate.yaml": gate("{metric: auc, min: 0.8}")],
            arguments: ["check", "gates/gate.yaml"], status: 3,
            words: [
                "gates/golden.csv: file not found; the gate file says 'golden.csv'",
                "relative to the gate file's folder 'gates'",
            ]),
        Case(
            name: "a tab-separated file named .csv",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}"),
                "candidate.csv": base["candidate.csv"]!.replacingOccurrences(of: ",", with: "\t"),
            ],
            arguments: ["check", "gate.yaml"], status: 3,
            words: [
                "candidate.csv: line 1: column 'patient_id' not found: the header is one field, "
                    + "'patient_id\\tscore'", "separated by tabs", #"add delimiter: "\t""#,
            ]),
        Case(
            name: "a semicolon file named .csv",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}"),
                "candidate.csv": base["candidate.csv"]!.replacingOccurrences(of: ",", with: ";"),
            ],
            arguments: ["check", "gate.yaml"], status: 3,
            words: ["separated by semicolons", #"add delimiter: ";" to this file's entry"#]),
        Case(
            name: "delimiter: on the model entry reads it",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}", models: ", delimiter: \";\""),
                "candidate.csv": base["candidate.csv"]!.replacingOccurrences(of: ",", with: ";"),
                "champion.csv": base["champion.csv"]!.replacingOccurrences(of: ",", with: ";"),
            ],
            arguments: ["check", "gate.yaml"], status: 0,
            words: ["PASS"]),
        Case(
            name: "a UTF-16 file, as Excel's Unicode text writes",
            files: ["gate.yaml": gate("{metric: auc, min: 0.8}"), "candidate.csv": base["candidate.csv"]!],
            arguments: ["check", "gate.yaml"], status: 3,
            words: ["candidate.csv: is UTF-16", "iconv -f UTF-16"], absent: ["latin1"], utf16: ["candidate.csv"]),
        Case(
            name: "prediction files whose id column has another name",
            files: [
                "gate.yaml": gate("{metric: auc, min: 0.8}", models: ", id: id"),
                "candidate.csv": base["candidate.csv"]!.replacingOccurrences(of: "patient_id,", with: "id,"),
                "champion.csv": base["champion.csv"]!.replacingOccurrences(of: "patient_id,", with: "id,"),
            ],
            arguments: ["check", "gate.yaml"], status: 0,
            words: ["PASS"]),
        Case(
            name: "class probabilities printed with three decimals",
            files: multiclass(tolerance: nil),
            arguments: ["check", "gate.yaml"], status: 3,
            words: [
                "not 1 within 1e-06 (40 of 60 rows are off, by at most 0.001)", "probability_tolerance",
            ]),
        Case(
            name: "class probabilities printed with three decimals, with a tolerance",
            files: multiclass(tolerance: 0.0015),
            arguments: ["check", "gate.yaml"], status: 0,
            words: ["PASS"]),
        Case(
            name: "recall of one class of a multiclass task",
            files: multiclass(tolerance: 0.0015, checks: "{metric: recall, class: b, slices: [overall], min: 0.9}"),
            arguments: ["check", "gate.yaml"], status: 0,
            words: ["PASS"], summary: ["| `recall[b]` |", "| `overall` | 60 | a: 20, b: 20, c: 20 | 1 |"]),
        Case(
            name: "one-vs-rest auc of a class the scores do not name",
            files: multiclass(tolerance: 0.0015, checks: "{metric: auc, class: d, min: 0.9}"),
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["checks[0].class: class 'd' is not one of the classes in 'scores' (a, b, c)"]),
        Case(
            name: "a class on a binary task",
            files: ["gate.yaml": gate("{metric: recall, class: \"1\", min: 0.5}")],
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["'class' picks one class of a multiclass task; remove it for task binary"]),
        Case(
            name: "a metric with no per-class form",
            files: multiclass(tolerance: 0.0015, checks: "{metric: accuracy, class: a, min: 0.5}"),
            arguments: ["validate", "gate.yaml"], status: 2,
            words: ["'accuracy' has no per-class form; with 'class', use one of: precision, recall, f1, auc, pr_auc"]),
    ]

    /// A three-class task whose probabilities, written with three decimals,
    /// sum to 1.001 on two rows of three.
    static func multiclass(
        tolerance: Double?, checks: String = "{metric: accuracy, min: 0.5}"
    ) -> [String: String] {
        var golden = "patient_id,label\n"
        var predictions = "patient_id,p_a,p_b,p_c\n"
        for row in 1...60 {
            golden += "\(row),\(["a", "b", "c"][row % 3])\n"
            // The largest probability (last in p) on the true class.
            let p = row % 3 == 0 ? ["0.333", "0.333", "0.334"] : ["0.167", "0.167", "0.667"]
            let rotated = (0..<3).map { p[($0 + 5 - row % 3) % 3] }
            predictions += "\(row),\(rotated.joined(separator: ","))\n"
        }
        let extra = tolerance.map { ", probability_tolerance: \($0)" } ?? ""
        let gate = """
            version: 1
            name: three-classes
            task: multiclass
            dataset: {path: golden3.csv, id: patient_id, label: label}
            models:
              candidate: {path: predictions3.csv, scores: {a: p_a, b: p_b, c: p_c}\(extra)}
            checks: [\(checks)]

            """
        return ["gate.yaml": gate, "golden3.csv": golden, "predictions3.csv": predictions]
    }

    /// `csv` with each row's first field (its id) passed through `f`.
    static func rewriteIds(_ csv: String, _ f: (String) -> String) -> String {
        var lines = csv.split(separator: "\n").map(String.init)
        for i in lines.indices.dropFirst() {
            let comma = lines[i].firstIndex(of: ",")!
            lines[i] = f(String(lines[i][..<comma])) + lines[i][comma...]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: cases)
    func trap(_ c: Case) throws {
        let dir = try CLITests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in Self.base.merging(c.files, uniquingKeysWith: { $1 }) {
            try FileManager.default.createDirectory(
                atPath: "\(dir)/\((name as NSString).deletingLastPathComponent)", withIntermediateDirectories: true)
            try text.write(
                toFile: "\(dir)/\(name)", atomically: true, encoding: c.utf16.contains(name) ? .utf16 : .utf8)
        }
        for command in c.before { try CLITests.run(command, in: dir) }
        let run = try CLITests.run(c.arguments, in: dir)
        let output = run.stdout + run.stderr
        #expect(run.status == c.status, "\(output)")
        for word in c.words { #expect(output.contains(word), "missing \(word.debugDescription) in:\n\(output)") }
        for word in c.absent { #expect(!output.contains(word), "unexpected \(word.debugDescription) in:\n\(output)") }
        let summary = (try? String(contentsOfFile: "\(dir)/evalgate-report/summary.md", encoding: .utf8)) ?? ""
        for word in c.summary { #expect(summary.contains(word), "missing \(word.debugDescription) in:\n\(summary)") }
        for file in c.notCreated { #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "\(file)") }
    }
}
