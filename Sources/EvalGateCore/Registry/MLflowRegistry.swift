import Foundation

/// A registered model version as the command line names it:
/// `NAME/VERSION`, `models:/NAME/VERSION`, or `NAME@ALIAS`.
package struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    package var name: String
    package var version: String?
    package var alias: String?

    package init?(_ text: String) {
        var text = text
        if text.hasPrefix("models:/") { text.removeFirst("models:/".count) }
        if let at = text.lastIndex(of: "@") {
            name = String(text[..<at])
            alias = String(text[text.index(after: at)...])
        } else if let slash = text.lastIndex(of: "/") {
            name = String(text[..<slash])
            version = String(text[text.index(after: slash)...])
            guard version!.allSatisfy(\.isNumber) else { return nil }
        } else {
            return nil
        }
        guard !name.isEmpty, version?.isEmpty != true, alias?.isEmpty != true else { return nil }
    }

    package var description: String { alias.map { "\(name)@\($0)" } ?? "\(name)/\(version ?? "")" }
}

/// One model version as the registry holds it.
package struct ModelVersion: Sendable, Equatable {
    package var name: String
    package var version: String
    package var runID: String?
    package var source: String?
    /// Sorted by key.
    package var tags: [(key: String, value: String)]

    package static func == (a: ModelVersion, b: ModelVersion) -> Bool {
        a.name == b.name && a.version == b.version && a.runID == b.runID && a.source == b.source
            && a.tags.map(\.key) == b.tags.map(\.key) && a.tags.map(\.value) == b.tags.map(\.value)
    }

    package func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }

    init(_ object: [String: Any]) {
        name = object["name"] as? String ?? ""
        version = object["version"] as? String ?? ""
        runID = (object["run_id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        source = (object["source"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        tags = (object["tags"] as? [[String: Any]] ?? []).compactMap { tag in
            guard let key = tag["key"] as? String else { return nil }
            return (key, tag["value"] as? String ?? "")
        }.sorted { $0.key < $1.key }
    }
}

extension MLflowClient {
    package func modelVersion(_ name: String, _ version: String) throws(MLflowError) -> ModelVersion {
        let got = try call(.GET, "model-versions/get", query: [("name", name), ("version", version)])
        guard let object = got["model_version"] as? [String: Any] else {
            throw MLflowError("MLflow at \(server) has no version \(version) of model '\(name)'")
        }
        return ModelVersion(object)
    }

    /// The version that holds `alias`, or nil when the alias is unset.
    package func aliasHolder(_ name: String, _ alias: String) throws(MLflowError) -> ModelVersion? {
        do {
            let got = try call(.GET, "registered-models/alias", query: [("name", name), ("alias", alias)])
            return (got["model_version"] as? [String: Any]).map(ModelVersion.init)
        } catch  where error.isNotFound || error.code == "INVALID_PARAMETER_VALUE" {
            return nil
        }
    }

    /// A reference resolved to its version: `NAME/VERSION` as it is, `NAME@ALIAS` to the version holding it.
    package func resolve(_ reference: ModelReference) throws(MLflowError) -> ModelVersion? {
        if let version = reference.version { return try modelVersion(reference.name, version) }
        return try aliasHolder(reference.name, reference.alias ?? "")
    }

    package func setTags(_ name: String, _ version: String, _ tags: [(String, String)]) throws(MLflowError) {
        for (key, value) in tags {
            try call(
                .POST, "model-versions/set-tag",
                body: ["name": name, "version": version, "key": key, "value": String(value.prefix(5000))])
        }
    }

    package func setAlias(_ name: String, _ alias: String, to version: String) throws(MLflowError) {
        try call(.POST, "registered-models/alias", body: ["name": name, "alias": alias, "version": version])
    }
}

/// The tags a gate leaves on the model version it tested, per gate and
/// as "the last gate": `evalgate.verdict`, `evalgate.gate`, ... and
/// `evalgate.gate.NAME.verdict`, ... for `promote --gate NAME`.
package enum GateTags {
    /// "none" when the gate ran without a champion model.
    package static let noChampion = "none"

    package static func tags(
        report: Report, runID: String?, championVersion: String?
    ) -> [(String, String)] {
        let gate = report.gate
        let dataset = report.inputs.first { $0.role == "dataset" }?.sha256 ?? ""
        let reason = report.error?.description ?? report.results.first { $0.status == .fail }?.reason ?? ""
        var tags: [(String, String)] = [
            ("evalgate.verdict", report.verdict.rawValue), ("evalgate.gate", gate),
            ("evalgate.dataset_sha256", dataset), ("evalgate.champion_version", championVersion ?? noChampion),
            ("evalgate.gate.\(gate).verdict", report.verdict.rawValue),
            ("evalgate.gate.\(gate).champion_version", championVersion ?? noChampion),
            ("evalgate.gate.\(gate).reason", reason),
        ]
        if let runID {
            tags += [("evalgate.mlflow_run_id", runID), ("evalgate.gate.\(gate).mlflow_run_id", runID)]
        }
        return tags
    }
}

/// `evalgate promote`: the alias moves only to a version whose gates passed
/// against the version that holds the alias now.
package enum Promotion {
    package enum Outcome: Sendable, Equatable {
        /// Moved: the old holder (nil: the alias was unset), now under `previous`.
        case promoted(old: String?)
        /// The version holds the alias already.
        case alreadyHeld
        /// Not moved, and why (exit 1).
        case refused(String)
    }

    package static func promote(
        _ mlflow: MLflowClient, name: String, version: String, alias: String, gates requested: [String],
        previousAlias: String
    ) throws(MLflowError) -> Outcome {
        let candidate = try mlflow.modelVersion(name, version)
        let holder = try mlflow.aliasHolder(name, alias)
        if holder?.version == version { return .alreadyHeld }
        let gates = requested.isEmpty ? [candidate.tag("evalgate.gate")].compactMap { $0 } : requested
        guard !gates.isEmpty else {
            return .refused(
                """
                no gate was recorded for version \(version) of '\(name)'; gate it with evalgate check GATE \
                --candidate-model \(name)/\(version) --mlflow URI first
                """
            )
        }
        let now = holder?.version ?? GateTags.noChampion
        for gate in gates {
            guard let verdict = candidate.tag("evalgate.gate.\(gate).verdict") else {
                return .refused("no gate \(gate) was recorded for version \(version) of '\(name)'; run it first")
            }
            let run = candidate.tag("evalgate.gate.\(gate).mlflow_run_id").map { " (run \($0))" } ?? ""
            guard verdict == "pass" else {
                let reason = candidate.tag("evalgate.gate.\(gate).reason").map { ": \($0)" } ?? ""
                return .refused("version \(version) failed gate \(gate)\(run)\(reason)")
            }
            let against = candidate.tag("evalgate.gate.\(gate).champion_version") ?? GateTags.noChampion
            if against != now {
                let moved =
                    holder == nil
                    ? "\(alias) is unset now, but version \(version) was gated by \(gate) against version \(against)"
                    : against == GateTags.noChampion
                        ? """
                        version \(version) was gated by \(gate) without a champion, but \(alias) is on version \(now)
                        """
                        : """
                        champion moved from \(against) to \(now) after version \(version) was gated by \(gate) \
                        against \(against)
                        """
                return .refused("\(moved): gate it again against @\(alias)")
            }
        }
        try mlflow.setAlias(name, alias, to: version)
        if let old = holder?.version { try mlflow.setAlias(name, previousAlias, to: old) }
        return .promoted(old: holder?.version)
    }
}
