import Foundation

/// The last step: writes the rendered reports. Rendering is pure; only this
/// touches the file system, and only the report paths.
package struct ReportWriter {
    /// Report file path -> renderer.
    package var outputs: [(path: String, render: (Report) -> String)]

    package init(outputs: [(path: String, render: (Report) -> String)]) {
        self.outputs = outputs
    }

    /// Writes every report; returns the paths written.
    package func write(_ report: Report) throws(EvalGateError) -> [String] {
        var written: [String] = []
        for output in outputs {
            let folder = (output.path as NSString).deletingLastPathComponent
            do {
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                try Data(output.render(report).utf8).write(to: URL(fileURLWithPath: output.path), options: .atomic)
            } catch {
                throw .usage("cannot write the report \(output.path): \(error.localizedDescription); check that the folder is writable")
            }
            written.append(output.path)
        }
        return written
    }
}
