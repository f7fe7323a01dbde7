import HTTPTypes
import RegistryModel

/// Who may call an operation, from its `security` in the document.
public enum APIAccess: String, Sendable, Hashable {
    /// No client certificate needed (`security: []`).
    case anyone
    /// An agent certificate; the cluster comes from it.
    case agent
    /// An admin certificate (the document's default).
    case admin
}

/// One operation as the document declares it, beyond what the generated server interface carries:
/// who may call it and the model type its JSON request body decodes into. The hub's server transport
/// checks both before the generated code runs, so the document alone says who may call what, and every
/// JSON body is decoded strictly (unknown fields, duplicate keys and wrong types refused with their path),
/// which the generated decoding does not do. `all` is generated from the document.
public struct APIOperation: Sendable {
    public var id: String
    public var method: HTTPRequest.Method
    /// The document's path template, `/v1/clusters/{name}`.
    public var path: String
    public var access: APIAccess
    /// The query parameters it reads.
    public var query: [APIQueryParameter]
    /// The model type of the `application/json` request body; nil for operations without one.
    public var jsonBody: (any (Codable & Sendable).Type)?

    public init(id: String, method: HTTPRequest.Method, path: String, access: APIAccess, query: [APIQueryParameter], jsonBody: (any (Codable & Sendable).Type)?) {
        self.id = id
        self.method = method
        self.path = path
        self.access = access
        self.query = query
        self.jsonBody = jsonBody
    }

    /// The operation the generated code registers at `method` and `path`.
    public static func named(method: HTTPRequest.Method, path: String) -> APIOperation? {
        all.first { $0.method == method && $0.path == path }
    }
}

/// A query parameter and the kind of value the document says it takes, so that a value that is not one
/// is refused naming the parameter (the generated decoding says only that some value failed).
public struct APIQueryParameter: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string, integer, boolean, dateTime
        case oneOf([String])
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Why `value` is not one of this parameter's values; nil when it is.
    public func problem(with value: Substring) -> String? {
        switch kind {
        case .string:
            return nil
        case .integer:
            return Int(value) == nil ? "query parameter \(name) must be an integer, got \"\(value)\"" : nil
        case .boolean:
            return value == "true" || value == "false" ? nil : "query parameter \(name) must be true or false, got \"\(value)\""
        case .dateTime:
            return RFC3339.parse(String(value)) == nil ? "query parameter \(name) must be an RFC 3339 time, got \"\(value)\"" : nil
        case .oneOf(let values):
            return values.contains(String(value)) ? nil : "query parameter \(name) must be one of \(values.joined(separator: ", ")), got \"\(value)\""
        }
    }
}
