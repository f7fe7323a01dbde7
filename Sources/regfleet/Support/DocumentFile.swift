import Foundation
import RegistryModel
import Yams

/// Reads a YAML or JSON file into a strictly-decoded value: unknown fields and wrong types are
/// errors naming the field, as the hub API reports them.
enum DocumentFile {
    static func load<T: Codable>(_ type: T.Type, path: String) throws -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationFailure("cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(type, text: text, source: path)
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

    /// Prints a value as JSON or YAML.
    static func render<T: Encodable>(_ value: T, as format: OutputFormat) throws -> String {
        let json = String(decoding: try JSONCoding.encode(value, pretty: true), as: UTF8.self)
        guard format == .yaml else { return json }
        let tree = try JSONCoding.decode(JSONValue.self, from: Data(json.utf8))
        return try YAMLEncoder().encode(tree)
    }
}
