import Foundation

/// Before a byte is parsed, the peak memory a run will need is estimated
/// from the files' sizes and the columns the gate reads, and compared with
/// what this process may use. A run that cannot fit stops with exit 3 and a
/// sentence naming both figures, rather than being killed half-way (the
/// kernel's OOM killer leaves no message at all). The model and its
/// calibration are in docs/reference.md, "Memory".
package enum MemoryBudget {
    // The constants are fitted to the six benchmark gates (strings, numeric
    // and realistic shapes, 1M and 10M rows, --jobs 2; docs/reference.md,
    // "Memory"), rounded so that no estimate is below its measured peak.

    /// The fixed cost of a run: the runtime, the libraries, the reports.
    static let baseBytes = 37 << 20
    /// Per golden row: the row keys, the joins, both models' scores and
    /// rankings, labels, weights and the slice-membership lists. The input
    /// text adds nothing at the tables' peak: the parser gives each chunk's
    /// pages back once it is parsed, and a prediction file's ids are freed
    /// once keyed.
    static let bytesPerRow = 44
    /// Below `FreedMemory.fromRows` the heap keeps what is freed (faster,
    /// and the run is small): more bytes a row at the peak.
    static let bytesPerRowKept = 90
    /// Per golden row and column the gate reads from the golden set (a
    /// typed value of 8 bytes or a category code of 4, and scratch).
    static let bytesPerRowAndColumn = 12
    /// Address space beyond the resident peak: each file's mapping (its
    /// whole size, though its pages are given back as it is parsed), the
    /// heap's slack, thread stacks and the runtime's mappings (fixed), and
    /// a malloc arena of 64 MiB reserved for each worker thread.
    static let addressFixedBytes = 90 << 20
    static let addressPerJobBytes = 64 << 20
    /// A gzip file is taken as this many times its size once inflated.
    static let gzipRatio = 4

    /// What the estimate was made of, for the message and the docs.
    package struct Estimate: Sendable, Equatable {
        package var rows: Int
        package var fileBytes: Int
        package var residentBytes: Int
        package var addressBytes: Int
    }

    /// One limit this process runs under.
    package struct Limit: Sendable, Equatable {
        package var bytes: Int
        /// "the cgroup's memory.max", "RLIMIT_AS", "MemAvailable".
        package var source: String
        /// Whether it counts address space (rlimits) rather than resident memory.
        package var countsAddressSpace: Bool
    }

    /// Estimates a run over `files` (regular files only; a pipe's size is
    /// unknown until it is read, so it adds nothing) reading
    /// `goldenColumns` columns of the golden set.
    package static func estimate(files: [(role: String, file: InputFile)], goldenColumns: Int, jobs: Int) -> Estimate {
        var rows = 0
        var fileBytes = 0
        for (role, file) in files {
            if let (size, count) = ParquetReader.sizeAndRows(file.resolvedPath) {
                // A Parquet file's footer says its rows; its bytes are read whole.
                fileBytes += size
                if role == "dataset" { rows = count }
                continue
            }
            guard let (size, perLine) = sample(file.resolvedPath) else { continue }
            let gzip = file.resolvedPath.lowercased().hasSuffix(".gz")
            let text = gzip ? size * gzipRatio : size
            fileBytes += text
            if role == "dataset", perLine > 0 { rows = Int(Double(text) / perLine) }
        }
        // Two peaks: every file's text read whole (a wide file with many
        // unread columns), or the tables, keys and rankings built from them.
        let reading = baseBytes + fileBytes
        let perRow = rows < FreedMemory.fromRows ? bytesPerRowKept : bytesPerRow
        let tables = baseBytes + rows * (perRow + bytesPerRowAndColumn * goldenColumns)
        let resident = max(reading, tables)
        let address = resident + fileBytes + addressFixedBytes + addressPerJobBytes * max(1, jobs)
        return Estimate(rows: rows, fileBytes: fileBytes, residentBytes: resident, addressBytes: address)
    }

    /// A regular file's size and mean bytes per line, from its first MiB.
    static func sample(_ path: String) -> (size: Int, bytesPerLine: Double)? {
        // stat first: opening a FIFO would take the writer's data away from
        // the read that follows.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = Int(info.st_size)
        if path.lowercased().hasSuffix(".gz") { return (size, 0) }
        var buffer = [UInt8](repeating: 0, count: min(size, 1 << 20))
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { return (size, 0) }
        var lines = 0
        buffer.withUnsafeBytes { bytes in
            var p = bytes.baseAddress!
            let end = bytes.baseAddress! + got
            while p < end, let hit = memchr(p, 0x0A, end - p) {
                lines += 1
                p = UnsafeRawPointer(hit) + 1
            }
        }
        return (size, Double(got) / Double(max(lines, 1)))
    }

    /// The limits that apply to this process: the cgroup's memory.max (v2)
    /// or memory.limit_in_bytes (v1), RLIMIT_AS, RLIMIT_DATA, and the
    /// machine's MemAvailable.
    package static func limits() -> [Limit] {
        var found: [Limit] = []
        if let cgroup = cgroupLimit() { found.append(cgroup) }
        for (resource, name) in [(RLIMIT_AS, "RLIMIT_AS (ulimit -v)"), (RLIMIT_DATA, "RLIMIT_DATA (ulimit -d)")] {
            var limit = rlimit()
            // RLIM_INFINITY is all ones.
            if getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur < UInt64(Int.max) {
                found.append(Limit(bytes: Int(limit.rlim_cur), source: name, countsAddressSpace: true))
            }
        }
        if let available = meminfo("MemAvailable") {
            found.append(
                Limit(
                    bytes: available, source: "the machine's available memory (MemAvailable)", countsAddressSpace: false
                ))
        }
        return found
    }

    /// Throws exit 3 when the estimate does not fit one of `limits`.
    package static func check(_ estimate: Estimate, limits: [Limit], contract: String) throws(EvalGateError) {
        for limit in limits {
            let needed = limit.countsAddressSpace ? estimate.addressBytes : estimate.residentBytes
            guard needed > limit.bytes else { continue }
            let what = limit.countsAddressSpace ? "of address space " : ""
            throw .data(
                file: contract,
                message:
                    """
                    this run needs about \(mebibytes(needed)) \(what)(\(estimate.rows) golden rows, \
                    \(mebibytes(estimate.fileBytes)) of input text) but \(limit.source) allows \
                    \(mebibytes(limit.bytes)); run it on a bigger runner or with a higher limit, or gate a \
                    smaller golden set (a random sample of its rows: every row is read, whatever the slices) (see \
                    docs/reference.md, \"Memory\")
                    """
            )
        }
    }

    static func mebibytes(_ bytes: Int) -> String {
        bytes >= 1 << 30
            ? String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) : "\((bytes + (1 << 20) - 1) >> 20) MiB"
    }

    private static func cgroupLimit() -> Limit? {
        // v2: "0::/path" in /proc/self/cgroup, the limit in that folder.
        if let membership = systemFile("/proc/self/cgroup") {
            for line in membership.split(separator: "\n") where line.hasPrefix("0::") {
                let path = String(line.dropFirst(3))
                if let text = systemFile("/sys/fs/cgroup\(path)/memory.max"),
                    let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    return Limit(bytes: bytes, source: "the cgroup's memory.max", countsAddressSpace: false)
                }
            }
        }
        // v1: a limit near Int64.max means none.
        if let text = systemFile("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
            let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < 1 << 50
        {
            return Limit(bytes: bytes, source: "the cgroup's memory.limit_in_bytes", countsAddressSpace: false)
        }
        return nil
    }

    /// A /proc or /sys file, which reports a size of 0: read to its end.
    static func systemFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func meminfo(_ key: String) -> Int? {
        guard let text = systemFile("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("\(key):") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }
}
