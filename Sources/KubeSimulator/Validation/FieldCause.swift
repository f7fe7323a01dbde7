import Foundation
import KubeClient
import RegistryModel

/// 422 causes worded as the API server words them (`Required value`, `Invalid value: …`), with
/// the `StatusCause.reason` it sends.
enum FieldCause {
    /// A missing field.
    static func required(_ field: String, _ detail: String = "") -> KubeError.Cause {
        KubeError.Cause(field: field, message: detail.isEmpty ? "Required value" : "Required value: \(detail)", reason: "FieldValueRequired")
    }

    /// A present but unacceptable value.
    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> KubeError.Cause {
        KubeError.Cause(field: field, message: "Invalid value: \(render(value)): \(detail)", reason: "FieldValueInvalid")
    }

    /// A value outside an enumeration.
    static func unsupported(_ field: String, _ value: String, supported: [String]) -> KubeError.Cause {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return KubeError.Cause(
            field: field, message: "Unsupported value: \"\(value)\": supported values: \(list)", reason: "FieldValueNotSupported")
    }

    /// A change or value the server does not allow at all.
    static func forbidden(_ field: String, _ detail: String) -> KubeError.Cause {
        KubeError.Cause(field: field, message: "Forbidden: \(detail)", reason: "FieldValueForbidden")
    }

    /// A repeated value in a list that must be unique.
    static func duplicate(_ field: String, _ value: String) -> KubeError.Cause {
        KubeError.Cause(field: field, message: "Duplicate value: \"\(value)\"", reason: "FieldValueDuplicate")
    }

    /// A change to a field that cannot change after creation.
    static func immutable(_ field: String, _ value: JSONValue) -> KubeError.Cause {
        invalid(field, value, "field is immutable")
    }

    /// A RegistryModel validation error as a cause on the same path.
    static func from(_ error: FieldError) -> KubeError.Cause {
        KubeError.Cause(field: error.path, message: error.message, reason: "FieldValueInvalid")
    }

    /// Values appear as the server prints them: strings quoted, numbers bare, objects as JSON.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .null: return "null"
        default:
            guard let data = try? JSONCoding.encode(value) else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
