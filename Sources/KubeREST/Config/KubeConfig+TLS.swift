import NIOSSL

extension KubeConfig {
    /// The client TLS settings: the configured CA replaces the system roots (as client-go does),
    /// the client certificate is presented when set, and verification is off only when the
    /// kubeconfig asked for insecure-skip-tls-verify.
    public func makeTLSConfiguration() throws(KubeConfigError) -> TLSConfiguration {
        let fail = { (code: KubeConfigError.Code, field: String?, message: String) in
            KubeConfigError(code: code, message: message, file: source, field: field)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = certificateAuthorityPEM {
            tls.trustRoots = .certificates(try PEMCheck.certificates(ca, field: "certificate-authority", fail: fail))
        }
        if let certificate = clientCertificatePEM, let key = clientKeyPEM {
            tls.certificateChain = try PEMCheck.certificates(certificate, field: "client-certificate", fail: fail).map { .certificate($0) }
            tls.privateKey = .privateKey(try PEMCheck.privateKey(key, field: "client-key", fail: fail))
        }
        return tls
    }
}
