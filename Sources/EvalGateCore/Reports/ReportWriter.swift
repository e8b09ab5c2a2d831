import Foundation

/// One kind of report file: its default name in the report folder and a
/// pure renderer (SPEC.md section 7).
package protocol ReportFormat: SendableMetatype {
    static var fileName: String { get }
    static func render(_ report: Report) -> String
}

extension JSONReport: ReportFormat { package static let fileName = "report.json" }
extension JUnitReport: ReportFormat { package static let fileName = "junit.xml" }
extension MarkdownReport: ReportFormat { package static let fileName = "summary.md" }
extension HTMLReport: ReportFormat { package static let fileName = "report.html" }

/// The last step: writes the rendered reports. Rendering is pure; only this
/// touches the file system, and only the report paths.
package struct ReportWriter {
    /// Report file path -> its contents, in the order written.
    package var outputs: [(path: String, contents: String)]

    package init(outputs: [(path: String, contents: String)]) {
        self.outputs = outputs
    }

    /// Writes every report; returns the paths written.
    package func write() throws(EvalGateError) -> [String] {
        var written: [String] = []
        for output in outputs {
            let folder = (output.path as NSString).deletingLastPathComponent
            do {
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                try Data(output.contents.utf8).write(to: URL(fileURLWithPath: output.path), options: .atomic)
            } catch {
                throw EvalGateError(
                    .output, "cannot write the report \(output.path): \(error.localizedDescription)",
                    fix: "check that the folder is writable")
            }
            written.append(output.path)
        }
        return written
    }
}
