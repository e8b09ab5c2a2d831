import Crypto
import Foundation
import Yams

/// `dvc: golden.csv.dvc` on a file entry: the file must have the md5 that
/// DVC recorded for it (DVC 2 and 3 `.dvc` files, `hash: md5`). A mismatch
/// is a data error naming both digests, with `dvc pull` as the fix.
package struct DVCPin: Sendable, Equatable {
    /// The `.dvc` file as the gate file names it.
    package var path: String
    package var md5: String

    /// Reads the `.dvc` file at `resolved` for the data file named `dataFile`.
    package static func read(_ written: String, resolved: String, dataFile: String) throws(EvalGateError) -> DVCPin {
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw EvalGateError(
                .data, at: .init(file: written), "DVC file not found",
                fix: "check the path (relative to the gate file's folder), or run dvc add on the data file")
        }
        let outs: [[String: Any]]
        do {
            let yaml = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any]
            outs = yaml?["outs"] as? [[String: Any]] ?? []
        } catch {
            throw EvalGateError(
                .data, at: .init(file: written), "is not a DVC file (not YAML)", fix: "give the .dvc file dvc add wrote"
            )
        }
        let name = (dataFile as NSString).lastPathComponent
        let out =
            outs.first { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent == name } ?? false }
            ?? (outs.count == 1 ? outs[0] : nil)
        guard let out, let md5 = out["md5"] as? String, md5.count == 32 || md5.hasSuffix(".dir") else {
            throw EvalGateError(
                .data, at: .init(file: written), "records no md5 for \(quote(name)) under 'outs'",
                fix: "give the .dvc file dvc add wrote for this file")
        }
        if let hash = out["hash"] as? String, hash != "md5" {
            throw EvalGateError(
                .data, at: .init(file: written), "records a \(quote(hash)) hash; evalgate checks DVC's md5",
                fix: "pin the file with sha256: instead")
        }
        guard !md5.hasSuffix(".dir") else {
            throw EvalGateError(
                .data, at: .init(file: written), "tracks a folder (\(md5))",
                fix: "pin the data file itself, or use sha256:")
        }
        return DVCPin(path: written, md5: md5.lowercased())
    }

    /// Exit 3 unless the bytes read have the recorded md5.
    func verify(_ md5: String, file: String) throws(EvalGateError) {
        guard md5 != self.md5 else { return }
        throw EvalGateError(
            .data, at: .init(file: file),
            "md5 is \(md5) but \(path) records \(self.md5); the file is not the version DVC tracks",
            fix: "run dvc pull (or dvc checkout) to get it, or dvc add the file again if it changed on purpose")
    }
}

/// sha256 and, for a DVC pin, md5 of the same bytes, as they are read.
struct FileHasher {
    var sha256 = SHA256()
    var md5: Insecure.MD5?

    init(md5 wanted: Bool) { md5 = wanted ? Insecure.MD5() : nil }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        md5?.update(bufferPointer: bytes)
    }

    var md5Hex: String? { md5.map { $0.finalize().map { String(format: "%02x", $0) }.joined() } }
}
