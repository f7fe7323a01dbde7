import Foundation
import RegistryModel
import Yams

/// Reads a YAML or JSON file into a strictly-decoded value: unknown fields and wrong types are
/// errors naming the field, as the hub API reports them.
enum DocumentFile {
    /// Reads `path`, or standard input for `-` (as kubectl's `-f -`).
    static func load<T: Codable>(_ type: T.Type, path: String) throws -> T {
        try decode(type, text: try read(path), source: path == "-" ? "standard input" : path)
    }

    /// The text of `path`, or of standard input for `-`.
    static func read(_ path: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationFailure("cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func decode<T: Codable>(_ type: T.Type, text: String, source: String) throws -> T {
        let tree: JSONValue
        do {
            tree = try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw ValidationFailure("\(source) is not valid YAML or JSON: \(error)")
        }
        do {
            return try StrictJSON.decode(type, from: tree)
        } catch {
            throw ValidationFailure("\(source): \(error.description)")
        }
    }

    /// Prints a value as JSON or YAML, keys in a stable (sorted) order, so two runs print the same text.
    static func render<T: Encodable>(_ value: T, as format: OutputFormat) throws -> String {
        let json = String(decoding: try JSONCoding.encode(value, pretty: true), as: UTF8.self)
        guard format == .yaml else { return json }
        let tree = try JSONCoding.decode(JSONValue.self, from: Data(json.utf8))
        return try Yams.serialize(node: yamlNode(tree))
    }

    /// A YAML node for a JSON tree with every mapping's keys sorted (a Swift dictionary has no stable order).
    static func yamlNode(_ value: JSONValue) throws -> Node {
        switch value {
        case .object(let members):
            return .mapping(Node.Mapping(try members.sorted { $0.key < $1.key }.map { (Node($0.key), try yamlNode($0.value)) }))
        case .array(let items):
            return .sequence(Node.Sequence(try items.map(yamlNode)))
        case .string(let text): return try text.represented()
        case .int(let number): return try number.represented()
        case .double(let number): return try number.represented()
        case .bool(let flag): return try flag.represented()
        case .null: return Node("null", Tag(.null))
        }
    }
}
