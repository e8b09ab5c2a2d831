import Foundation
import Testing

@testable import EvalGateCore

/// `dvc: FILE.dvc` on a file entry: the file must be the version DVC tracks.
struct DVCPinTests {
    static let golden = "id,label\n" + (1...40).map { "r\($0),\($0 % 2)\n" }.joined()
    static let predictions = "id,score\n" + (1...40).map { "r\($0),\($0 % 2 == 1 ? 0.9 : 0.2)\n" }.joined()

    static func md5(_ text: String) -> String {
        var hasher = FileHasher(md5: true)
        Array(text.utf8).withUnsafeBytes { hasher.update($0) }
        return hasher.md5Hex!
    }

    static func folder(dvc: String, golden: String = golden) throws -> String {
        try scratch([
            "golden.csv": golden, "preds.csv": predictions, "golden.csv.dvc": dvc,
            "gate.yaml": """
            version: 1
            name: pinned
            dataset: {path: golden.csv, id: id, label: label, dvc: golden.csv.dvc}
            models: {candidate: {path: preds.csv, score: score}}
            checks: [{metric: auc, min: 0.5}]
            """,
        ])
    }

    @Test func theTrackedVersionPassesAndItsMD5IsReported() throws {
        let dvc =
            "outs:\n- md5: \(Self.md5(Self.golden))\n  size: \(Self.golden.utf8.count)\n  hash: md5\n  path: golden.csv\n"
        let report = runGate(try Self.folder(dvc: dvc))
        #expect(report.error == nil)
        #expect(report.inputs.first { $0.role == "dataset" }?.dvcMD5 == Self.md5(Self.golden))
        #expect(JSONReport.render(report).contains("\"dvc_md5\": \"\(Self.md5(Self.golden))\""))
    }

    @Test(arguments: [
        (
            "outs:\n- md5: 0123456789abcdef0123456789abcdef\n  path: golden.csv\n",
            "records 0123456789abcdef0123456789abcdef"
        ),
        ("outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  path: golden.csv\n", "tracks a folder"),
        (
            "outs:\n- md5: 0123456789abcdef0123456789abcdef\n  hash: sha256\n  path: golden.csv\n",
            "records a 'sha256' hash"
        ),
        ("stages: {}\n", "records no md5 for 'golden.csv' under 'outs'"),
    ])
    func anythingElseIsExitThree(dvc: String, words: String) throws {
        let report = runGate(try Self.folder(dvc: dvc))
        #expect(report.exitCode == 3)
        #expect(report.error?.description.contains(words) == true, "\(String(describing: report.error))")
    }

    @Test func aMismatchNamesBothDigestsAndDvcPull() throws {
        let dvc = "outs:\n- md5: \(Self.md5(Self.golden))\n  hash: md5\n  path: golden.csv\n"
        let changed = Self.golden + "r41,1\n"
        let report = runGate(try Self.folder(dvc: dvc, golden: changed))
        #expect(report.exitCode == 3)
        #expect(
            report.error?.description
                == """
                golden.csv: md5 is \(Self.md5(changed)) but golden.csv.dvc records \(Self.md5(Self.golden)); the file \
                is not the version DVC tracks; run dvc pull (or dvc checkout) to get it, or dvc add the file again if \
                it changed on purpose
                """)
    }
}
