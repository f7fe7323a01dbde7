import FleetAPI
import Foundation
import HTTPTypes
import OpenAPIRuntime
import RegistryModel

/// Reads every answer of the generated client whole, up to a bound, and turns an error status into the hub's
/// `{"error": {…}}` as `HubClientError`, so that callers handle one error type whatever the operation.
struct HubAnswerMiddleware: ClientMiddleware {
    /// Larger answers are refused rather than buffered.
    let maximumBytes: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        let data = if let answer { try await Data(collecting: answer, upTo: maximumBytes) } else { Data() }
        guard response.status.code < 400 else { throw HubClientError(status: response.status.code, body: data) }
        return (response, answer == nil ? nil : HTTPBody(data))
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
