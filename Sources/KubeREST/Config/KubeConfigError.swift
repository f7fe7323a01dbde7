/// A kubeconfig or in-cluster configuration that cannot be used, naming where the problem is: the
/// file, the context and the field (`users[admin].user.client-key-data`).
///
/// Equality compares `code` only, so tests can match the kind of problem whatever the message.
public struct KubeConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case unreadableFile, invalidYAML, missingField, invalidField, contextNotFound, clusterNotFound, userNotFound, unsupported,
                notInCluster
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// A file (the kubeconfig, or one it points to) cannot be read.
        public static let unreadableFile = Code(base: .unreadableFile)
        /// The kubeconfig is not YAML of the expected shape.
        public static let invalidYAML = Code(base: .invalidYAML)
        /// A required field is absent.
        public static let missingField = Code(base: .missingField)
        /// A field has a value that cannot be used (bad URL, bad base64, bad PEM, conflicting fields).
        public static let invalidField = Code(base: .invalidField)
        /// The requested or current context is not in the file.
        public static let contextNotFound = Code(base: .contextNotFound)
        /// The context names a cluster that is not in the file.
        public static let clusterNotFound = Code(base: .clusterNotFound)
        /// The context names a user that is not in the file.
        public static let userNotFound = Code(base: .userNotFound)
        /// The kubeconfig asks for something this client does not do (exec plugins, basic auth, proxies).
        public static let unsupported = Code(base: .unsupported)
        /// In-cluster configuration was requested outside a pod.
        public static let notInCluster = Code(base: .notInCluster)
    }

    public var code: Code
    public var message: String
    /// The kubeconfig file, or the service account directory for in-cluster configuration.
    public var file: String?
    /// The context being resolved.
    public var context: String?
    /// The field at fault, as a path into the kubeconfig.
    public var field: String?

    public init(code: Code, message: String, file: String? = nil, context: String? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.context = context
        self.field = field
    }

    public static func == (lhs: KubeConfigError, rhs: KubeConfigError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `kubeconfig /path: context "kind": users[kind].user.token: message`.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append("kubeconfig \(file)") }
        if let context { parts.append("context \"\(context)\"") }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
