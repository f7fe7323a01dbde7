/// Kubernetes name rules, used for cluster names, object names and label keys.
public enum DNSNames {
    /// RFC 1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
    public static func isLabel(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        let bytes = Array(name.utf8)
        func alnum(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }

    /// RFC 1123 subdomain: dot-separated labels, at most 253 characters.
    public static func isSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    /// The message Kubernetes gives for a bad label name.
    public static func labelMessage(_ name: String) -> String {
        "\"\(name)\" is not a valid DNS-1123 label: use at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit"
    }

    /// The message Kubernetes gives for a bad subdomain name.
    public static func subdomainMessage(_ name: String) -> String {
        "\"\(name)\" is not a valid DNS-1123 subdomain: use lowercase letters, digits, '-' and '.', at most 253 characters"
    }

    /// Label keys: optional DNS subdomain prefix and '/', then a name of at most 63 characters of
    /// alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
    public static func isLabelKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isQualifiedNamePart(String(parts[0]))
        case 2: return isSubdomain(String(parts[0])) && isQualifiedNamePart(String(parts[1]))
        default: return false
        }
    }

    /// Label values: empty, or at most 63 characters like a qualified name part.
    public static func isLabelValue(_ value: String) -> Bool {
        value.isEmpty || isQualifiedNamePart(value)
    }

    private static func isQualifiedNamePart(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        let bytes = Array(name.utf8)
        func alnum(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
        }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// Field errors for a label map.
    public static func validateLabels(_ labels: [String: String], path: String) -> [FieldError] {
        labels.keys.sorted().flatMap { key -> [FieldError] in
            var errors: [FieldError] = []
            if !isLabelKey(key) { errors.append(FieldError(path: "\(path).\(key)", message: "invalid label key \"\(key)\"")) }
            if !isLabelValue(labels[key]!) {
                errors.append(FieldError(path: "\(path).\(key)", message: "invalid label value \"\(labels[key]!)\""))
            }
            return errors
        }
    }
}
