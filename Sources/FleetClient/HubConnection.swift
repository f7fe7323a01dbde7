import FleetAPI
import Foundation
import NIOCore
import NIOHTTP1
import OpenAPIRuntime
import RegistryModel

/// The hub at one base URL over `HubTransport` (the fleet CA as the only trust root and, optionally, a
/// client certificate), with JSON calls and the hub's errors typed. The admin CLI, the demo and the tests
/// use it; call `shutdown()` when done.
public final class HubConnection: Sendable {
    public let baseURL: String
    let transport: HubTransport
    let timeout: TimeAmount

    /// - Parameters:
    ///   - baseURL: `https://host:port`.
    ///   - caCertificatePEM: the fleet CA, which must have issued the hub's certificate.
    ///   - clientCertificatePEM / clientKeyPEM: the caller's identity; nil connects without one.
    ///   - connectTimeout: how long a hub that does not answer is waited for before it counts as unreachable.
    ///   - observers: middlewares that see each answer of the generated client (`HubTransport.Options.observers`).
    public init(
        baseURL: String, caCertificatePEM: String, clientCertificatePEM: String?, clientKeyPEM: String?, timeout: TimeAmount = .seconds(60),
        connectTimeout: TimeAmount = .seconds(10), observers: [any ClientMiddleware] = []
    ) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        var options = HubTransport.Options()
        options.connectTimeout = connectTimeout
        options.observers = observers
        transport = try HubTransport(
            caCertificatePEM: caCertificatePEM, clientCertificatePEM: clientCertificatePEM, clientKeyPEM: clientKeyPEM, options: options)
    }

    /// Closes the pool.
    public func shutdown() async {
        await transport.shutdown()
    }

    /// One request; returns the status and body whatever the status.
    public func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", accept: String = "application/json, */*;q=0.5",
        timeout: TimeAmount? = nil
    ) async throws -> (status: Int, body: Data) {
        do {
            return try await transport.send(method, baseURL: baseURL, path: path, body: body, contentType: contentType, accept: accept, timeout: timeout ?? self.timeout)
        } catch {
            let hint = error.isConnectFailure ? "; is the hub running at \(baseURL)?" : ""
            throw HubClientError(status: 0, code: "transport", message: error.description + hint)
        }
    }

    /// A call of the generated API client (`HubAdminClient` wraps them); the hub's errors and transport
    /// failures both arrive as `HubClientError`.
    public func api<Answer>(_ call: (Client) async throws -> Answer) async throws -> Answer {
        do {
            return try await transport.api(baseURL: baseURL, timeout: timeout, call)
        } catch let error as HubTransport.Failure {
            let hint = error.isConnectFailure ? "; is the hub running at \(baseURL)?" : ""
            throw HubClientError(status: 0, code: "transport", message: error.description + hint)
        }
    }

    /// A raw JSON call, for requests the API document does not describe (tests of bad input): encodes `body`, decodes the answer as `Response`, and turns an error status
    /// into a `HubClientError` carrying the hub's message and field.
    public func call<Response: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Response.Type) async throws -> Response {
        let data = try body.map { try JSONCoding.encode($0) }
        let (status, payload) = try await send(method, path, body: data)
        guard (200..<300).contains(status) else { throw Self.error(status: status, body: payload) }
        return try JSONCoding.decode(Response.self, from: payload)
    }

    /// The error for a non-2xx answer.
    public static func error(status: Int, body: Data) -> HubClientError {
        HubClientError(status: status, body: body)
    }
}
