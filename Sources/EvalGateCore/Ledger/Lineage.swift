/// Where a run came from: the CI context read from the standard variables of
/// GitHub Actions or GitLab CI, and the user's `--label KEY=VALUE` pairs.
/// It goes into report.json (so the artifact carries it without a ledger)
/// and into the ledger.
package struct Lineage: Sendable, Equatable {
    package var ci: CIContext?
    /// Sorted by key; keys are unique.
    package var labels: [Label]
    /// The registered model versions under test (`--candidate-model`,
    /// `--champion-model`), as the registry holds them.
    package var models: [ModelLineage] = []

    package init(ci: CIContext? = nil, labels: [Label] = []) {
        self.ci = ci
        self.labels = labels.sorted { $0.key < $1.key }
    }

    package struct Label: Sendable, Equatable {
        package var key: String
        package var value: String

        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Parses `--label KEY=VALUE` arguments; keys are `[A-Za-z0-9._-]+` and unique.
    package static func labels(_ arguments: [String]) throws(EvalGateError) -> [Label] {
        var labels: [Label] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw .usage("--label \(quote(argument)) needs the form KEY=VALUE, e.g. --label model_version=42")
            }
            let key = String(argument[..<equals])
            let value = String(argument[argument.index(after: equals)...])
            guard isValidName(key) else {
                throw .usage("--label \(quote(argument)): the key may use only letters, digits, '.', '_' and '-'")
            }
            guard !labels.contains(where: { $0.key == key }) else {
                throw .usage("--label \(key) is given twice; give each key once")
            }
            labels.append(Label(key: key, value: value))
        }
        return labels
    }
}

/// The CI context of a run, from the runner's own variables.
package struct CIContext: Sendable, Equatable {
    /// "github-actions" or "gitlab-ci".
    package var system: String
    package var commit: String?
    package var ref: String?
    package var repository: String?
    package var runID: String?
    package var runURL: String?

    /// GitHub Actions (`GITHUB_ACTIONS=true`): GITHUB_SHA, GITHUB_REF,
    /// GITHUB_REPOSITORY, GITHUB_RUN_ID and the run's URL; GitLab CI
    /// (`GITLAB_CI=true`): CI_COMMIT_SHA, CI_COMMIT_REF_NAME,
    /// CI_PROJECT_PATH, CI_PIPELINE_ID, CI_JOB_URL. nil elsewhere.
    package static func from(_ environment: [String: String]) -> CIContext? {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        if environment["GITHUB_ACTIONS"] == "true" {
            var url: String?
            if let repository = value("GITHUB_REPOSITORY"), let run = value("GITHUB_RUN_ID") {
                url = "\(value("GITHUB_SERVER_URL") ?? "https://github.com")/\(repository)/actions/runs/\(run)"
            }
            return CIContext(
                system: "github-actions", commit: value("GITHUB_SHA"), ref: value("GITHUB_REF"),
                repository: value("GITHUB_REPOSITORY"), runID: value("GITHUB_RUN_ID"), runURL: url)
        }
        if environment["GITLAB_CI"] == "true" {
            return CIContext(
                system: "gitlab-ci", commit: value("CI_COMMIT_SHA"), ref: value("CI_COMMIT_REF_NAME"),
                repository: value("CI_PROJECT_PATH"), runID: value("CI_PIPELINE_ID"), runURL: value("CI_JOB_URL"))
        }
        return nil
    }
}

/// A model version's lineage in the registry: the run that made it, its
/// source and its tags (a training-data version, a commit, ...).
package struct ModelLineage: Sendable, Equatable {
    package var role: String
    package var name: String
    package var version: String
    package var runID: String?
    package var source: String?
    package var tags: [Lineage.Label]

    package init(role: String, _ version: ModelVersion) {
        self.role = role
        name = version.name
        self.version = version.version
        runID = version.runID
        source = version.source
        tags = version.tags.filter { !$0.key.hasPrefix("evalgate.") }.map {
            Lineage.Label(key: $0.key, value: $0.value)
        }
    }
}
