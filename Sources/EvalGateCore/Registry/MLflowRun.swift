import Foundation

/// One gate run as one MLflow run (docs/registry.md): tags, params, every
/// value of report.json as a metric, the four reports and the gate file as
/// artifacts under `evalgate/`, and the run's status. A repeat of the same
/// evaluation (same run key) finds the run already logged instead of
/// logging another.
package struct MLflowRunLog {
    package var report: Report
    package var runKey: String
    package var version: String
    package var experiment: String
    /// Files under `evalgate/`, byte for byte as written.
    package var artifacts: [(name: String, bytes: Data)]
    /// The gate's settings (revision, decision threshold, ...).
    package var params: [(String, String)]
    package var ledgerRun: Int?

    package init(
        report: Report, runKey: String, version: String, experiment: String, artifacts: [(name: String, bytes: Data)],
        params: [(String, String)], ledgerRun: Int?
    ) {
        self.report = report
        self.runKey = runKey
        self.version = version
        self.experiment = experiment
        self.artifacts = artifacts
        self.params = params
        self.ledgerRun = ledgerRun
    }

    /// What logging did.
    package struct Logged: Sendable {
        package var runID: String
        package var experimentID: String
        /// The run was there already (same run key).
        package var repeated: Bool
        /// How a repeat differs from the run already logged (empty: reproducible).
        package var differences: [String]
        /// Why the artifacts were not uploaded, when they were not.
        package var artifactProblem: String?
    }

    package var tags: [(String, String)] {
        func sha(_ role: String) -> String { report.inputs.first { $0.role == role }?.sha256 ?? "" }
        var tags: [(String, String)] = [
            ("evalgate.verdict", report.verdict.rawValue), ("evalgate.exit_code", "\(report.exitCode)"),
            ("evalgate.gate", report.gate), ("evalgate.revision", report.revision ?? ""),
            ("evalgate.run_key", runKey), ("evalgate.version", version),
            ("evalgate.dataset_sha256", sha("dataset")), ("evalgate.candidate_sha256", sha("candidate")),
            ("evalgate.champion_sha256", report.baseline.map { "run:\($0.run)" } ?? sha("champion")),
            ("mlflow.runName", "\(report.gate) \(report.verdict.rawValue)"),
        ]
        if let dvc = report.inputs.first(where: { $0.role == "dataset" })?.dvcMD5 {
            tags.append(("evalgate.dataset_dvc_md5", dvc))
        }
        if let ci = report.lineage.ci {
            let fields = [("system", ci.system), ("commit", ci.commit), ("ref", ci.ref), ("repository", ci.repository)]
            tags += fields.compactMap { key, value in value.map { ("evalgate.ci.\(key)", $0) } }
            tags += [("evalgate.ci.run_id", ci.runID), ("evalgate.ci.run_url", ci.runURL)].compactMap { key, value in
                value.map { (key, $0) }
            }
        }
        tags += report.lineage.labels.map { ("evalgate.label.\($0.key)", $0.value) }
        if let ledgerRun { tags.append(("evalgate.ledger_run", "\(ledgerRun)")) }
        return tags.filter { !$0.1.isEmpty }
    }

    package func log(to mlflow: MLflowClient) throws(MLflowError) -> Logged {
        let experimentID = try experimentID(mlflow)
        let keys = MLflowMetricKeys.keys(report)
        if let existing = try findRun(mlflow, experimentID: experimentID) {
            return Logged(
                runID: existing, experimentID: experimentID, repeated: true,
                differences: try differences(mlflow, runID: existing, keys: keys), artifactProblem: nil)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let created = try mlflow.call(
            .POST, "runs/create",
            body: [
                "experiment_id": experimentID, "start_time": now,
                "run_name": "\(report.gate) \(report.verdict.rawValue)",
                "tags": [["key": "evalgate.run_key", "value": runKey]],
            ])
        guard let info = (created["run"] as? [String: Any])?["info"] as? [String: Any],
            let runID = info["run_id"] as? String
        else {
            throw MLflowError("MLflow at \(mlflow.server) created a run but did not say its id")
        }
        var problem: String?
        do {
            try logBatches(mlflow, runID: runID, keys: keys, time: now)
            problem = try uploadArtifacts(mlflow, artifactURI: info["artifact_uri"] as? String ?? "")
        } catch {
            // A run that could not be filled is marked FAILED, never left RUNNING.
            _ = try? mlflow.call(.POST, "runs/update", body: ["run_id": runID, "status": "FAILED", "end_time": now])
            throw error
        }
        let decided = report.exitCode == 0 || report.exitCode == 1
        try mlflow.call(
            .POST, "runs/update",
            body: [
                "run_id": runID, "status": decided ? "FINISHED" : "FAILED",
                "end_time": Int64(Date().timeIntervalSince1970 * 1000),
            ])
        return Logged(
            runID: runID, experimentID: experimentID, repeated: false, differences: [], artifactProblem: problem)
    }

    private func experimentID(_ mlflow: MLflowClient) throws(MLflowError) -> String {
        do {
            let found = try mlflow.call(.GET, "experiments/get-by-name", query: [("experiment_name", experiment)])
            if let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
        } catch  where error.isNotFound {}
        let created = try mlflow.call(.POST, "experiments/create", body: ["name": experiment])
        guard let id = created["experiment_id"] as? String else {
            throw MLflowError("MLflow at \(mlflow.server) created experiment '\(experiment)' but did not say its id")
        }
        return id
    }

    private func findRun(_ mlflow: MLflowClient, experimentID: String) throws(MLflowError) -> String? {
        let found = try mlflow.call(
            .POST, "runs/search",
            body: [
                "experiment_ids": [experimentID], "filter": "tags.`evalgate.run_key` = '\(runKey)'",
                "max_results": 1, "order_by": ["attributes.start_time ASC"],
            ])
        let runs = found["runs"] as? [[String: Any]] ?? []
        return (runs.first?["info"] as? [String: Any])?["run_id"] as? String
    }

    /// How this evaluation differs from the run logged with the same key.
    private func differences(
        _ mlflow: MLflowClient, runID: String, keys: [MLflowMetricKey]
    ) throws(MLflowError) -> [String] {
        let got = try mlflow.get("runs/get", query: [("run_id", runID)], as: LoggedRun.self)
        let logged = Dictionary(got.run.data.metrics?.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { $1 })
        let tags = Dictionary(got.run.data.tags?.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { $1 })
        var differences: [String] = []
        if let verdict = tags["evalgate.verdict"], verdict != report.verdict.rawValue {
            differences.append("verdict \(verdict) then, \(report.verdict.rawValue) now")
        }
        for entry in keys where logged[entry.key] != entry.value {
            let then = logged[entry.key].map { formatNumber($0) } ?? "absent"
            differences.append("\(entry.key) \(then) then, \(formatNumber(entry.value)) now")
        }
        return differences
    }

    /// runs/get's answer, as far as a repeat compares it.
    struct LoggedRun: Decodable {
        struct Metric: Decodable {
            var key: String
            var value: Double
        }
        struct Tag: Decodable {
            var key: String
            var value: String
        }
        struct Data: Decodable {
            var metrics: [Metric]?
            var tags: [Tag]?
        }
        struct Run: Decodable { var data: Data }
        var run: Run
    }

    /// Tags, params and metrics within MLflow's limits: 1000 metrics, 100
    /// params and 100 tags per request, 1000 entries in all.
    private func logBatches(
        _ mlflow: MLflowClient, runID: String, keys: [MLflowMetricKey], time: Int64
    ) throws(MLflowError) {
        let tagEntries = tags.map { ["key": $0.0, "value": String($0.1.prefix(5000))] }
        let paramEntries = params.map { ["key": $0.0, "value": String($0.1.prefix(500))] }
        let metricEntries: [[String: Any]] = keys.map {
            ["key": $0.key, "value": $0.value, "timestamp": time, "step": 0]
        }
        var tagsLeft = tagEntries[...]
        var paramsLeft = paramEntries[...]
        var metricsLeft = metricEntries[...]
        while !tagsLeft.isEmpty || !paramsLeft.isEmpty || !metricsLeft.isEmpty {
            let tagBatch = tagsLeft.prefix(100)
            let paramBatch = paramsLeft.prefix(100)
            let metricBatch = metricsLeft.prefix(1000 - tagBatch.count - paramBatch.count)
            tagsLeft = tagsLeft.dropFirst(tagBatch.count)
            paramsLeft = paramsLeft.dropFirst(paramBatch.count)
            metricsLeft = metricsLeft.dropFirst(metricBatch.count)
            try mlflow.call(
                .POST, "runs/log-batch",
                body: [
                    "run_id": runID, "tags": Array(tagBatch), "params": Array(paramBatch),
                    "metrics": Array(metricBatch),
                ])
        }
    }

    /// The reports and the gate file under `evalgate/`, through the
    /// server's artifact proxy; nil when uploaded, else why not.
    private func uploadArtifacts(_ mlflow: MLflowClient, artifactURI: String) throws(MLflowError) -> String? {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else {
            return """
                the run's artifact store (\(artifactURI.split(separator: ":").first ?? "none"):) is not served by the \
                tracking server; start it with --serve-artifacts to keep the reports with the run
                """
        }
        var root = String(artifactURI.dropFirst(scheme.count))
        while root.hasPrefix("/") { root.removeFirst() }
        for (name, bytes) in artifacts { try mlflow.upload(bytes, to: "\(root)/evalgate/\(name)") }
        return nil
    }
}
