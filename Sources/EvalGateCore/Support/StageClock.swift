import Foundation

/// Stage timings on stderr when `EVALGATE_PROFILE=1`, for finding where a
/// run spends its time. Never written to a report (reports hold no times).
package struct StageClock {
    private let enabled = ProcessInfo.processInfo.environment["EVALGATE_PROFILE"] == "1"
    private var last = DispatchTime.now()

    package init() {}

    package mutating func lap(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let ms = Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6
        // A stage may name a file, whose name came from the gate file.
        Console.write(
            ["evalgate profile: \(stage) \(String(format: "%.1f", ms)) ms, \(Self.residentMiB())"], to: .error)
        last = now
    }

    /// The process's resident memory now and at its peak so far (Linux:
    /// VmRSS and VmHWM of /proc/self/status, which reports a size of 0, so
    /// it is read with read(2)).
    private static func residentMiB() -> String {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return "?" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return "?" }
        var found: [String: Int] = [:]
        for line in String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" })
            if parts.count >= 2, parts[0] == "VmRSS" || parts[0] == "VmHWM" || parts[0] == "VmPeak",
                let kB = Int(parts[1])
            {
                found[String(parts[0])] = kB >> 10
            }
        }
        return
            """
            \(found["VmRSS"].map(String.init) ?? "?") MiB resident (peak \
            \(found["VmHWM"].map(String.init) ?? "?"), address space peak \
            \(found["VmPeak"].map(String.init) ?? "?"))
            """
    }
}
