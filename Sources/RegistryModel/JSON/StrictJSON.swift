import Foundation

/// Decoding that refuses what the type does not know.
///
/// API clients that misspell a field (`keepTagRevision`) must hear about it rather than have it
/// silently ignored. The check decodes the value, encodes it back and reports every member of the
/// input that did not survive the round trip, with its path.
public enum StrictJSON {
    /// Decodes `data` as `T`, failing with field-pathed errors on malformed JSON, type mismatches
    /// and unknown members.
    public static func decode<T: Codable>(_ type: T.Type, from data: Data) throws(ValidationErrors) -> T {
        let tree: JSONValue
        do {
            tree = try JSONValue.parse(data)
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "malformed JSON: \(describe(error))")])
        }
        return try decode(type, from: tree)
    }

    /// Decodes a JSON tree as `T` with the same checks: every member of the input must be read by
    /// `T`'s decoder (a member nobody reads is one the type does not know).
    public static func decode<T: Codable>(_ type: T.Type, from tree: JSONValue) throws(ValidationErrors) -> T {
        let usage = JSONValueDecoder.Usage()
        let value: T
        do {
            value = try JSONValueDecoder.decode(type, from: tree, usage: usage)
        } catch let error as DecodingError {
            throw ValidationErrors([fieldError(from: error)])
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "\(error)")])
        }
        let unknown = usage.unusedPaths()
        if !unknown.isEmpty {
            throw ValidationErrors(unknown.map { FieldError(path: $0, message: "unknown field") })
        }
        return value
    }

    /// `spec.tolerations[0].key` for a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(into: "") { result, key in
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }

    /// Turns a DecodingError into one field-pathed message.
    public static func fieldError(from error: DecodingError) -> FieldError {
        let pathString = path
        switch error {
        case .typeMismatch(let type, let context):
            return FieldError(path: pathString(context.codingPath), message: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return FieldError(path: pathString(context.codingPath), message: "expected \(typeName(type)), got null")
        case .keyNotFound(let key, let context):
            return FieldError(path: pathString(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            return FieldError(path: pathString(context.codingPath), message: context.debugDescription)
        @unknown default:
            return FieldError(path: "", message: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type: return "an integer"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(name)"
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError, case .dataCorrupted(let context) = decoding { return context.debugDescription }
        return "\(error)"
    }
}
