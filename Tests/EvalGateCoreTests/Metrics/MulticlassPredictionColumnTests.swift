import Foundation
import Testing

@testable import EvalGateCore

struct MulticlassPredictionColumnTests {
    /// A `prediction:` column naming a class no label has ('d'): classes are
    /// the union of labels and predictions, as scikit-learn's unique_labels.
    /// Expected values: scikit-learn 1.9.1, y = [a,b,c,a,b,c,a],
    /// p = [a,c,c,d,b,a,a], w = [1,2,0.5,1,1,3,1].
    @Test func predictedClassesOutsideTheLabelsCount() throws {
        let folder = try scratch([
            "gate.yaml": """
            version: 1
            name: mc
            task: multiclass
            dataset: {path: d.csv, id: id, label: y, weight: w}
            models: {candidate: {prediction: p}}
            checks:
            \(["accuracy", "macro_f1", "micro_f1", "weighted_f1", "macro_precision", "macro_recall"].map { "  - {metric: \($0), min: 0}" }.joined(separator: "\n"))
            """,
            "d.csv": "id,y,p,w\n1,a,a,1\n2,b,c,2\n3,c,c,0.5\n4,a,d,1\n5,b,b,1\n6,c,a,3\n7,a,a,1\n",
        ])
        let values = try #require(runGate(folder).slices.first).values
        let expected: [(String, Double)] = [
            ("accuracy", 0.3684210526315789),  // accuracy_score(y, p, sample_weight=w)
            ("macro_f1", 0.2916666666666667),  // f1_score(..., average='macro', zero_division=0)
            ("micro_f1", 0.3684210526315789),  // f1_score(..., average='micro')
            ("weighted_f1", 0.3771929824561403),  // f1_score(..., average='weighted', zero_division=0)
            ("macro_precision", 0.39999999999999997),  // precision_score(..., average='macro', zero_division=0)
            ("macro_recall", 0.2857142857142857),  // recall_score(..., average='macro', zero_division=0)
        ]
        for (metric, value) in expected {
            let got = values.first { $0.metric == metric }?.candidate
            #expect(isClose(got, value), "\(metric): \(String(describing: got)) vs \(value)")
        }
    }
}
