import Foundation

/// The DNS names and IP addresses a server certificate is valid for, checked before anything is signed.
public struct ServerNames: Hashable, Sendable {
    /// DNS-1123 subdomains, in the order given, without duplicates.
    public private(set) var dnsNames: [String] = []
    /// IP addresses in canonical text form (`127.0.0.1`, `::1`), in the order given, without duplicates.
    public var ipAddresses: [String] { ipLiterals.map(\.description) }
    private(set) var ipLiterals: [IPAddressLiteral] = []

    /// Sorts a mixed list such as `["localhost", "127.0.0.1", "::1", "hub.example.com"]`: IP literals become
    /// IP SANs, everything else must be a DNS-1123 subdomain. Throws `invalidName` naming the first bad entry.
    public init(parsing entries: [String]) throws(PKIError) {
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if let address = IPAddressLiteral(entry) {
                if !ipLiterals.contains(address) { ipLiterals.append(address) }
            } else if entry.split(separator: ".").last?.allSatisfy(\.isNumber) == true {
                throw PKIError(
                    code: .invalidName, message: "server name \"\(entry)\" is neither an IP address nor a DNS name (its last label is numeric)")
            } else if DNSName.isSubdomain(entry) {
                if !dnsNames.contains(entry) { dnsNames.append(entry) }
            } else {
                throw PKIError(code: .invalidName, message: "server name \(DNSName.subdomainMessage(entry)), nor an IP address")
            }
        }
        guard !dnsNames.isEmpty || !ipLiterals.isEmpty else {
            throw PKIError(code: .invalidName, message: "a server certificate needs at least one DNS name or IP address")
        }
    }
}
