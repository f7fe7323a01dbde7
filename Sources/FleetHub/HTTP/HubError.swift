import FleetModel
import Foundation
import Hummingbird
import RegistryModel

/// Every failure a hub route reports, mapped to an HTTP status and the API's error body
/// `{"error": {"code", "message", "field"?}}` in one place. Anything else that escapes a route is a
/// 500 whose details are logged, never sent.
public struct HubError: Error, HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    /// Stable machine-readable code; also the `error.code` of the body.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        let status: HTTPResponse.Status
        public var description: String { rawValue }

        /// 400: the request cannot be parsed (malformed JSON, bad query).
        public static let badRequest = Code(rawValue: "bad_request", status: .badRequest)
        /// 422: the request parsed but a field is invalid.
        public static let invalid = Code(rawValue: "invalid", status: .unprocessableContent)
        /// 401: no or unusable credentials.
        public static let unauthenticated = Code(rawValue: "unauthenticated", status: .unauthorized)
        /// 403: the caller may not do this.
        public static let forbidden = Code(rawValue: "forbidden", status: .forbidden)
        /// 404: no such object.
        public static let notFound = Code(rawValue: "not_found", status: .notFound)
        /// 405: the path exists, the method does not (the answer carries `Allow`).
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed", status: .methodNotAllowed)
        /// 406: the request's Accept allows none of the answer's media types.
        public static let notAcceptable = Code(rawValue: "not_acceptable", status: .notAcceptable)
        /// 409: a stale generation, a cluster already in a rollout, a state that forbids it.
        public static let conflict = Code(rawValue: "conflict", status: .conflict)
        /// 413: the body exceeds the limit.
        public static let payloadTooLarge = Code(rawValue: "payload_too_large", status: .contentTooLarge)
        /// 415: the body is not JSON.
        public static let unsupportedMediaType = Code(rawValue: "unsupported_media_type", status: .unsupportedMediaType)
        /// 503: the hub is shutting down or not ready.
        public static let unavailable = Code(rawValue: "unavailable", status: .serviceUnavailable)
        /// 500
        public static let internalError = Code(rawValue: "internal", status: .internalServerError)
    }

    public var code: Code
    public var message: String
    /// The offending field's path, when one field is at fault.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// A 422 listing every field problem.
    public init(validation errors: ValidationErrors) {
        self.init(.invalid, errors.description, field: errors.firstPath.flatMap { $0.isEmpty ? nil : $0 })
    }

    public var status: HTTPResponse.Status { code.status }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: HubError, rhs: HubError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = APIErrorBody(code: code.rawValue, message: message, field: field)
        let data = (try? JSONCoding.encode(body)) ?? Data("{\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
