import Foundation
import RegistryModel
import Synchronization

/// Any Kubernetes object, held as typed metadata plus the rest as a JSON tree, so that fields the
/// code does not model survive a read-modify-write.
///
/// Copies of an unchanged object share what `decode(as:)` produced: a simulated API server hands out
/// the stored object on every get, list and watch event, and the operator, the agent and the
/// controllers read the same unchanged objects many times per second across thousands of clusters.
/// Any change to a copy gives that copy a fresh, empty memo, so a decode never sees stale fields.
public struct KubeObject: Codable, Hashable, Sendable {
    public var apiVersion: String { didSet { memo = DecodeMemo() } }
    public var kind: String { didSet { memo = DecodeMemo() } }
    public var metadata: ObjectMeta { didSet { memo = DecodeMemo() } }
    /// Every top-level member other than apiVersion, kind and metadata (`spec`, `status`, `data`…).
    public var fields: [String: JSONValue] { didSet { memo = DecodeMemo() } }
    /// Typed decodes of this exact content, shared by its unchanged copies.
    private var memo = DecodeMemo()

    public init(apiVersion: String, kind: String, metadata: ObjectMeta, fields: [String: JSONValue] = [:]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.fields = fields
    }

    public static func == (lhs: KubeObject, rhs: KubeObject) -> Bool {
        lhs.apiVersion == rhs.apiVersion && lhs.kind == rhs.kind && lhs.metadata == rhs.metadata && lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(apiVersion)
        hasher.combine(kind)
        hasher.combine(metadata)
        hasher.combine(fields)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "apiVersion")) ?? ""
        kind = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "kind")) ?? ""
        metadata = try container.decode(ObjectMeta.self, forKey: AnyKey(stringValue: "metadata"))
        var rest: [String: JSONValue] = [:]
        for key in container.allKeys where !["apiVersion", "kind", "metadata"].contains(key.stringValue) {
            rest[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        fields = rest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(apiVersion, forKey: AnyKey(stringValue: "apiVersion"))
        try container.encode(kind, forKey: AnyKey(stringValue: "kind"))
        try container.encode(metadata, forKey: AnyKey(stringValue: "metadata"))
        for (key, value) in fields {
            try container.encode(value, forKey: AnyKey(stringValue: key))
        }
    }

    /// Converts a typed resource.
    public init<T: KubeResource>(_ resource: T) throws {
        try self.init(tree: JSONCoding.tree(resource))
    }

    /// Converts to a typed resource; fields the type does not model are dropped. Decoded once per
    /// content and type; later calls on this object or its unchanged copies return the same value.
    public func decode<T: Decodable & Sendable>(as type: T.Type) throws -> T {
        if let decoded = memo.value(of: type) { return decoded }
        let decoded = try JSONCoding.value(type, from: tree)
        memo.store(decoded)
        return decoded
    }

    /// `compute(self)`, computed once per content and shared by this object's unchanged copies, as decodes
    /// are. For forms derived on every read of an unchanged object, such as the operator's comparable tree.
    /// `Value` names the form: use a type of its own for each, so two forms never share a slot.
    public func derived<Value: Sendable>(_ type: Value.Type, _ compute: (KubeObject) -> Value) -> Value {
        if let value = memo.value(of: type) { return value }
        let value = compute(self)
        memo.store(value)
        return value
    }

    /// The whole object as a JSON tree.
    public var tree: JSONValue {
        var members = fields
        members["apiVersion"] = .string(apiVersion)
        members["kind"] = .string(kind)
        members["metadata"] = (try? JSONCoding.tree(metadata)) ?? .object([:])
        return .object(members)
    }

    /// Builds an object from a JSON tree; only the metadata goes through `Decodable`.
    public init(tree: JSONValue) throws {
        guard case .object(var members) = tree else {
            throw DecodingError.typeMismatch(KubeObject.self, .init(codingPath: [], debugDescription: "a Kubernetes object must be a JSON object"))
        }
        guard let metadata = members.removeValue(forKey: "metadata") else {
            throw DecodingError.keyNotFound(AnyKey(stringValue: "metadata"), .init(codingPath: [], debugDescription: "metadata is missing"))
        }
        self.metadata = try JSONCoding.value(ObjectMeta.self, from: metadata)
        apiVersion = members.removeValue(forKey: "apiVersion")?.stringValue ?? ""
        kind = members.removeValue(forKey: "kind")?.stringValue ?? ""
        fields = members
    }

    /// `.spec`, if present.
    public var spec: JSONValue? {
        get { fields["spec"] }
        set { fields["spec"] = newValue }
    }

    /// `.status`, if present.
    public var status: JSONValue? {
        get { fields["status"] }
        set { fields["status"] = newValue }
    }

    /// The resource this object belongs to, when it is a kind RegistryFleet knows.
    public var resourceType: ResourceType? { ResourceType.forKind(apiVersion: apiVersion, kind: kind) }

    /// An owner reference pointing at this object.
    public func ownerReference(controller: Bool = true) -> OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: metadata.name, uid: metadata.uid ?? "", controller: controller, blockOwnerDeletion: true)
    }
}

/// A page of a list.
public struct KubeObjectList: Sendable, Hashable {
    public var items: [KubeObject]
    /// The collection's resourceVersion, from which a watch can start.
    public var resourceVersion: String
    /// Set when more pages follow; pass it as `ListOptions.continueToken`.
    public var continueToken: String?

    public init(items: [KubeObject], resourceVersion: String, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// The typed values decoded from one `KubeObject` content, by type.
private final class DecodeMemo: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    func value<T: Sendable>(of type: T.Type) -> T? {
        values.withLock { $0[ObjectIdentifier(type)] } as? T
    }

    func store<T: Sendable>(_ value: T) {
        values.withLock { $0[ObjectIdentifier(T.self)] = value }
    }
}
