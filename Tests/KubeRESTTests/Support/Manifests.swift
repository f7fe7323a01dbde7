import Foundation
import KubeClient
import RegistryModel
import Yams

/// One object from a YAML file under deploy/.
struct Manifest {
    /// Path relative to deploy/.
    var file: String
    var tree: JSONValue

    var kind: String { tree["kind"]?.stringValue ?? "" }
    var name: String { tree[path: ["metadata", "name"]]?.stringValue ?? "" }
    var namespace: String? { tree[path: ["metadata", "namespace"]]?.stringValue }
    var object: KubeObject { get throws { try KubeObject(tree: tree) } }

    /// Decodes the object as a typed resource.
    func decode<T: Decodable>(as type: T.Type) throws -> T { try JSONCoding.value(type, from: tree) }
}

/// Loads every manifest under deploy/ with Yams.
enum Manifests {
    /// The repository's deploy/ directory, found from this source file.
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("deploy")
    }()

    /// Every `.yaml` file under deploy/, relative paths, sorted.
    static func files() throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var files: [String] = []
        while let next = enumerator?.nextObject() as? String {
            if next.hasSuffix(".yaml") { files.append(next) }
        }
        return files.sorted()
    }

    /// The objects of one file (several `---` documents allowed).
    static func load(_ file: String) throws -> [Manifest] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        var documents = try Yams.load_all(yaml: text)
        var manifests: [Manifest] = []
        while let document = documents.next() {
            let tree = json(from: document)
            if !tree.isNull { manifests.append(Manifest(file: file, tree: tree)) }
        }
        if let error = documents.error { throw error }
        return manifests
    }

    /// Every object under deploy/.
    static func all() throws -> [Manifest] {
        try files().flatMap(load)
    }

    /// The one object of `kind` named `name` in `file`.
    static func object(_ file: String, kind: String, name: String? = nil) throws -> Manifest {
        let matches = try load(file).filter { $0.kind == kind && (name == nil || $0.name == name) }
        guard matches.count == 1 else { throw ManifestError(message: "\(file) has \(matches.count) \(kind) objects named \(name ?? "*")") }
        return matches[0]
    }

    /// Converts what Yams loads into a JSON tree.
    static func json(from value: Any) -> JSONValue {
        switch value {
        case let map as [String: Any]: return .object(map.mapValues(json))
        case let list as [Any]: return .array(list.map(json))
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(Int64(number))
        case let number as Double: return .double(number)
        default: return .null
        }
    }
}

/// A manifest is missing or ambiguous.
struct ManifestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
