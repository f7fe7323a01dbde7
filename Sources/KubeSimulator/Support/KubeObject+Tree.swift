import Foundation
import KubeClient
import RegistryModel

/// Conversions between objects and JSON trees that only run the JSON coders on `metadata`:
/// merge patches and CRD validation need trees, and the rest of an object already is one.
extension KubeObject {
    /// The whole object as a JSON tree.
    var objectTree: JSONValue {
        var members = fields
        members["apiVersion"] = .string(apiVersion)
        members["kind"] = .string(kind)
        members["metadata"] = (try? JSONCoding.tree(metadata)) ?? .object([:])
        return .object(members)
    }

    /// Builds an object from a JSON tree; fails when `metadata` is missing or malformed.
    init(objectTree tree: JSONValue) throws {
        guard var members = tree.objectValue else {
            throw DecodingError.typeMismatch(JSONValue.self, .init(codingPath: [], debugDescription: "expected an object"))
        }
        guard let metadata = members.removeValue(forKey: "metadata") else {
            throw DecodingError.keyNotFound(
                ObjectKeyName.metadata, .init(codingPath: [], debugDescription: "an object needs metadata"))
        }
        let apiVersion = members.removeValue(forKey: "apiVersion")?.stringValue ?? ""
        let kind = members.removeValue(forKey: "kind")?.stringValue ?? ""
        self.init(apiVersion: apiVersion, kind: kind, metadata: try JSONCoding.value(ObjectMeta.self, from: metadata), fields: members)
    }
}

/// The coding key named in errors about a missing `metadata`.
private enum ObjectKeyName: String, CodingKey {
    case metadata
}
