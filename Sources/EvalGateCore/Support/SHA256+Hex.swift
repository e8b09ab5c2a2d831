import Crypto
import Foundation

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
