import Foundation
import GRDB

/// Who a certificate identifies.
public enum CertificateRole: String, Hashable, Sendable, CaseIterable {
    /// An agent: the subject is its cluster's name.
    case agent
    /// An administrator: the subject is the admin's name.
    case admin
}

/// A certificate the hub issued, current or past.
public struct IssuedCertificate: Hashable, Sendable {
    /// The serial the hub checks on every request.
    public var serial: String
    /// Agent or admin.
    public var role: CertificateRole
    /// The cluster name (agents) or admin name (admins).
    public var subject: String
    /// When it was recorded.
    public var issuedAt: Date
    /// The end of its validity.
    public var notAfter: Date
    /// When it was revoked; nil while valid.
    public var revokedAt: Date?

    /// Decodes a row of certificates LEFT JOIN revoked_serials.
    static func record(_ row: Row) -> IssuedCertificate {
        IssuedCertificate(
            serial: row["serial"], role: CertificateRole(rawValue: row["role"]) ?? .agent, subject: row["subject"],
            issuedAt: row["issued_at"], notAfter: row["not_after"], revokedAt: row["revoked_at"])
    }
}
