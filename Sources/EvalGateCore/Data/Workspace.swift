import Foundation

/// `--root DIR` (or `EVALGATE_ROOT`): the folder a run may read from. A gate
/// file from an untrusted pull request names its data files, so each of
/// those paths must resolve, symlinks and `..` followed, inside the root;
/// `../../etc/shadow` or a symlink to `/home/runner/.ssh` is refused before
/// anything is opened. Paths on the command line come from the team's
/// workflow and are not checked.
package struct Workspace: Sendable {
    /// The root as given, for messages.
    package var written: String
    /// The root with symlinks resolved.
    package var physical: String

    package init(_ root: String) throws(EvalGateError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
            let physical = Self.realPath(root)
        else {
            throw .usage(
                "--root \(root): no such folder; give the workspace folder the gate file's paths must stay inside")
        }
        self.written = root
        self.physical = physical
    }

    /// `--root`, else `EVALGATE_ROOT` when set and not empty.
    package static func location(_ option: String?, environment: [String: String]) -> String? {
        if let option { return option }
        guard let root = environment["EVALGATE_ROOT"], !root.isEmpty else { return nil }
        return root
    }

    /// Whether `path`, resolved physically, is the root or lies under it.
    package func contains(_ path: String) -> Bool {
        let resolved = Self.physicalPath(path)
        return resolved == physical || resolved.hasPrefix(physical == "/" ? "/" : physical + "/")
    }

    /// Throws unless `file`'s path lies inside the root: exit 2, naming the
    /// path as the gate file wrote it, where it resolves, and the root.
    package func check(_ written: String, opened path: String, key: String, contract: String) throws(EvalGateError) {
        guard !contains(path) else { return }
        throw .gateFile(
            contract, key: key,
            """
            \(quote(written)) resolves to \(Self.physicalPath(path)), outside the workspace \(physical) \
            (--root \(self.written)); a gate file may only name files inside the workspace: move the file \
            there or fix the path
            """
        )
    }

    /// The absolute path with every symlink and `..` resolved as the kernel
    /// would: the longest existing prefix through realpath(3), the rest
    /// (which does not exist yet) collapsed lexically.
    package static func physicalPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realPath(absolute) { return real }
        var head = absolute
        var tail: [String] = []
        while head != "/", !head.isEmpty {
            tail.insert((head as NSString).lastPathComponent, at: 0)
            head = (head as NSString).deletingLastPathComponent
            if let real = realPath(head.isEmpty ? "/" : head) {
                return Pipeline.normalized(real + "/" + tail.joined(separator: "/"))
            }
        }
        return Pipeline.normalized(absolute)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
