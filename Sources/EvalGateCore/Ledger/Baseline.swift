import Crypto
import Foundation

/// Which recorded run stands in for the champion (`--baseline`).
package enum BaselineSelector: Sendable, Equatable {
    case lastPass
    case run(Int)

    package init?(_ text: String) {
        if text == "last-pass" {
            self = .lastPass
        } else if let id = Int(text), id > 0 {
            self = .run(id)
        } else {
            return nil
        }
    }
}

/// A recorded run's candidate values: slice -> metric -> value (nil: undefined).
package struct Baseline: Sendable, Equatable {
    package var run: Int
    package var datasetSha256: String
    package var values: [String: [String: Double?]]
}
