import X509

/// The DNS names and IP addresses a server's certificate says it is valid for, for an error that tells
/// someone which host name to use (`the certificate names hub.example.com, 10.0.0.5`).
public enum PresentedNames {
    /// The names of a DER-encoded certificate, DNS names first, in its order; empty when it has none or
    /// does not parse.
    public static func of(derBytes: [UInt8]) -> [String] {
        guard let certificate = try? Certificate(derEncoded: derBytes), let names = try? certificate.extensions.subjectAlternativeNames else {
            return []
        }
        var dns: [String] = []
        var addresses: [String] = []
        for name in names {
            switch name {
            case .dnsName(let value): dns.append(value)
            case .ipAddress(let bytes): if let address = IPAddressLiteral(bytes: Array(bytes.bytes)) { addresses.append(address.description) }
            default: continue
            }
        }
        return dns + addresses
    }
}
