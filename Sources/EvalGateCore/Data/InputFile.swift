import Crypto
import Foundation

/// One input file as given: where it is, how the user wrote its path, its
/// sha256 (of the bytes on disk, before decompression) and its format.
package struct InputFile: Sendable {
    /// The path as written in the gate file or on the command line.
    package var displayPath: String
    /// The path used to open the file.
    package var resolvedPath: String
    /// For SQLite files: what to read.
    package var sqlite: SQLiteSource?

    package init(displayPath: String, resolvedPath: String, sqlite: SQLiteSource? = nil) {
        self.displayPath = displayPath
        self.resolvedPath = resolvedPath
        self.sqlite = sqlite
    }

    package enum Format: Sendable { case csv, tsv, jsonLines, sqlite }

    /// Format from the extension, looking through a trailing `.gz`.
    package func format() throws(EvalGateError) -> (Format, gzip: Bool) {
        var name = resolvedPath.lowercased()
        let gzip = name.hasSuffix(".gz")
        if gzip { name.removeLast(3) }
        if name.hasSuffix(".csv") { return (.csv, gzip) }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return (.tsv, gzip) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return (.jsonLines, gzip) }
        if !gzip, SQLiteReader.isSQLite(name) { return (.sqlite, false) }
        throw .data(file: displayPath, message: "unsupported file type; use .csv, .tsv, .jsonl or .ndjson (optionally .gz), or .sqlite, .sqlite3, .db")
    }

    /// Opens the file for reading; returns its descriptor and size.
    private func openForReading() throws(EvalGateError) -> (Int32, Int) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolvedPath, isDirectory: &isDirectory) else {
            throw .data(file: displayPath, message: "file not found; check the path (paths in a gate file are relative to the gate file's folder)")
        }
        if isDirectory.boolValue {
            throw .data(file: displayPath, message: "is a folder, not a data file; point the path at a file")
        }
        let fd = open(resolvedPath, O_RDONLY)
        guard fd >= 0 else { throw .data(file: displayPath, message: "cannot be read; check its permissions") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw .data(file: displayPath, message: "cannot be read; check its permissions")
        }
        return (fd, Int(info.st_size))
    }

    package func readBytes() throws(EvalGateError) -> [UInt8] {
        let (fd, size) = try openForReading()
        defer { close(fd) }
        // Straight into the array that the readers then parse in place.
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let got = read(fd, buffer.baseAddress! + done, size - done)
                if got <= 0 { failed = got < 0; break }
                done += got
            }
            count = done
        }
        if failed { throw .data(file: displayPath, message: "cannot be read (I/O error while reading); check the disk and that the file is not being written") }
        return bytes
    }

    /// Reads the file, keeps the requested columns and hashes the bytes on
    /// disk. A plain CSV or TSV file is mapped privately rather than copied:
    /// the hash and the parser read the page cache's pages directly, the
    /// in-place unescaping touches only private copies, every pass gives
    /// its pages back as it goes (so a large file is never resident whole),
    /// and the table keeps none of the mapping.
    package func loadHashed(columns: [String], kinds: [ColumnKind]?, jobs: Int, profile role: String) throws(EvalGateError) -> (Table, String) {
        var clock = StageClock()
        let (format, gzip) = try format()
        if !gzip, format == .csv || format == .tsv {
            let (fd, size) = try openForReading()
            defer { close(fd) }
            if size > 0, let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), address != MAP_FAILED {
                defer { munmap(address, size) }
                let buffer = UnsafeMutableBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
                clock.lap("\(role): map")
                // Hashed in windows, each given back to the kernel once hashed.
                var hasher = SHA256()
                for start in stride(from: 0, to: size, by: 1 << 23) {
                    let window = start..<min(size, start + (1 << 23))
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[window]))
                    CSVReader.release(UnsafeBufferPointer(buffer), window)
                }
                let sha = hex(hasher.finalize())
                clock.lap("\(role): sha256")
                let table = try CSVReader.read(
                    file: displayPath, mapped: buffer, delimiter: format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"),
                    columns: columns, kinds: kinds, jobs: jobs)
                clock.lap("\(role): parse")
                return (table, sha)
            }
        }
        let raw = try readBytes()
        clock.lap("\(role): read")
        let sha = sha256Hex(raw)
        clock.lap("\(role): sha256")
        let table = try load(columns: columns, kinds: kinds, raw: raw, jobs: jobs)
        clock.lap("\(role): parse")
        return (table, sha)
    }

    /// Reads the file and keeps the requested columns; CSV and TSV type the
    /// columns `kinds` names while parsing (the other formats type on use).
    package func load(columns: [String], kinds: [ColumnKind]? = nil, raw: consuming [UInt8], jobs: Int = 1) throws(EvalGateError) -> Table {
        let (format, gzip) = try format()
        let delimiter: UInt8?  // nil: JSON Lines
        switch format {
        case .sqlite:
            guard let sqlite else {
                throw .usage("\(displayPath) is a SQLite database, but the gate file names no 'table:' or 'query:' for this input; add one")
            }
            return try SQLiteReader.read(file: displayPath, path: resolvedPath, source: sqlite, columns: columns)
        case .jsonLines: delimiter = nil
        case .csv: delimiter = UInt8(ascii: ",")
        case .tsv: delimiter = UInt8(ascii: "\t")
        }
        var bytes = consume raw
        if gzip {
            do { bytes = try Gzip.inflate(bytes) } catch {
                throw .data(file: displayPath, message: "\(error.message); re-create the .gz file")
            }
        }
        guard let delimiter else { return try JSONLinesReader.read(file: displayPath, bytes: bytes, columns: columns) }
        return try CSVReader.read(file: displayPath, bytes: bytes, delimiter: delimiter, columns: columns, kinds: kinds, jobs: jobs)
    }
}

package func sha256Hex(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes(sha256Hex)
}

package func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
    hex(SHA256.hash(data: bytes))
}

/// A digest as lowercase hexadecimal, as `sha256sum` prints it.
func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
}
