import ArgumentParser
import EvalGateCore
import Foundation

/// `check`'s MLflow options: where to log the run, and the model versions
/// under test.
struct RegistryOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            Log the run to this MLflow tracking server (default: $EVALGATE_MLFLOW); auth from \
            MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD.
            """,
            valueName: "uri"))
    var mlflow: String?

    @Option(help: ArgumentHelp("The MLflow experiment (default: the gate's name).", valueName: "name"))
    var mlflowExperiment: String?

    @Option(help: ArgumentHelp("Seconds to wait for each MLflow request (default 30).", valueName: "seconds"))
    var mlflowTimeout: Double = 30

    @Option(
        help: ArgumentHelp(
            """
            The registered model version under test, NAME/VERSION or models:/NAME/VERSION; it gets the verdict as \
            tags.
            """,
            valueName: "name/version"))
    var candidateModel: String?

    @Option(
        help: ArgumentHelp(
            "The champion's model version, NAME/VERSION or NAME@ALIAS (resolved when the run starts).",
            valueName: "name/version|name@alias"))
    var championModel: String?

    func validate() throws {
        guard mlflowTimeout > 0 else { throw ValidationError("--mlflow-timeout must be above 0, got \(mlflowTimeout)") }
        if let candidateModel {
            guard let reference = ModelReference(candidateModel), reference.version != nil else {
                throw ValidationError(
                    "--candidate-model takes NAME/VERSION or models:/NAME/VERSION, got '\(candidateModel)'")
            }
        }
        if let championModel, ModelReference(championModel) == nil {
            throw ValidationError("--champion-model takes NAME/VERSION or NAME@ALIAS, got '\(championModel)'")
        }
        if candidateModel != nil || championModel != nil, location == nil {
            throw ValidationError("--candidate-model and --champion-model need --mlflow URI (or EVALGATE_MLFLOW)")
        }
    }

    var location: String? { Self.location(mlflow) }

    /// The tracking server a command uses: its `--mlflow`, else `EVALGATE_MLFLOW`.
    static func location(_ option: String?) -> String? {
        option ?? ProcessInfo.processInfo.environment["EVALGATE_MLFLOW"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// What `check` does with MLflow around the gate. Nothing here changes
/// the verdict or the exit code: a server that cannot be reached is a
/// warning, "not logged to MLflow".
struct RegistrySession {
    var client: MLflowClient?
    var options: RegistryOptions
    /// The champion's version when the run started ("none" without one).
    var championVersion: String?
    var models: [ModelLineage] = []

    init(_ options: RegistryOptions, environment: [String: String]) {
        self.options = options
        guard let location = options.location else { return }
        do {
            client = try MLflowClient(location, environment: environment, timeout: options.mlflowTimeout)
        } catch {
            Console.warning("not logged to MLflow: \(error.message)")
            return
        }
        resolveModels()
    }

    /// The versions under test and their lineage in the registry, read
    /// before the gate so that a champion moved meanwhile is noticed.
    private mutating func resolveModels() {
        guard let client else { return }
        do throws(MLflowError) {
            if let text = options.championModel, let reference = ModelReference(text) {
                if let champion = try client.resolve(reference) {
                    championVersion = champion.version
                    models.append(ModelLineage(role: "champion", champion))
                } else {
                    championVersion = GateTags.noChampion
                }
            }
            if let text = options.candidateModel, let reference = ModelReference(text) {
                models.insert(
                    ModelLineage(role: "candidate", try client.modelVersion(reference.name, reference.version!)), at: 0)
            }
        } catch {
            Console.warning("cannot read the model versions from MLflow: \(error.message)")
        }
    }

    /// Logs the run, then tags the candidate version. Prints what it did.
    func record(
        _ report: Report, files: [(name: String, bytes: Data)], gateFile: String, ledgerRun: Int?, quiet: Bool
    ) {
        guard let client else { return }
        var files = files
        if let gate = FileManager.default.contents(atPath: gateFile) {
            files.append((name: (gateFile as NSString).lastPathComponent, bytes: gate))
        }
        let log = MLflowRunLog(
            report: report, runKey: Ledger.runKey(report, version: EvalGateVersion.current),
            version: EvalGateVersion.current, experiment: options.mlflowExperiment ?? report.gate, artifacts: files,
            params: report.settings, ledgerRun: ledgerRun)
        var runID: String?
        do {
            let logged = try log.log(to: client)
            runID = logged.runID
            if !quiet {
                let url = "\(client.server)/#/experiments/\(logged.experimentID)/runs/\(logged.runID)"
                Console.write([
                    logged.repeated
                        ? """
                        mlflow: run \(logged.runID) already records this evaluation (same run key); not logged \
                        again: \(url)
                        """
                        : "mlflow: logged as run \(logged.runID) in experiment '\(log.experiment)': \(url)"
                ])
            }
            if !logged.differences.isEmpty {
                let shown = logged.differences.prefix(5).joined(separator: "; ")
                Console.warning(
                    """
                    the evaluation is not reproducible: MLflow run \(logged.runID) has the same run key but differs: \
                    \(shown)
                    """
                )
            }
            if let problem = logged.artifactProblem { Console.warning("reports not uploaded to MLflow: \(problem)") }
        } catch {
            Console.warning("not logged to MLflow: \(error.message) (the verdict and exit code stand)")
        }
        guard let text = options.candidateModel, let reference = ModelReference(text), let version = reference.version
        else { return }
        do {
            try client.setTags(
                reference.name, version, GateTags.tags(report: report, runID: runID, championVersion: championVersion))
            if !quiet {
                Console.write([
                    "mlflow: tagged \(reference.name)/\(version) evalgate.verdict=\(report.verdict.rawValue)"
                ])
            }
        } catch {
            Console.warning("the model version was not tagged: \(error.message) (the verdict and exit code stand)")
        }
    }
}

struct Promote: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Move a model alias (e.g. champion) to a version, only if its gates passed against the current holder.",
        discussion: """
            evalgate promote --mlflow http://mlflow:5000 --model fraud/7 --alias champion [--gate fraud-detector]
            Exit 0: promoted (the old holder gets --previous-alias); 1: refused, with the reason; 2: bad \
            command line; 3: MLflow could not be read or written (nothing changed).
            """)

    @Option(help: ArgumentHelp("The MLflow tracking server (default: $EVALGATE_MLFLOW).", valueName: "uri"))
    var mlflow: String?

    @Option(
        help: ArgumentHelp("The version to promote, NAME/VERSION or models:/NAME/VERSION.", valueName: "name/version"))
    var model: String

    @Option(help: ArgumentHelp("The alias to move.", valueName: "alias"))
    var alias = "champion"

    @Option(
        name: .customLong("gate"),
        help: ArgumentHelp(
            "Require this gate to have passed (repeatable; default: the last gate run on it).", valueName: "name"))
    var gates: [String] = []

    @Option(help: ArgumentHelp("The alias the old holder gets, for a rollback.", valueName: "alias"))
    var previousAlias = "previous"

    @Option(help: ArgumentHelp("Seconds to wait for each MLflow request.", valueName: "seconds"))
    var mlflowTimeout: Double = 30

    func validate() throws {
        guard ModelReference(model)?.version != nil else {
            throw ValidationError("--model takes NAME/VERSION or models:/NAME/VERSION, got '\(model)'")
        }
        guard location != nil else { throw ValidationError("promote needs --mlflow URI (or EVALGATE_MLFLOW)") }
        guard alias != previousAlias else { throw ValidationError("--alias and --previous-alias must differ") }
    }

    private var location: String? { RegistryOptions.location(mlflow) }

    func run() throws {
        let reference = ModelReference(model)!
        let outcome: Promotion.Outcome
        do {
            let client = try MLflowClient(
                location!, environment: ProcessInfo.processInfo.environment, timeout: mlflowTimeout)
            outcome = try Promotion.promote(
                client, name: reference.name, version: reference.version!, alias: alias, gates: gates,
                previousAlias: previousAlias)
        } catch {
            throw EvalGateError(.data, at: .init(file: "mlflow"), "\(error.message); nothing was changed")
        }
        let name = reference.name
        switch outcome {
        case .promoted(let old):
            let was = old.map { "was version \($0), now @\(previousAlias)" } ?? "the alias was unset"
            Console.write(["promoted \(name)/\(reference.version!) to @\(alias) (\(was))"])
        case .alreadyHeld:
            Console.write(["\(name)/\(reference.version!) already holds @\(alias); nothing changed"])
        case .refused(let reason):
            Console.error("not promoted: \(reason)")
            throw ExitCode(1)
        }
    }
}
