import Foundation
import Testing

/// The docs show what the tool does, not what it did once: every console
/// excerpt marked in README.md and docs/ is the output of its command, run
/// again here on a copy of gates/ and fixtures/, and every flag of the
/// synopses is in `--help` and the other way round.
///
/// Markers, each on the line before a fenced block:
/// - `<!-- evalgate-output: ARGS -->`: the block is what `evalgate ARGS` prints;
/// - `<!-- evalgate-session -->`: the block holds `$ evalgate ARGS` lines,
///   each followed by what it prints (a last line `...` cuts it there);
/// - `<!-- evalgate-file: PATH -->`: the block is the file PATH of the
///   repository, or with `after: ARGS`, the file that `evalgate ARGS` writes.
///
/// Dates and times, and the seconds init measures, are compared as
/// placeholders. `EVALGATE_RECORD=1` rewrites the blocks from the real
/// output (and fails, so that a recording is never taken for a pass).
struct DocsTests {
    typealias CLI = CLITests

    static let recording = NSLock()
    static let atStart = excerpts()

    static let documents = ["README.md", "docs/reference.md", "docs/ci.md", "docs/performance.md"]

    struct Excerpt: CustomTestStringConvertible, Sendable {
        var document: String
        /// Index of the line of the marker, 0-based.
        var markerLine: Int
        var marker: String
        /// The block's lines between its fences.
        var block: [String]
        var testDescription: String { "\(document):\(markerLine + 1)" }
    }

    static func excerpts() -> [Excerpt] {
        var found: [Excerpt] = []
        for document in documents {
            guard let text = try? String(contentsOfFile: "\(CLI.root)/\(document)", encoding: .utf8) else { continue }
            let lines = text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("<!-- evalgate-") && line.hasSuffix("-->") {
                guard i + 1 < lines.count, lines[i + 1].hasPrefix("```"),
                    let end = lines[(i + 2)...].firstIndex(where: { $0.hasPrefix("```") })
                else { continue }
                found.append(
                    Excerpt(
                        document: document, markerLine: i,
                        marker: String(line.dropFirst(5).dropLast(3)).trimmingCharacters(in: .whitespaces),
                        block: Array(lines[(i + 2)..<end])))
            }
        }
        return found
    }

    /// A scratch folder holding copies of gates/ and fixtures/.
    static func workspace() throws -> String {
        let dir = try CLI.tempDir()
        for folder in ["gates", "fixtures"] {
            try FileManager.default.copyItem(atPath: "\(CLI.root)/\(folder)", toPath: "\(dir)/\(folder)")
        }
        return dir
    }

    /// The words of a command line, with double-quoted words kept whole.
    static func words(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for c in command {
            if c == "\"" {
                quoted.toggle()
            } else if c == " ", !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func evalgate(_ command: String, in dir: String) throws -> [String] {
        var arguments = words(command)
        if arguments.first == "evalgate" { arguments.removeFirst() }
        let run = try CLI.run(arguments, in: dir, environment: ["NO_COLOR": "1"])
        let output = run.stdout + run.stderr
        var lines = output.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func normalized(_ lines: [String]) -> [String] {
        lines.map { line in
            line.replacingOccurrences(
                of: #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, with: "YYYY-MM-DD hh:mm:ss", options: .regularExpression
            ).replacingOccurrences(of: #"about \d+(\.\d+)? (ms|s)\b"#, with: "about N s", options: .regularExpression)
        }
    }

    /// What the block should hold, from running what its marker says.
    static func actual(_ excerpt: Excerpt) throws -> [String] {
        let marker = excerpt.marker
        if marker.hasPrefix("evalgate-output:") {
            let dir = try workspace()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            return try evalgate(String(marker.dropFirst("evalgate-output:".count)), in: dir)
        }
        if marker.hasPrefix("evalgate-file:") {
            let spec = marker.dropFirst("evalgate-file:".count).trimmingCharacters(in: .whitespaces)
            let parts = spec.components(separatedBy: " after: ")
            var folder = CLI.root
            if parts.count == 2 {
                folder = try workspace()
                _ = try evalgate(parts[1], in: folder)
            }
            defer { if folder != CLI.root { try? FileManager.default.removeItem(atPath: folder) } }
            var lines = try String(contentsOfFile: "\(folder)/\(parts[0])", encoding: .utf8).components(
                separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        precondition(marker == "evalgate-session", "unknown marker \(marker)")
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines: [String] = []
        var i = 0
        while i < excerpt.block.count {
            let command = excerpt.block[i]
            precondition(command.hasPrefix("$ "), "a session block alternates '$ evalgate ...' lines and output")
            var shown = excerpt.block[(i + 1)...].prefix { !$0.hasPrefix("$ ") }
            i += 1 + shown.count
            var output = try evalgate(String(command.dropFirst(2)), in: dir)
            // A block may show the start of an output and end it with "...".
            if shown.last == "..." {
                shown.removeLast()
                output = Array(output.prefix(shown.count)) + ["..."]
            }
            lines += [command] + output
        }
        return lines
    }

    @Test(arguments: atStart)
    func consoleExcerptsAreTheRealOutput(_ excerpt: Excerpt) throws {
        let actual = try Self.actual(excerpt)
        if ProcessInfo.processInfo.environment["EVALGATE_RECORD"] == "1",
            Self.normalized(actual) != Self.normalized(excerpt.block)
        {
            // Several excerpts of one document record at once: one at a time, each finding its block again.
            Self.recording.lock()
            defer { Self.recording.unlock() }
            let path = "\(CLI.root)/\(excerpt.document)"
            var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            // Which of the document's blocks with this marker, counted in the file as it was at the start.
            let occurrence = Self.atStart.filter { $0.document == excerpt.document && $0.marker == excerpt.marker }
                .firstIndex { $0.markerLine == excerpt.markerLine }!
            let markers = lines.indices.filter { lines[$0] == "<!-- \(excerpt.marker) -->" }
            let start = markers[occurrence] + 2
            let end = lines[start...].firstIndex { $0.hasPrefix("```") }!
            lines.replaceSubrange(start..<end, with: actual)
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(excerpt.testDescription) again; run the tests once more without EVALGATE_RECORD")
            return
        }
        #expect(
            Self.normalized(actual) == Self.normalized(excerpt.block),
            """
            \(excerpt.testDescription) differs from the real output; EVALGATE_RECORD=1 swift test rewrites it:
            \(actual.joined(separator: "\n"))
            """)
    }

    @Test func everyDocumentHasItsExcerptsMarked() {
        let marked = Set(Self.excerpts().map(\.document))
        #expect(marked.isSuperset(of: ["README.md", "docs/reference.md"]), "\(marked)")
    }

    /// The flags of each subcommand in a synopsis block (one that starts
    /// with `evalgate check GATE_FILE`); continuation lines belong to the
    /// command above them.
    static func synopsisFlags(_ document: String) throws -> [String: Set<String>] {
        let text = try String(contentsOfFile: "\(CLI.root)/\(document)", encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("evalgate check GATE_FILE") }) else { return [:] }
        var flags: [String: Set<String>] = [:]
        var command = ""
        for line in lines[start...].prefix(while: { !$0.hasPrefix("```") }) {
            if line.hasPrefix("evalgate ") {
                command = line.split(separator: " ")[1].hasPrefix("--") ? "" : String(line.split(separator: " ")[1])
            }
            let code = line.components(separatedBy: "  #")[0]
            for match in code.matches(of: /--[a-z][a-z-]*/) { flags[command, default: []].insert(String(match.0)) }
        }
        return flags
    }

    static func helpFlags(_ command: String) throws -> Set<String> {
        let help = try CLI.run([command, "--help"]).stdout
        var flags = Set(help.matches(of: /--[a-z][a-z-]*/).map { String($0.0) })
        flags.subtract(["--help", "--version"])
        return flags
    }

    @Test(arguments: ["README.md", "docs/reference.md"])
    func synopsesListEveryFlagOfHelpAndNoOther(_ document: String) throws {
        let documented = try Self.synopsisFlags(document)
        #expect(Set(documented.keys).isSuperset(of: ["check", "validate", "init", "history"]), "\(documented.keys)")
        for (command, flags) in documented where !command.isEmpty {
            let help = try Self.helpFlags(command)
            #expect(
                flags == help,
                "\(document), evalgate \(command): only in the synopsis \(flags.subtracting(help).sorted()), only in --help \(help.subtracting(flags).sorted())"
            )
        }
    }
}
