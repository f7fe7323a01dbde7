import X509

extension Certificate.SerialNumber {
    /// A fresh random serial: 16 bytes from the system CSPRNG with the top bit cleared (positive) and the next
    /// bit set (no leading zero byte), so every serial has 126 random bits and the same 32-digit hex form.
    static func randomPositive() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x3F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// Lowercase hex of the serial's big-endian bytes: the form the hub stores and revokes by.
    var lowercaseHex: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
