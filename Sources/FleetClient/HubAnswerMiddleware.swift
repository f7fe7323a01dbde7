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
