import Crypto
import Foundation

/// One input file as given: where it is, how the user wrote its path, its
/// sha256 (of the bytes read, before decompression) and its format.
package struct InputFile: Sendable {
    /// The path as written in the gate file or on the command line.
    package var displayPath: String
    /// The path used to open the file.
    package var resolvedPath: String
    /// For SQLite files: what to read.
    package var sqlite: SQLiteSource?
    /// `format:` from the gate file, for a name that does not say (a pipe).
    package var declaredFormat: Format?
    /// `delimiter:` from the gate file, for a CSV-like file.
    package var declaredDelimiter: UInt8?
    /// `dvc:` from the gate file: the md5 the bytes must have.
    package var dvc: DVCPin?
    /// Given on the command line (relative to the working directory), not
    /// in the gate file (relative to its folder): only changes the advice.
    package var fromCommandLine: Bool
    /// For a path from the gate file: as written there, and the gate file's folder.
    package var written: (path: String, folder: String)?

    package init(displayPath: String, resolvedPath: String, sqlite: SQLiteSource? = nil, fromCommandLine: Bool = false)
    {
        self.displayPath = displayPath
        self.resolvedPath = resolvedPath
        self.sqlite = sqlite
        self.fromCommandLine = fromCommandLine
    }

    package enum Format: String, Sendable, CaseIterable {
        case csv, tsv
        case jsonLines = "jsonl"
        case sqlite
        case parquet
    }

    /// Format from `format:`, else from the extension (looking through a
    /// trailing `.gz`); nil when the name has no extension at all (a pipe
    /// such as /dev/fd/63), so that the content decides.
    package func format() throws(EvalGateError) -> (Format, gzip: Bool)? {
        var name = resolvedPath.lowercased()
        let gzip = name.hasSuffix(".gz")
        if gzip { name.removeLast(3) }
        if let declaredFormat { return (declaredFormat, gzip) }
        if name.hasSuffix(".csv") { return (.csv, gzip) }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return (.tsv, gzip) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return (.jsonLines, gzip) }
        if !gzip, SQLiteReader.isSQLite(name) { return (.sqlite, false) }
        if !gzip, ParquetReader.isParquet(name) { return (.parquet, false) }
        if !gzip, !(name as NSString).lastPathComponent.contains(".") { return nil }
        throw .data(
            file: displayPath,
            message:
                """
                unsupported file type; use .csv, .tsv, .jsonl or .ndjson (optionally .gz), .parquet or .pq, or \
                .sqlite, .sqlite3, .db, or say which with format: csv|tsv|jsonl|parquet|sqlite
                """
        )
    }

    /// The format of bytes whose name says nothing: gzip by its magic
    /// number, SQLite by its header, JSON Lines by a leading `{`, TSV by a
    /// first line with tabs and no commas, CSV otherwise.
    static func sniff(_ bytes: UnsafeRawBufferPointer) -> (Format, gzip: Bool) {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return (.csv, true) }
        if bytes.starts(with: Array("SQLite format 3\0".utf8)) { return (.sqlite, false) }
        if bytes.starts(with: ParquetReader.magic) { return (.parquet, false) }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count,
            bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D
        {
            start += 1
        }
        if start < bytes.count, bytes[start] == UInt8(ascii: "{") { return (.jsonLines, false) }
        let firstLine = bytes[start...].prefix { $0 != 0x0A }
        if firstLine.contains(0x09), !firstLine.contains(UInt8(ascii: ",")) { return (.tsv, false) }
        return (.csv, false)
    }

    /// The field separator: `delimiter:`, else the format's own.
    private func delimiter(_ format: Format) -> UInt8 {
        declaredDelimiter ?? (format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ","))
    }

    /// What the path is, when it is not a file evalgate can read.
    private func refuse(_ kind: mode_t) -> EvalGateError? {
        switch kind & S_IFMT {
        case S_IFDIR:
            EvalGateError(
                .data, at: .init(file: displayPath), "is a folder, not a data file", fix: "point the path at a file")
        case S_IFBLK:
            EvalGateError(
                .data, at: .init(file: displayPath), "is a block device, not a data file",
                fix: "point the path at a file or a pipe")
        default: nil
        }
    }

    private var notFoundAdvice: String {
        if fromCommandLine {
            return """
                file not found; check the path (a path on the command line is relative to the working directory, \
                not to the gate file)
                """
        }
        guard let written, !written.path.hasPrefix("/") else { return "file not found; check the path" }
        let folder = written.folder.isEmpty ? "." : written.folder
        return """
            file not found; the gate file says \(quote(written.path)), which is relative to the gate file's folder \
            \(quote(folder)), so evalgate looked for \(quote(displayPath)); check the path
            """
    }

    /// The bytes read, their sha256 and how they were held.
    struct Contents: ~Copyable {
        /// For a regular file: an anonymous private mapping the size of the
        /// file, so that the CSV parser can give pages back as it goes.
        var mapping: UnsafeMutableBufferPointer<UInt8>?
        /// For a pipe, or a file that is not a plain CSV/TSV.
        var bytes: [UInt8]
        var sha256: String
        /// What a pipe or a nameless file turned out to be.
        var sniffed: (Format, gzip: Bool)?
        /// A regular file's status when it was read, to tell later whether
        /// it changed (SQLite opens the file again by its path).
        var status: stat?

        deinit {
            if let mapping, mapping.count > 0 { munmap(mapping.baseAddress, mapping.count) }
        }
    }

    /// Reads the whole file once, hashing the very bytes that will be
    /// parsed: a file that shrinks, grows or is rewritten while it is read
    /// is a data error, never a SIGBUS or a hash of other bytes. A pipe
    /// (FIFO, /dev/stdin, /dev/fd/N) is read to its end.
    func read(mapped: Bool) throws(EvalGateError) -> Contents {
        let fd = open(resolvedPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .data(file: displayPath, message: notFoundAdvice) }
            throw EvalGateError(
                .data, at: .init(file: displayPath), "cannot be opened (\(String(cString: strerror(code))))",
                fix: "check its permissions")
        }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else {
            throw EvalGateError(.data, at: .init(file: displayPath), "cannot be read", fix: "check its permissions")
        }
        if let refusal = refuse(before.st_mode) { throw refusal }
        guard before.st_mode & S_IFMT == S_IFREG else { return try readStream(fd) }
        return try readRegular(fd, status: before, mapped: mapped)
    }

    /// A regular file of `status.st_size` bytes, into an anonymous mapping
    /// (`mapped`, for the CSV parser to give back page by page) or an array,
    /// then checked for having grown or been written to meanwhile.
    private func readRegular(_ fd: Int32, status before: stat, mapped: Bool) throws(EvalGateError) -> Contents {
        let size = Int(before.st_size)
        var hasher = FileHasher(md5: dvc != nil)
        var contents = Contents(mapping: nil, bytes: [], sha256: "")
        func fill(_ base: UnsafeMutablePointer<UInt8>) throws(EvalGateError) {
            try readAll(fd, into: base, size: size, hasher: &hasher)
        }
        if mapped, size > 0 {
            contents.mapping = try anonymousMemory(size)
            try fill(contents.mapping!.baseAddress!)
        } else {
            var failure: EvalGateError?
            contents.bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                do throws(EvalGateError) {
                    if size > 0 { try fill(buffer.baseAddress!) }
                    count = size
                } catch {
                    failure = error
                    count = 0
                }
            }
            if let failure { throw failure }
        }
        // One byte more means the file grew; a new size or time means it was
        // written to while it was read.
        var extra: UInt8 = 0
        if systemRead(fd, &extra, 1) > 0 { throw changed("it grew past \(size) bytes") }
        var after = stat()
        if fstat(fd, &after) == 0,
            after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
                || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec
        {
            throw changed("it was written to")
        }
        contents.sha256 = hex(hasher.sha256.finalize())
        if let dvc, let md5 = hasher.md5Hex { try dvc.verify(md5, file: displayPath) }
        contents.status = after
        return contents
    }

    /// Reads exactly `size` bytes, hashing each window while it is still in
    /// the L2 cache; a file that ends early has shrunk.
    private func readAll(
        _ fd: Int32, into base: UnsafeMutablePointer<UInt8>, size: Int, hasher: inout FileHasher
    ) throws(EvalGateError) {
        let window = 1 << 18
        var done = 0
        while done < size {
            let got = systemRead(fd, base + done, min(window, size - done))
            if got < 0, errno == EINTR { continue }
            if got < 0 { throw readFailure(errno) }
            if got == 0 { throw changed("it shrank from \(size) to \(done) bytes") }
            hasher.update(UnsafeRawBufferPointer(start: base + done, count: got))
            done += got
        }
    }

    /// Private memory for a file's bytes, populated in one call.
    private func anonymousMemory(_ size: Int) throws(EvalGateError) -> UnsafeMutableBufferPointer<UInt8> {
        guard
            let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
            address != MAP_FAILED
        else {
            throw .data(
                file: displayPath,
                message:
                    """
                    needs \(size) bytes of memory to be read and the system refused them; see \
                    docs/reference.md, \"Memory\"
                    """
            )
        }
        return UnsafeMutableBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// A pipe, a socket or a character device: read to the end.
    private func readStream(_ fd: Int32) throws(EvalGateError) -> Contents {
        if isatty(fd) == 1 {
            throw EvalGateError(
                .data, at: .init(file: displayPath), "is a terminal, not data",
                fix: "pipe the file in (< file.csv) or give its path")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if got < 0, errno == EINTR { continue }
            if got < 0 { throw readFailure(errno) }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        var hasher = FileHasher(md5: dvc != nil)
        bytes.withUnsafeBytes { hasher.update($0) }
        if let dvc, let md5 = hasher.md5Hex { try dvc.verify(md5, file: displayPath) }
        let sha = hex(hasher.sha256.finalize())
        let sniffed = bytes.withUnsafeBytes { Self.sniff($0) }
        return Contents(mapping: nil, bytes: bytes, sha256: sha, sniffed: sniffed)
    }

    /// A read(2) that failed, for a file or a pipe alike.
    private func readFailure(_ code: Int32) -> EvalGateError {
        EvalGateError(
            .data, at: .init(file: displayPath), "cannot be read (\(String(cString: strerror(code))))",
            fix: "check the disk, or the command that writes the pipe, and run again")
    }

    private func changed(_ how: String) -> EvalGateError {
        .data(
            file: displayPath,
            message:
                """
                changed while evalgate was reading it (\(how)); wait until whatever writes it has finished, or \
                copy it first, and run again
                """
        )
    }

    /// Reads the file, keeps the requested columns and hashes the bytes
    /// read. A plain CSV or TSV file is read into an anonymous mapping that
    /// the parser gives back page by page as it goes, so a large file is
    /// never resident twice, and the table keeps none of it.
    package func loadHashed(columns: [String], kinds: [ColumnKind]?, jobs: Int, profile role: String)
        throws(EvalGateError) -> (Table, String)
    {
        var clock = StageClock()
        if ParquetDataset.isFolder(resolvedPath), declaredFormat == nil || declaredFormat == .parquet {
            let (table, sha) = try ParquetDataset.load(self, columns: columns, kinds: kinds, jobs: jobs)
            clock.lap("\(role): read the Parquet parts")
            return (table, sha)
        }
        let named = try format()
        if case (let format, let gzip)? = named, !gzip, format == .sqlite {
            let contents = try read(mapped: false)
            clock.lap("\(role): read and sha256")
            let table = try SQLiteReader.read(
                file: displayPath, path: resolvedPath, source: try sqliteSource(), columns: columns)
            // SQLite read the file again by its path: the hash must be of the same bytes.
            var now = stat()
            if let then = contents.status,
                stat(resolvedPath, &now) != 0 || now.st_size != then.st_size || now.st_ino != then.st_ino
                    || now.st_mtim.tv_sec != then.st_mtim.tv_sec || now.st_mtim.tv_nsec != then.st_mtim.tv_nsec
            {
                throw changed("it was replaced or written to")
            }
            return (table, contents.sha256)
        }
        let plainText = named.map { !$0.gzip && ($0.0 == .csv || $0.0 == .tsv) } ?? false
        var contents = try read(mapped: plainText)
        clock.lap("\(role): read and sha256")
        let sha = contents.sha256
        if let mapping = contents.mapping, case (let format, _)? = named {
            let table = try CSVReader.read(
                file: displayPath, mapped: mapping, delimiter: delimiter(format), columns: columns, kinds: kinds,
                jobs: jobs)
            clock.lap("\(role): parse")
            return (table, sha)
        }
        let (format, gzip) = named ?? contents.sniffed ?? contents.bytes.withUnsafeBytes { Self.sniff($0) }
        let bytes = contents.bytes
        contents.bytes = []
        let table = try parse(bytes, format: format, gzip: gzip, columns: columns, kinds: kinds, jobs: jobs)
        clock.lap("\(role): parse")
        return (table, sha)
    }

    private func sqliteSource() throws(EvalGateError) -> SQLiteSource {
        guard let sqlite else {
            throw EvalGateError(
                .gateFile, at: .init(file: displayPath),
                "the gate file names no 'table:' or 'query:' to read from this SQLite database",
                fix: "add one, e.g. table: predictions"
            )
        }
        return sqlite
    }

    /// Parses bytes of a known format; gzip is inflated first, and a
    /// nameless gzip stream's content then decides its format.
    private func parse(
        _ raw: consuming [UInt8], format: Format, gzip: Bool, columns: [String], kinds: [ColumnKind]?, jobs: Int
    ) throws(EvalGateError) -> Table {
        var bytes = raw
        var format = format
        if gzip {
            do { bytes = try Gzip.inflate(bytes) } catch {
                throw EvalGateError(
                    .data, at: .init(file: displayPath), "\(error.message)", fix: "re-create the .gz file")
            }
            if declaredFormat == nil, self.nameSaysNothing { format = bytes.withUnsafeBytes { Self.sniff($0) }.0 }
        }
        switch format {
        case .sqlite:
            throw .data(
                file: displayPath,
                message:
                    """
                    holds a SQLite database, which SQLite reads only from a regular file, not a pipe or a .gz; \
                    write it to a .sqlite file and give that path
                    """
            )
        case .jsonLines:
            return try JSONLinesReader.read(file: displayPath, bytes: bytes, columns: columns)
        case .parquet:
            return try ParquetReader.read(file: displayPath, bytes: bytes, columns: columns, kinds: kinds, jobs: jobs)
        case .csv, .tsv:
            return try CSVReader.read(
                file: displayPath, bytes: bytes, delimiter: delimiter(format), columns: columns, kinds: kinds,
                jobs: jobs)
        }
    }

    private var nameSaysNothing: Bool {
        var name = (resolvedPath as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return !name.contains(".")
    }

    /// Reads the file once and keeps every column, each name once (for
    /// `init`, which needs no hash; a pipe can be read only once).
    package func loadEveryColumn() throws(EvalGateError) -> Table {
        if ParquetDataset.isFolder(resolvedPath) { return try ParquetDataset.load(self, columns: nil).0 }
        let contents = try read(mapped: false)
        let named = try format()
        let (format, gzip) = named ?? contents.sniffed ?? contents.bytes.withUnsafeBytes { Self.sniff($0) }
        let header = try parse(contents.bytes, format: format, gzip: gzip, columns: [], kinds: nil, jobs: 1).header
        var columns: [String] = []
        for name in header where !columns.contains(name) { columns.append(name) }
        return try parse(contents.bytes, format: format, gzip: gzip, columns: columns, kinds: nil, jobs: 1)
    }
}

/// read(2), named apart from `InputFile.read(mapped:)`.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    Glibc.read(fd, buffer, count)
}
