import Foundation
import Hummingbird
import RegistryModel

extension Request {
    /// Reads a JSON body of at most `limit` bytes and checks that it decodes strictly as `type`:
    /// no Content-Type or another one → 415, too large → 413, malformed JSON → 400, unknown fields,
    /// duplicate keys or wrong types → 422 naming the field. Returns the value and the bytes, which the
    /// generated code decodes (and report ingestion stores as they came).
    mutating func strictJSONBody<T: Codable & Sendable>(_ type: T.Type, limit: Int) async throws -> (value: T, bytes: Data) {
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
