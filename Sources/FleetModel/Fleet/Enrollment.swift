import Foundation
import RegistryModel

/// Body of `POST /v1/enroll`: a bootstrap token and a CSR for the agent's own key.
public struct EnrollRequest: Codable, Hashable, Sendable {
    public var cluster: String
    public var token: String
    /// PEM-encoded PKCS#10 request; its key never leaves the agent.
    public var csr: String
    public init(cluster: String, token: String, csr: String) {
        self.cluster = cluster
        self.token = token
        self.csr = csr
    }
}

/// The certificate the hub issued, for enrollment and renewal.
public struct CertificateResponse: Codable, Hashable, Sendable {
    public var cluster: String
    /// PEM of the issued client certificate.
    public var certificate: String
    /// PEM of the fleet CA, which the agent trusts for the hub's server certificate.
    public var caCertificate: String
    public var serial: String
    public var notAfter: Date
    public init(cluster: String, certificate: String, caCertificate: String, serial: String, notAfter: Date) {
        self.cluster = cluster
        self.certificate = certificate
        self.caCertificate = caCertificate
        self.serial = serial
        self.notAfter = notAfter
    }
}

/// Body of `POST /v1/agent/renew`.
public struct RenewRequest: Codable, Hashable, Sendable {
    public var csr: String
    public init(csr: String) { self.csr = csr }
}

/// Body of `POST /v1/tokens`.
public struct TokenRequest: Codable, Hashable, Sendable {
    public var cluster: String
    /// Lifetime; the hub's default (1 h) when absent.
    public var ttlSeconds: Int?
    /// Labels the cluster gets when it enrolls.
    public var labels: [String: String]?
    public init(cluster: String, ttlSeconds: Int? = nil, labels: [String: String]? = nil) {
        self.cluster = cluster
        self.ttlSeconds = ttlSeconds
        self.labels = labels
    }
}

/// A bootstrap token; the secret is shown once and stored only hashed.
/// A bootstrap token as `GET /v1/tokens` lists it: never its secret.
public struct TokenSummary: Codable, Hashable, Sendable {
    /// The first 12 hex digits of the secret's hash; `DELETE /v1/tokens/{id}` revokes by it.
    public var id: String
    public var cluster: String
    public var labels: [String: String]
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    /// Unused, Used or Expired.
    public var state: String

    public init(id: String, cluster: String, labels: [String: String], createdBy: String, createdAt: Date, expiresAt: Date, usedAt: Date?, state: String) {
        self.id = id
        self.cluster = cluster
        self.labels = labels
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.state = state
    }
}

/// `GET /v1/tokens`.
public struct TokenList: Codable, Hashable, Sendable {
    public var tokens: [TokenSummary]
    public init(tokens: [TokenSummary]) { self.tokens = tokens }
}

public struct TokenResponse: Codable, Hashable, Sendable {
    public var cluster: String
    public var token: String
    public var expiresAt: Date
    public init(cluster: String, token: String, expiresAt: Date) {
        self.cluster = cluster
        self.token = token
        self.expiresAt = expiresAt
    }
}
