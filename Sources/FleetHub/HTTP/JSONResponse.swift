import Foundation
import Hummingbird
import RegistryModel

/// Encodes a value as the JSON the hub API returns (sorted keys, RFC 3339 dates).
public struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator, Sendable {
    public var value: Value
    public var status: HTTPResponse.Status

    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONCoding.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// Reads the body (at most `limit` bytes) and decodes it strictly: malformed JSON → 400,
    /// unknown fields or wrong types → 422 naming the field, too large → 413.
    public mutating func decodeStrict<T: Codable>(_ type: T.Type, limit: Int) async throws -> T {
        try await decodeStrictKeepingBody(type, limit: limit).value
    }

    /// `decodeStrict`, also returning the body's bytes (valid JSON of `T` once decoded).
    public mutating func decodeStrictKeepingBody<T: Codable>(_ type: T.Type, limit: Int) async throws -> (value: T, body: Data) {
        guard let contentType = headers[.contentType] else {
            throw HubError(.unsupportedMediaType, "a request body needs Content-Type: application/json")
        }
        if let problem = JSONMediaType.problem(with: contentType) { throw HubError(.unsupportedMediaType, problem) }
        // A declared length over the limit is refused before waiting for a single body byte.
        if let declared = headers[.contentLength], let length = Int64(declared), length > limit {
            throw HubError(.payloadTooLarge, "request body of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch {
            throw HubError(.payloadTooLarge, "request body exceeds \(limit) bytes")
        }
        let data = Data(buffer.readableBytesView)
        do {
            return (try StrictJSON.decode(type, from: data), data)
        } catch {
            if error.errors.count == 1, error.errors[0].message.hasPrefix("malformed JSON") {
                throw HubError(.badRequest, error.errors[0].message)
            }
            throw HubError(validation: error)
        }
    }
}
