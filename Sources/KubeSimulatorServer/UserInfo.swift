/// Who made a request, as a Kubernetes authenticator reports it: a user name and groups.
public struct UserInfo: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    /// Members of this group may do anything, bypassing authorization, as on a real cluster.
    public static let superUserGroup = "system:masters"

    /// A cluster administrator (`kubernetes-admin`, group `system:masters`).
    public static func admin(_ name: String = "kubernetes-admin") -> UserInfo {
        UserInfo(name: name, groups: [superUserGroup])
    }

    /// The identity of a service account's token: `system:serviceaccount:NS:NAME`.
    public static func serviceAccount(namespace: String, name: String) -> UserInfo {
        UserInfo(
            name: "system:serviceaccount:\(namespace):\(name)", groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"])
    }

    /// The service account this user is, if it is one.
    var serviceAccount: (namespace: String, name: String)? {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" else { return nil }
        return (parts[2], parts[3])
    }

    /// The groups as authorization sees them, with `system:authenticated` added.
    var effectiveGroups: [String] { groups.contains("system:authenticated") ? groups : groups + ["system:authenticated"] }

    var isSuperUser: Bool { groups.contains(Self.superUserGroup) }

    public var description: String { name }
}
