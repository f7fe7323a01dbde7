import FleetAPI
import Foundation
import HTTPTypes
import OpenAPIRuntime
import RegistryModel

/// Turns an error status into the hub's `{"error": {…}}` as `HubClientError`, so that callers handle one
/// error type whatever the operation. `HubClientTransport` has already read the answer whole (bounded), so
/// only an error's body is read here, and a success passes through untouched.
struct HubAnswerMiddleware: ClientMiddleware {
    /// The bound the transport read the answer with.
    let maximumBytes: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, answer) }
        let data = if let answer { try await Data(collecting: answer, upTo: maximumBytes) } else { Data() }
        throw HubClientError(status: response.status.code, body: data)
    }
}

/// RFC 3339 with or without fractional seconds, as `JSONCoding` reads and writes dates.
struct RFC3339Transcoder: DateTranscoder {
    struct InvalidTime: Error, CustomStringConvertible {
        var text: String
        var description: String { "invalid RFC 3339 time \"\(text)\"" }
    }

    func encode(_ date: Date) throws -> String { RFC3339.format(date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.parse(text) else { throw InvalidTime(text: text) }
        return date
    }
}
