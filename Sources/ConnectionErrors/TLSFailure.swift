import NIOSSL

/// Why a TLS handshake failed, in words, from NIOSSL's errors and the reason names BoringSSL puts on its error
/// stack (the stack's numeric codes are not public; its reason names are stable across BoringSSL releases).
enum TLSFailure {
    /// BoringSSL reason names and what they mean to someone configuring the fleet, first match wins.
    static let reasons: [(name: String, meaning: String)] = [
        (
            "CERTIFICATE_VERIFY_FAILED",
            "the server's certificate is not signed by the configured CA (or is outside its validity period)"
        ),
        ("WRONG_VERSION_NUMBER", "the server does not speak TLS on this port (plain HTTP?)"),
        ("TLSV1_ALERT_UNKNOWN_CA", "the server does not trust the CA that signed this client's certificate"),
        ("SSLV3_ALERT_CERTIFICATE_EXPIRED", "the server says this client's certificate has expired"),
        ("TLSV1_ALERT_CERTIFICATE_REVOKED", "the server says this client's certificate is revoked"),
        ("TLSV1_ALERT_CERTIFICATE_REQUIRED", "the server requires a client certificate and none was sent"),
        ("SSLV3_ALERT_BAD_CERTIFICATE", "the server refused this client's certificate"),
        ("SSLV3_ALERT_CERTIFICATE_UNKNOWN", "the server refused this client's certificate"),
        ("TLSV1_ALERT_PROTOCOL_VERSION", "the client and the server have no TLS version in common"),
        ("UNSUPPORTED_PROTOCOL", "the client and the server have no TLS version in common"),
        ("NO_SHARED_CIPHER", "the client and the server have no cipher suite in common"),
        ("SSLV3_ALERT_HANDSHAKE_FAILURE", "the server refused the handshake (no common cipher, or a client certificate it rejects)"),
    ]

    /// The cause, or nil when `error` is not a TLS failure.
    static func cause(_ error: any Error, host: String) -> String? {
        switch error {
        case let extra as NIOSSLExtraError where extra == .failedToValidateHostname:
            return "the server's certificate does not name \(host)"
        case let ssl as NIOSSLError:
            switch ssl {
            case .handshakeFailed(let boring): return cause(boring)
            case .uncleanShutdown: return "the server closed the connection without finishing TLS (it may have refused this client's certificate)"
            default: return "\(ssl)"
            }
        case let boring as BoringSSLError:
            return cause(boring)
        default:
            return nil
        }
    }

    /// The meaning of a BoringSSL error: the first known reason on its stack, else the reason names themselves.
    static func cause(_ error: BoringSSLError) -> String {
        let stack: [BoringSSLInternalError]
        switch error {
        case .sslError(let errors), .unknownError(let errors), .invalidSNIName(let errors), .failedToSetALPN(let errors): stack = errors
        case .zeroReturn, .syscallError: return "the server closed the connection during the handshake"
        default: return "\(error)"
        }
        if stack.contains(.eofDuringHandshake) { return "the server closed the connection during the handshake" }
        let text = stack.map(\.description).joined(separator: " ")
        if let known = reasons.first(where: { text.contains($0.name) }) { return known.meaning }
        let names = stack.map { reasonName($0.description) }.filter { !$0.isEmpty }
        return names.isEmpty ? "\(error)" : names.joined(separator: ", ")
    }

    /// `certificate verify failed` from `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at file:line`.
    static func reasonName(_ description: String) -> String {
        let beforeLocation = description.components(separatedBy: " at ").first ?? description
        guard let name = beforeLocation.split(separator: ":").last else { return "" }
        return name.replacingOccurrences(of: "_", with: " ").lowercased().trimmingCharacters(in: .whitespaces)
    }
}
