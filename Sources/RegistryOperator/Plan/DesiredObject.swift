import KubeClient
import RegistryModel

/// An object the operator wants to exist, and which of its fields it owns exactly.
///
/// Drift is detected with `JSONValue.contains(desired:)`, which tolerates fields the API server
/// adds (defaults, status). Maps the operator owns completely (a node selector, a ConfigMap's
/// data) must also lose keys someone added by hand, so their paths are compared and written
/// exactly.
public struct DesiredObject: Sendable, Hashable {
    public var object: KubeObject
    /// Paths (below the object root) whose value must equal the desired value exactly.
    public var exactPaths: [[String]]

    public init(_ object: KubeObject, exactPaths: [[String]] = []) {
        self.object = object
        self.exactPaths = exactPaths
    }

    /// The key of the object.
    public var key: ObjectKey {
        ObjectKey(object.resourceType!, namespace: object.metadata.namespace, name: object.metadata.name)
    }
}
