import Foundation
import Testing

@testable import EvalGateCore

/// The id join and value validation (SPEC.md section 4), through the pipeline.
struct DataLoaderTests {
    static func gate(
        _ extra: String = "", dataset: String = "path: golden.csv, id: id, label: y",
        model: String = "path: pred.csv, score: s"
    ) -> String {
        """
        version: 1
        name: g
        dataset: {\(dataset)}
        models: {candidate: {\(model)}}
        checks: [{metric: accuracy, min: 0}]
        \(extra)
        """
    }

    static let golden = "id,y,w\na,1,1\nb,0,2\nc,1,0.5\nd,0,1\n"

    func error(_ files: [String: String]) throws -> String {
        let folder = try scratch(files)
        let report = runGate(folder)
        let error = try #require(report.error)
        #expect(error.exitCode == 3)
        return error.description.replacingOccurrences(of: folder + "/", with: "")
    }

    @Test func predictionsInAnotherOrderJoinById() throws {
        let folder = try scratch([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\nd,0.1\nc,0.9\nb,0.2\na,0.4\n",
        ])
        let report = runGate(folder)
        #expect(report.error == nil)
        // a (positive, 0.4) is the only mistake: accuracy 3/4.
        #expect(report.slices[0].values[0].candidate == 0.75)
    }

    @Test func missingPredictionsAreCountedWithTheFirstFiveIds() throws {
        let golden = "id,y\n" + (1...8).map { "r\($0),1" }.joined(separator: "\n") + "\n"
        let message = try error(["gate.yaml": Self.gate(), "golden.csv": golden, "pred.csv": "id,s\nr1,0.5\n"])
        #expect(
            message
                == "pred.csv: 7 golden ids have no prediction (first: 'r2', 'r3', 'r4', 'r5', 'r6'); predict every row of golden.csv"
        )
    }

    @Test func extraAndRepeatedPredictionIds() throws {
        let extra = try error([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,0\nc,1\nd,0\nzz,0.5\n",
        ])
        #expect(
            extra
                == "pred.csv: 1 of 5 ids are not in the golden dataset golden.csv (first: 'zz'); predict exactly the golden set's rows"
        )
        let repeated = try error([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,0\nc,1\nd,0\na,0.5\n",
        ])
        #expect(
            repeated
                == "pred.csv: 1 rows repeat an id already used in column 'id' (first: 'a'); each golden id needs exactly one prediction"
        )
    }

    @Test func duplicateGoldenIds() throws {
        let message = try error(["gate.yaml": Self.gate(), "golden.csv": "id,y\na,1\na,0\n", "pred.csv": "id,s\na,1\n"])
        #expect(
            message == "golden.csv: 1 rows repeat an id already used in column 'id' (first: 'a'); ids must be unique")
    }

    @Test func scoreValuesAreValidatedWithLineIdAndColumn() throws {
        let outOfRange = try error([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,1.7\nc,1\nd,0\n",
        ])
        #expect(
            outOfRange
                == "pred.csv: line 3 (id 'b'), column 's': '1.7' is not valid: a binary score is P(positive) and must be in [0, 1]"
        )
        let missing = try error([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,\nc,1\nd,0\n",
        ])
        #expect(
            missing
                == "pred.csv: line 3 (id 'b'), column 's': a missing value is not valid: the score must be a finite number"
        )
        let nan = try error([
            "gate.yaml": Self.gate(), "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,0\nc,NaN\nd,0\n",
        ])
        #expect(nan == "pred.csv: line 4 (id 'c'), column 's': 'NaN' is not valid: the score must be a finite number")
    }

    @Test func labelsMustBeKnown() throws {
        let third = try error([
            "gate.yaml": Self.gate(), "golden.csv": "id,y\na,1\nb,0\nc,maybe\n", "pred.csv": "id,s\na,1\nb,0\nc,1\n",
        ])
        #expect(
            third
                == "golden.csv: line 4 (id 'c'), column 'y': 'maybe' is not valid: a binary label column holds at most two values, and this is a third after '1', '0'; fix the label or use task: multiclass"
        )
        let noPositive = try error([
            "gate.yaml": Self.gate(dataset: "path: golden.csv, id: id, label: y, positive: fraud"),
            "golden.csv": "id,y\na,ok\nb,bad\n", "pred.csv": "id,s\na,1\nb,0\n",
        ])
        #expect(
            noPositive
                == "golden.csv: label column 'y' holds 'ok', 'bad': neither is the positive value 'fraud'; set dataset.positive to one of them"
        )
    }

    @Test func negativeWeightsAreRejected() throws {
        let message = try error([
            "gate.yaml": Self.gate(dataset: "path: golden.csv, id: id, label: y, weight: w"),
            "golden.csv": "id,y,w\na,1,1\nb,0,-2\n", "pred.csv": "id,s\na,1\nb,0\n",
        ])
        #expect(message == "golden.csv: line 3 (id 'b'), column 'w': '-2' is not valid: the weight must be 0 or more")
    }

    @Test func multiclassProbabilitiesMustSumToOne() throws {
        let gate = """
            version: 1
            name: g
            task: multiclass
            dataset: {path: golden.csv, id: id, label: y}
            models: {candidate: {path: pred.csv, scores: {a: pa, b: pb}}}
            checks: [{metric: accuracy, min: 0}]
            """
        let message = try error([
            "gate.yaml": gate, "golden.csv": "id,y\n1,a\n2,b\n", "pred.csv": "id,pa,pb\n1,0.6,0.4\n2,0.5,0.49\n",
        ])
        #expect(
            message
                == "pred.csv: line 3 (id '2'), column 'pa+pb': this row is not valid: the class probabilities sum to 0.99, not 1 within 1e-06 (1 of 2 rows are off, by at most 0.01); normalise them, or allow printed rounding with probability_tolerance on the model (e.g. 0.001 for probabilities written with three decimals)"
        )
        let unknown = try error([
            "gate.yaml": gate, "golden.csv": "id,y\n1,a\n2,c\n", "pred.csv": "id,pa,pb\n1,0.6,0.4\n2,0.5,0.5\n",
        ])
        #expect(unknown.contains("label 'c' is not one of the classes in models.candidate.scores (a, b)"))
    }

    @Test func datasetShaPinIsChecked() throws {
        let sha = String(repeating: "0", count: 64)
        let message = try error([
            "gate.yaml": Self.gate(dataset: "path: golden.csv, id: id, label: y, sha256: \(sha)"),
            "golden.csv": Self.golden, "pred.csv": "id,s\na,1\nb,0\nc,1\nd,0\n",
        ])
        #expect(message.hasPrefix("golden.csv: sha256 is "))
        #expect(
            message.hasSuffix(
                "but the gate file pins \(sha) (dataset.sha256); the golden set changed: restore it or update the pin"))
    }

    @Test func missingFilesAndColumns() throws {
        let noFile = try error(["gate.yaml": Self.gate(), "golden.csv": Self.golden])
        #expect(noFile.hasPrefix("pred.csv: file not found"))
        let noColumn = try error([
            "gate.yaml": Self.gate(model: "path: pred.csv, score: score"), "golden.csv": Self.golden,
            "pred.csv": "id,s\na,1\n",
        ])
        #expect(noColumn == "pred.csv: column 'score' not found. The file has: id, s")
    }

    @Test func predictionsCanLiveInTheDatasetFileAndInJSONLinesOrGzip() throws {
        let inline = try scratch([
            "gate.yaml": Self.gate(model: "score: s"), "golden.csv": "id,y,s\na,1,0.9\nb,0,0.2\n",
        ])
        #expect(runGate(inline).error == nil)
        let jsonl = try scratch([
            "gate.yaml": Self.gate(model: "path: pred.jsonl, score: s"), "golden.csv": Self.golden,
            "pred.jsonl":
                "{\"id\":\"a\",\"s\":1}\n{\"id\":\"b\",\"s\":0}\n{\"id\":\"c\",\"s\":1}\n{\"id\":\"d\",\"s\":0}\n",
        ])
        #expect(runGate(jsonl).error == nil)
    }

    @Test func inputsAreNeverModified() throws {
        let files = ["gate.yaml": Self.gate(), "golden.csv": "id,y\na,1\nb,\"0\"\n", "pred.csv": "id,s\na,1\nb,0\n"]
        let folder = try scratch(files)
        _ = runGate(folder)
        for (name, content) in files {
            #expect(try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8) == content)
        }
    }
}
