import FleetPKI
import Foundation
import KubeClient
import RegistryModel

/// The serving certificate of image-api-server, as Kubernetes expects an aggregated API server
/// to be wired: the certificate and key in a `kubernetes.io/tls` Secret mounted into the pods,
/// and the CA that signed it in the APIService's `caBundle`, so the aggregator verifies the
/// backend instead of skipping TLS verification.
///
/// In a real cluster a service CA or cert-manager would issue it; here the operator makes a
/// self-signed CA (whose key it discards: a new certificate means a new CA) and a server
/// certificate for the Service's DNS names whenever the Secret is missing or incomplete.
enum ImageAPIServingCertificate {
    static let secretName = "image-api-server-tls"
    static let certificateKey = "tls.crt"
    static let privateKeyKey = "tls.key"
    static let caKey = "ca.crt"
    /// Where the pods see the Secret.
    static let mountPath = "/etc/image-api-server/tls"
    /// Two years; deleting the Secret makes a new one.
    static let lifetime: TimeInterval = 2 * 365 * 86_400
    /// Back-dating for clock skew between the operator and the API server.
    static let clockSkewAllowance: TimeInterval = 300
    static let secretKey = ObjectKey(.secrets, namespace: RegistryNames.namespace, name: secretName)

    /// The names the aggregator uses to reach the Service.
    static var dnsNames: [String] {
        let service = "\(RegistryNames.apiServerService).\(RegistryNames.namespace)"
        return ["\(service).svc", "\(service).svc.cluster.local", service]
    }

    /// Secret data (base64 values) for a new CA and serving certificate.
    static func generate(now: Date) throws(PKIError) -> [String: String] {
        let start = now.addingTimeInterval(-clockSkewAllowance)
        let authority = try CertificateAuthority.create(commonName: "image-api-server CA", now: start, lifetime: lifetime + 2 * clockSkewAllowance)
        let key = FleetPrivateKey()
        let issued = try authority.issueServerCertificate(
            names: try ServerNames(parsing: dnsNames), publicKey: key.publicKey, now: start, lifetime: lifetime + clockSkewAllowance)
        return [
            certificateKey: Data(issued.pem.utf8).base64EncodedString(),
            privateKeyKey: Data(key.pem.utf8).base64EncodedString(),
            caKey: Data(authority.certificatePEM.utf8).base64EncodedString(),
        ]
    }

    /// The CA PEM of a Secret holding all three entries, nil when any is missing.
    static func caPEM(of secret: KubeObject) -> String? {
        guard let data = secret.fields["data"]?.objectValue else { return nil }
        for required in [certificateKey, privateKeyKey] where (data[required]?.stringValue ?? "").isEmpty { return nil }
        guard let encoded = data[caKey]?.stringValue, let decoded = Data(base64Encoded: encoded), !decoded.isEmpty else { return nil }
        return String(decoding: decoded, as: UTF8.self)
    }
}
