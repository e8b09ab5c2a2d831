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
    /// nil, as text), each part hashed and checked as any file is.
    static func load(
        _ file: InputFile, columns requested: [String]?, kinds: [ColumnKind]? = nil, jobs: Int = 1
    ) throws(EvalGateError) -> (Table, String) {
        let parts = try parts(file.resolvedPath, display: file.displayPath)
        var listing = ""
        var header: [String] = []
        var names = requested ?? []
        var columns: [ParquetColumn] = []
        var rows = 0
        for (index, path) in parts.enumerated() {
            var part = InputFile(
                displayPath: "\(file.displayPath)/\(path)", resolvedPath: "\(file.resolvedPath)/\(path)",
                fromCommandLine: file.fromCommandLine)
            part.declaredFormat = .parquet
            let keys = partitions(path)
            let contents = try part.read(mapped: false)
            listing += "\(path)\t\(contents.sha256)\n"
            if index == 0 {
                // The first part's footer names the columns.
                var none: [ParquetColumn] = []
                let partHeader = try ParquetReader.append(
                    file: part.displayPath, bytes: contents.bytes, columns: [], into: &none
                ).header
                header = partHeader + keys.map(\.column).filter { !partHeader.contains($0) }
                if requested == nil { names = header }
                try CSVReader.checkColumns(file: file.displayPath, header: header, requested: names)
                columns = (kinds ?? names.map { _ in .text }).map(ParquetColumn.init(kind:))
            }
            let stored = names.indices.filter { c in !keys.contains { $0.column == names[c] } }
            // Moved out, not copied: a copy would make every later part's
            // appends copy all the rows read so far.
            var filled: [ParquetColumn] = []
            for c in stored {
                filled.append(columns[c])
                columns[c] = ParquetColumn(kind: columns[c].kind)
            }
            let partRows = try ParquetReader.append(
                file: part.displayPath, bytes: contents.bytes, columns: stored.map { names[$0] }, into: &filled,
                jobs: jobs
            ).rows
            for (c, column) in zip(stored, filled) { columns[c] = column }
            let added = stored.first.map { columns[$0].rows - rows } ?? partRows
            for key in keys {
                guard let c = names.firstIndex(of: key.column) else { continue }
                do throws(ParquetValues.Corrupt) { try columns[c].appendConstant(key.value, count: added) } catch {
                    throw ParquetReader.failure(part.displayPath, "folder \(quote(key.column)): \(error.message)")
                }
            }
            rows += added
        }
        let sha = SHA256.hash(data: Data(listing.utf8)).map { String(format: "%02x", $0) }.joined()
        let table = ParquetReader.table(
            file: file.displayPath, header: header, names: names, columns: columns, rows: rows)
        return (table, sha)
    }
}
