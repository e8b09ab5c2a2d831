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
        FileHandle.standardError.write(Data("evalgate profile: \(stage) \(String(format: "%.1f", ms)) ms\n".utf8))
        last = now
    }
}
