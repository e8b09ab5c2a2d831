import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The registry loop against a real MLflow tracking server (`.ci/run`
/// starts one and sets EVALGATE_TEST_MLFLOW): gate a model version, read
/// back through MLflow's own REST API what evalgate logged and tagged,
/// promote, and refuse promotions that must not happen.
@Suite(.serialized)
struct MLflowCLITests {
    typealias CLI = CLITests

    static let server: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["EVALGATE_TEST_MLFLOW"], !url.isEmpty { return url }
        if environment["EVALGATE_REQUIRE_MLFLOW"] == "1" { return "" }
        print("skipping the MLflow tests: set EVALGATE_TEST_MLFLOW (bash .ci/run starts a server and sets it)")
        return nil
    }()

    /// A JSON call to MLflow's REST API, for the test's own setup and reads.
    @discardableResult
    static func rest(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        let base = try #require(server.flatMap { $0.isEmpty ? nil : $0 }, "EVALGATE_REQUIRE_MLFLOW=1 but no server")
        var request = URLRequest(url: URL(string: "\(base)/api/2.0/\(path)")!)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in
            box.data = data ?? Data()
            done.signal()
        }.resume()
        done.wait()
        return (try? JSONSerialization.jsonObject(with: box.data) as? [String: Any]) ?? [:]
    }

    static func versionTags(_ model: String, _ version: String) throws -> [String: String] {
        let got = try rest("GET", "mlflow/model-versions/get?name=\(model)&version=\(version)")
        let tags = (got["model_version"] as? [String: Any])?["tags"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: tags.map { ($0["key"] as! String, $0["value"] as! String) })
    }

    static func aliases(_ model: String) throws -> [String: String] {
        let got = try rest("GET", "mlflow/registered-models/get?name=\(model)")
        let aliases = (got["registered_model"] as? [String: Any])?["aliases"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: aliases.map { ($0["alias"] as! String, $0["version"] as! String) })
    }

    @Test(.enabled(if: server != nil))
    func gateTagPromoteAndRefuse() throws {
        let mlflow = try #require(Self.server)
        let model = "fraud-\(UUID().uuidString.prefix(8))"
        let experiment = "evalgate-test-\(UUID().uuidString.prefix(8))"
        try Self.rest("POST", "mlflow/registered-models/create", ["name": model])
        for version in 1...3 {
            try Self.rest(
                "POST", "mlflow/model-versions/create", ["name": model, "source": "s3://models/\(model)/v\(version)"])
        }
        try Self.rest(
            "POST", "mlflow/model-versions/set-tag", ["name": model, "version": "2", "key": "data", "value": "v9"])
        try Self.rest("POST", "mlflow/registered-models/alias", ["name": model, "alias": "champion", "version": "1"])
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func check(_ gate: String, version: Int, _ extra: [String] = []) throws -> CLI.Run {
            try CLI.run(
                [
                    "check", gate, "--mlflow", mlflow, "--mlflow-experiment", experiment, "--candidate-model",
                    "\(model)/\(version)", "--champion-model", "\(model)@champion", "--report-dir",
                    "\(dir)/r\(version)",
                ] + extra)
        }
        func promote(_ version: Int, _ extra: [String] = []) throws -> CLI.Run {
            try CLI.run(
                ["promote", "--mlflow", mlflow, "--model", "\(model)/\(version)", "--alias", "champion"] + extra)
        }

        // Version 2 regresses on the fraud gate: logged, tagged, and not promoted.
        let failed = try check("gates/fraud.yaml", version: 2)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stdout.contains("mlflow: logged as run "), "\(failed.stdout)\(failed.stderr)")
        let report = try CLI.json("\(dir)/r2/report.json")
        let keys = try #require((report["mlflow"] as? [String: Any])?["metric_keys"] as? [String: Any])
        let experimentID = try #require(
            (try Self.rest("GET", "mlflow/experiments/get-by-name?experiment_name=\(experiment)")["experiment"]
                as? [String: Any])?["experiment_id"] as? String)
        let found = try Self.rest(
            "POST", "mlflow/runs/search",
            ["experiment_ids": [experimentID], "filter": "tags.`evalgate.gate` = 'fraud-detector'"])
        let runs = found["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        let info = run["info"] as! [String: Any]
        #expect(info["status"] as? String == "FINISHED")
        let data = run["data"] as! [String: Any]
        let tags = Dictionary(
            uniqueKeysWithValues: (data["tags"] as! [[String: Any]]).map {
                ($0["key"] as! String, $0["value"] as! String)
            })
        #expect(tags["evalgate.verdict"] == "fail" && tags["evalgate.exit_code"] == "1")
        #expect(tags["evalgate.dataset_sha256"]?.count == 64 && tags["evalgate.run_key"]?.count == 64)
        #expect((data["metrics"] as? [Any])?.count == keys.count, "every value of report.json is a metric")
        #expect((data["params"] as? [Any])?.isEmpty == false)
        let runID = info["run_id"] as! String
        let tagged = try Self.versionTags(model, "2")
        #expect(tagged["evalgate.verdict"] == "fail" && tagged["evalgate.champion_version"] == "1")
        #expect(tagged["evalgate.mlflow_run_id"] == runID && tagged["evalgate.gate"] == "fraud-detector")
        #expect(
            ((report["lineage"] as? [String: Any])?["models"] as? [String: Any])?.keys.sorted() == [
                "candidate", "champion",
            ])
        let refused = try promote(2)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("version 2 failed gate fraud-detector (run \(runID)): auc on high_value"))
        let ungated = try promote(3)
        #expect(ungated.status == 1 && ungated.stderr.contains("no gate was recorded for version 3"))

        // The same evaluation again is found, not logged twice.
        let again = try check("gates/fraud.yaml", version: 2)
        #expect(again.stdout.contains("mlflow: run \(runID) already records this evaluation"))

        // Version 3 passes the breast-cancer gate against champion 1 and is promoted.
        #expect(try check("gates/breast-cancer.yaml", version: 3).status == 0)
        let promoted = try promote(3, ["--gate", "breast-cancer-screening"])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(promoted.stdout.contains("promoted \(model)/3 to @champion (was version 1, now @previous)"))
        #expect(try Self.aliases(model) == ["champion": "3", "previous": "1"])

        // Version 2 passes against champion 3, but someone moves the alias back to 1 before it is promoted.
        #expect(try check("gates/breast-cancer.yaml", version: 2).status == 0)
        try Self.rest("POST", "mlflow/registered-models/alias", ["name": model, "alias": "champion", "version": "1"])
        let moved = try promote(2, ["--gate", "breast-cancer-screening"])
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("champion moved from 3 to 1 after version 2 was gated"), "\(moved.stderr)")
        #expect(try Self.aliases(model)["champion"] == "1", "a refused promotion changes nothing")
    }

    @Test func anUnreachableServerNeverChangesTheVerdictAndLeaksNothing() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secret = "s3cr3t-\(UUID().uuidString.prefix(6))"
        let environment = ["MLFLOW_TRACKING_TOKEN": secret]
        let plain = try CLI.run(["check", "gates/fraud.yaml", "--report-dir", "\(dir)/a", "--mlflow-experiment", "x"])
        #expect(plain.status == 1)
        let logged = try CLI.run(
            [
                "check", "gates/fraud.yaml", "--report-dir", "\(dir)/b", "--mlflow",
                "http://user:\(secret)@127.0.0.1:9",
                "--mlflow-timeout", "2",
            ], environment: environment)
        #expect(logged.status == 1)
        #expect(
            logged.stderr.contains("evalgate: warning: not logged to MLflow: cannot reach MLflow at http://127.0.0.1:9")
        )
        #expect(!(logged.stdout + logged.stderr).contains(secret))
        let report = try String(contentsOfFile: "\(dir)/b/report.json", encoding: .utf8)
        #expect(!report.contains(secret))
        let promote = try CLI.run(
            ["promote", "--mlflow", "http://127.0.0.1:9", "--model", "fraud/3"], environment: environment)
        #expect(promote.status == 3 && promote.stderr.contains("nothing was changed"))
        #expect(!(promote.stdout + promote.stderr).contains(secret))
    }
}
