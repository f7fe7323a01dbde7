import Foundation
import NIOSSL

/// Parses PEM material up front, so a bad certificate or key in a kubeconfig is reported when it
/// is loaded, naming the field, instead of as a failed handshake later.
enum PEMCheck {
    @discardableResult
    static func certificates(
        _ data: Data, field: String, fail: (KubeConfigError.Code, String?, String) -> KubeConfigError
    ) throws(KubeConfigError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(Array(data))
        } catch {
            throw fail(.invalidField, field, "is not a PEM certificate (\(error))")
        }
        guard !certificates.isEmpty else { throw fail(.invalidField, field, "contains no PEM certificate") }
        return certificates
    }

    @discardableResult
    static func privateKey(_ data: Data, field: String, fail: (KubeConfigError.Code, String?, String) -> KubeConfigError) throws(KubeConfigError)
        -> NIOSSLPrivateKey
    {
        do {
            return try NIOSSLPrivateKey(bytes: Array(data), format: .pem)
        } catch {
            throw fail(.invalidField, field, "is not a PEM private key (\(error))")
        }
    }
}
