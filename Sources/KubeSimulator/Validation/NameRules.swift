import KubeClient

/// Which name format a kind requires, with the API server's messages.
enum NameRule {
    /// RFC 1123 subdomain: most kinds.
    case subdomain
    /// RFC 1123 label: Namespaces.
    case label
    /// RFC 1035 label (starts with a letter): Services, whose names become DNS labels.
    case dns1035
    /// Anything usable as a URL path segment: RBAC kinds such as `system:registry`.
    case pathSegment

    /// The rule for a resource.
    static func of(_ resource: ResourceType) -> NameRule {
        switch resource {
        case .namespaces: return .label
        case .services: return .dns1035
        case .roles, .roleBindings, .clusterRoles, .clusterRoleBindings: return .pathSegment
        default: return .subdomain
        }
    }

    /// Problems with `name` under this rule, as messages after `Invalid value: "name": `.
    func problems(_ name: String) -> [String] {
        switch self {
        case .subdomain:
            var problems: [String] = []
            if name.utf8.count > 253 { problems.append("must be no more than 253 characters") }
            if !Self.subdomainCharacters(name) { problems.append(Self.subdomainMessage) }
            return problems
        case .label:
            var problems: [String] = []
            if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
            if !Self.labelCharacters(name) { problems.append(Self.labelMessage) }
            return problems
        case .dns1035:
            var problems: [String] = []
            if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
            let startsWithLetter = name.first.map { $0 >= "a" && $0 <= "z" } ?? false
            if !startsWithLetter || !Self.labelCharacters(name) || !(name.last.map(Self.isAlphanumeric) ?? false) {
                problems.append(Self.dns1035Message)
            }
            return problems
        case .pathSegment:
            if name == "." || name == ".." { return ["may not be '\(name)'"] }
            var problems: [String] = []
            if name.contains("/") { problems.append("may not contain '/'") }
            if name.contains("%") { problems.append("may not contain '%'") }
            return problems
        }
    }

    private static func isAlphanumeric(_ character: Character) -> Bool {
        (character >= "a" && character <= "z") || (character >= "0" && character <= "9")
    }

    private static func labelCharacters(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return name.allSatisfy { isAlphanumeric($0) || $0 == "-" }
    }

    private static func subdomainCharacters(_ name: String) -> Bool {
        name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { labelCharacters(String($0)) }
    }

    /// The API server's message for a bad RFC 1123 subdomain.
    static let subdomainMessage = """
        a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start \
        and end with an alphanumeric character (e.g. 'example.com', regex used for validation is \
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
        """
    /// The API server's message for a bad RFC 1123 label.
    static let labelMessage = """
        a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end \
        with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is \
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
        """
    /// The API server's message for a bad DNS-1035 label.
    static let dns1035Message = """
        a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic \
        character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is \
        '[a-z]([-a-z0-9]*[a-z0-9])?')
        """
}
