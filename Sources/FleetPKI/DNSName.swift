/// DNS-1123 name rules, kept here because FleetPKI sits below RegistryModel and must not import it.
enum DNSName {
    /// RFC 1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
    static func isLabel(_ name: Substring) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        return isAlphanumeric(first) && isAlphanumeric(last) && bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D }
    }

    /// RFC 1123 subdomain: dot-separated labels, at most 253 characters.
    static func isSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    /// Kubernetes' message for a bad label.
    static func labelMessage(_ name: String) -> String {
        "\"\(name)\" is not a valid DNS-1123 label: a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', start and end with an alphanumeric character, and be at most 63 characters"
    }

    /// Kubernetes' message for a bad subdomain.
    static func subdomainMessage(_ name: String) -> String {
        "\"\(name)\" is not a valid DNS-1123 subdomain: a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', must start and end with an alphanumeric character, and be at most 253 characters"
    }
}
