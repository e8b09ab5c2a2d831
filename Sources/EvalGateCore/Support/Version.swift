/// The one place the version is set: `evalgate --version`, the ledger's
/// run key and its `evalgate_version` column read it.
package enum EvalGateVersion {
    package static let current = "0.1.0"
}
