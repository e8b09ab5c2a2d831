import Crypto
import Foundation

/// A folder of Parquet part files, as Spark, pyarrow's write_to_dataset,
/// Polars and DuckDB write them (docs/reference.md, "Data"): every
/// `.parquet`/`.pq` file below it, in byte order of their paths, skipping
/// hidden and `_`-prefixed entries (`_SUCCESS`, `_committed_*`, `.crc`);
/// `column=value` folders become columns (URL-decoded, Hive's
/// `__HIVE_DEFAULT_PARTITION__` missing). Its sha256 is that of the lines
/// "PATH<TAB>SHA256\n", one per part in that order.
enum ParquetDataset {
    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The part files below `folder`, relative to it, in reading order.
    static func parts(_ folder: String, display: String) throws(EvalGateError) -> [String] {
        guard let all = FileManager.default.subpaths(atPath: folder) else {
            throw EvalGateError(.data, at: .init(file: display), "cannot be listed", fix: "check its permissions")
        }
        let parts = all.filter { path in
            let components = path.split(separator: "/")
            return !components.contains { $0.hasPrefix(".") || $0.hasPrefix("_") }
                && ParquetReader.isParquet(path) && !isFolder("\(folder)/\(path)")
        }
        guard !parts.isEmpty else {
            throw EvalGateError(
                .data, at: .init(file: display), "is a folder with no .parquet part files",
                fix: "point the path at a data file, or at the folder a Parquet writer made")
        }
        return parts.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `column=value` components of a part's path.
    static func partitions(_ path: String) -> [(column: String, value: String?)] {
        path.split(separator: "/").dropLast().compactMap { component in
            guard let equals = component.firstIndex(of: "=") else { return nil }
            let column = String(component[..<equals])
            let raw = String(component[component.index(after: equals)...])
            let value = raw.removingPercentEncoding ?? raw
            return (column, value == "__HIVE_DEFAULT_PARTITION__" || value.isEmpty ? nil : value)
        }
    }

    /// Reads the parts' requested columns (all columns when `columns` is
    /// nil), each part hashed and checked as any file is.
    static func load(_ file: InputFile, columns requested: [String]?) throws(EvalGateError) -> (Table, String) {
        let parts = try parts(file.resolvedPath, display: file.displayPath)
        var listing = ""
        var header: [String] = []
        var rows: [[String?]] = []
        var names = requested ?? []
        for (index, path) in parts.enumerated() {
            var part = InputFile(
                displayPath: "\(file.displayPath)/\(path)", resolvedPath: "\(file.resolvedPath)/\(path)",
                fromCommandLine: file.fromCommandLine)
            part.declaredFormat = .parquet
            let keys = partitions(path)
            let contents = try part.read(mapped: false)
            listing += "\(path)\t\(contents.sha256)\n"
            if index == 0 {
                // The first part's footer names the columns; it is read twice only when every column is wanted.
                let partHeader =
                    requested == nil
                    ? try ParquetReader.read(file: part.displayPath, bytes: contents.bytes, columns: []).header : []
                if requested == nil { names = partHeader + keys.map(\.column).filter { !partHeader.contains($0) } }
            }
            let stored = names.filter { name in !keys.contains { $0.column == name } }
            let table = try ParquetReader.read(file: part.displayPath, bytes: contents.bytes, columns: stored)
            if index == 0 {
                header = table.header + keys.map(\.column).filter { !table.header.contains($0) }
                try CSVReader.checkColumns(file: file.displayPath, header: header, requested: names)
            }
            for row in 0..<table.rowCount {
                rows.append(
                    names.map { name in
                        if let key = keys.first(where: { $0.column == name }) { return key.value }
                        return table.text(name, row: row)
                    })
            }
        }
        var output = RenderedColumns(count: names.count)
        for (row, values) in rows.enumerated() {
            for (column, value) in values.enumerated() {
                try output.append(value, column: column, file: file.displayPath, place: "row \(row + 1)")
            }
            output.endRow(line: Int32(clamping: row + 1))
        }
        let sha = SHA256.hash(data: Data(listing.utf8)).map { String(format: "%02x", $0) }.joined()
        return (output.table(file: file.displayPath, header: header, names: names, lineWord: "row"), sha)
    }
}
