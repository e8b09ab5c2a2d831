import CResampleKernel
import Foundation

/// Which compiled copy of the bootstrap's inner loop runs
/// (`CResampleKernel`): the AVX2 one when the CPU has AVX2, the baseline
/// x86-64 one otherwise, so that the release binary runs on any x86-64
/// machine. Both perform the same IEEE operations on each lane, so a gate's
/// intervals and p-values are bit-identical on either;
/// `EVALGATE_SIMD=baseline` forces the baseline path (to compare them, or
/// to time the difference).
package enum ResampleKernel: String, Sendable, CaseIterable {
    case avx2
    case baseline

    /// Resamples scored in one pass over a ranking.
    static var lanes: Int { Int(EG_LANES) }

    /// The path this machine takes.
    package static let best: ResampleKernel = {
        if ProcessInfo.processInfo.environment["EVALGATE_SIMD"] == "baseline" { return .baseline }
        return eg_cpu_has_avx2() ? .avx2 : .baseline
    }()

    /// Whether this CPU can run the path at all.
    package var isSupported: Bool { self == .baseline || eg_cpu_has_avx2() }

    func add(_ pass: inout eg_resample_pass) {
        switch self {
        case .avx2: eg_resample_add_avx2(&pass)
        case .baseline: eg_resample_add_baseline(&pass)
        }
    }
}
