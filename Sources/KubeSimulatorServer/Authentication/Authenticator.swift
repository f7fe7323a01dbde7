import Foundation
import NIOCore
import NIOSSL
import X509

/// Decides who a request comes from, the way kube-apiserver's token and x509 authenticators do:
/// a known bearer token, else a verified client certificate (CN is the user, O the groups).
struct Authenticator: Sendable {
    let tokens: [String: UserInfo]

    /// The user, or nil when the request carries no credential the server accepts (401).
    func authenticate(authorization: String?, channel: (any Channel)?) async -> UserInfo? {
        if let header = authorization {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return tokens[String(parts[1]).trimmingCharacters(in: .whitespaces)]
        }
        guard let channel, let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        return Self.user(from: certificate)
    }

    /// CN and O of a client certificate that the TLS layer has already verified against the client CA.
    static func user(from certificate: NIOSSLCertificate) -> UserInfo? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        var name: String?
        var groups: [String] = []
        for relativeName in parsed.subject {
            for attribute in relativeName {
                guard let value = String(attribute.value) else { continue }
                if attribute.type == .RDNAttributeType.commonName { name = value }
                if attribute.type == .RDNAttributeType.organizationName { groups.append(value) }
            }
        }
        return name.map { UserInfo(name: $0, groups: groups) }
    }
}
