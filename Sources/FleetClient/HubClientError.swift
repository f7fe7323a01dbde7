/// A hub call that failed: the hub's error body when it answered, or the transport failure.
public struct HubClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// HTTP status; 0 when no answer arrived.
    public var status: Int
    /// The API's error code (`invalid`, `conflict`, …) or `transport`.
    public var code: String
    public var message: String
    /// The field the hub named, if any.
    public var field: String?

    public init(status: Int, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        if status == 0 { return message }
        return "\(message) (HTTP \(status)\(field.map { ", field \($0)" } ?? ""))"
    }
}
