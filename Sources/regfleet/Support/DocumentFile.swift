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
            throw ValidationFailure(syntaxError(error, source: source))
        }
        do {
            return try StrictJSON.decode(type, from: tree)
        } catch {
            throw ValidationFailure("\(source): \(error.description)")
        }
    }

    /// `FILE:LINE:COLUMN: what is wrong (while what)`, the way compilers point at a place, from a YAML error.
    static func syntaxError(_ error: any Error, source: String) -> String {
        func place(_ mark: Mark) -> String { "\(source):\(mark.line):\(mark.column)" }
        func reason(_ problem: String, _ context: YamlError.Context?) -> String {
            problem + (context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? "")
        }
        // YAMLDecoder wraps the parser's error in a DecodingError.
        var underlying = error
        if case DecodingError.dataCorrupted(let context) = error, let cause = context.underlyingError { underlying = cause }
        switch underlying as? YamlError {
        case .scanner(let context, let problem, let mark, _)?, .parser(let context, let problem, let mark, _)?,
            .composer(let context, let problem, let mark, _)?:
            return "\(place(mark)): not valid YAML: \(reason(problem, context))"
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            return "\(place(context.mark)): not valid YAML: the key \(duplicates.joined(separator: ", ")) appears twice in one mapping"
        default:
            if let decoding = error as? DecodingError {
                return "\(source): \(StrictJSON.fieldError(from: decoding).description)"
            }
            return "\(source) is not valid YAML or JSON: \(error)"
        }
    }

    /// Prints a value as JSON or YAML, keys in a stable (sorted) order, so two runs print the same text.
    static func render<T: Encodable>(_ value: T, as format: OutputFormat) throws -> String {
        if format == .name { return names(in: try JSONCoding.tree(value)).joined(separator: "\n") }
        if format == .wide || format.isTable { return try render(value, as: .yaml) }
        let json = String(decoding: try JSONCoding.encode(value, pretty: true), as: UTF8.self)
        guard format == .yaml else { return json }
        let tree = try JSONCoding.decode(JSONValue.self, from: Data(json.utf8))
        return try Yams.serialize(node: yamlNode(tree))
    }

    /// What `-o name` prints of a value: its `name` (or `id`, or `cluster`), or that of each element of the one
    /// list it holds.
    static func names(in tree: JSONValue) -> [String] {
        switch tree {
        case .array(let items): return items.flatMap(names)
        case .object(let members):
            for key in ["name", "id", "cluster"] {
                if let name = members[key]?.stringValue { return [name] }
            }
            let lists = members.values.filter { $0.arrayValue != nil }
            return lists.count == 1 ? names(in: lists[0]) : []
        default: return []
        }
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
