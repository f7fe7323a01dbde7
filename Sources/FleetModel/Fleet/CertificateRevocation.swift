import Foundation
import RegistryModel

/// Body of `POST /v1/certificates/revoke`: a certificate the hub must refuse from now on, such as a departed
/// admin's (admin certificates are issued offline by `regfleet pki issue-admin`, so only their serial names them).
public struct CertificateRevocationRequest: Codable, Hashable, Sendable {
    /// The serial as lowercase hex, as `regfleet pki` prints it.
    public var serial: String
    public var reason: String?
    public init(serial: String, reason: String? = nil) {
        self.serial = serial
        self.reason = reason
    }

    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        let hex = Set("0123456789abcdef")
        if serial.isEmpty || serial.count > 64 || !serial.allSatisfy(hex.contains) {
            collector.add("serial", "must be 1 to 64 lowercase hex digits, got \"\(serial)\"")
        }
        if let reason, reason.count > 1024 { collector.add("reason", "must be at most 1024 characters, got \(reason.count)") }
        return collector.errors
    }
}

/// The answer: whether the serial is newly revoked (false: it already was).
public struct CertificateRevocation: Codable, Hashable, Sendable {
    public var serial: String
    public var newlyRevoked: Bool
    public init(serial: String, newlyRevoked: Bool) {
        self.serial = serial
        self.newlyRevoked = newlyRevoked
    }
}
