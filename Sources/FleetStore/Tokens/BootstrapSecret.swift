import Crypto
import Foundation

/// Bootstrap token secrets: 32 random bytes shown once as base64url, stored only as SHA-256.
///
/// A hash is enough (no salt or slow KDF) because the secret has 256 bits of entropy: nothing can
/// be guessed from a leaked hash.
enum BootstrapSecret {
    /// A fresh secret from the system's cryptographic random source.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes: the only form the database holds.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
