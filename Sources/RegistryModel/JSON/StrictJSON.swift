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
            tree = try JSONCoding.decode(JSONValue.self, from: data)
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "malformed JSON: \(describe(error))")])
        }
        let value: T
        do {
            value = try JSONCoding.decode(type, from: data)
        } catch let error as DecodingError {
            throw ValidationErrors([fieldError(from: error)])
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "\(error)")])
        }
        try checkNoUnknownMembers(value, input: tree)
        return value
    }

    /// Decodes a JSON tree as `T` with the same checks.
    public static func decode<T: Codable>(_ type: T.Type, from tree: JSONValue) throws(ValidationErrors) -> T {
        let value: T
        do {
            value = try JSONCoding.value(type, from: tree)
        } catch let error as DecodingError {
            throw ValidationErrors([fieldError(from: error)])
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "\(error)")])
        }
        try checkNoUnknownMembers(value, input: tree)
        return value
    }

    /// Fails with every member of `input` that did not survive decoding into `value`.
    static func checkNoUnknownMembers<T: Encodable>(_ value: T, input tree: JSONValue) throws(ValidationErrors) {
        let roundTrip: JSONValue
        do {
            roundTrip = try JSONCoding.tree(value)
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "cannot re-encode value: \(error)")])
        }
        let unknown = unknownMembers(input: tree, known: roundTrip, path: "")
        if !unknown.isEmpty {
            throw ValidationErrors(unknown.map { FieldError(path: $0, message: "unknown field") })
        }
    }

    /// Input members (non-null) that are absent from the re-encoded value.
    static func unknownMembers(input: JSONValue, known: JSONValue, path: String) -> [String] {
        switch (input, known) {
        case (.object(let inputMembers), .object(let knownMembers)):
            return inputMembers.keys.sorted().flatMap { key -> [String] in
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                let value = inputMembers[key]!
                guard let knownValue = knownMembers[key] else {
                    return value.isNull ? [] : [childPath]
                }
                return unknownMembers(input: value, known: knownValue, path: childPath)
            }
        case (.array(let inputElements), .array(let knownElements)):
            return zip(inputElements, knownElements).enumerated().flatMap { index, pair in
                unknownMembers(input: pair.0, known: pair.1, path: "\(path)[\(index)]")
            }
        case (.object(let inputMembers), _) where !inputMembers.isEmpty:
            return inputMembers.keys.sorted().map { path.isEmpty ? $0 : "\(path).\($0)" }
        default:
            return []
        }
    }

    /// Turns a DecodingError into one field-pathed message.
    public static func fieldError(from error: DecodingError) -> FieldError {
        func pathString(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(into: "") { result, key in
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
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
        if let decoding = error as? DecodingError, case .dataCorrupted(let context) = decoding {
            if let underlying = context.underlyingError as NSError? {
                return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}
