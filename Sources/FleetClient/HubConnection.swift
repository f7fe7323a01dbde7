import AsyncHTTPClient
import ConnectionErrors
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import RegistryModel

/// An HTTPS connection pool to the hub with the fleet CA as the only trust root and, optionally, a
/// client certificate. The admin CLI, the demo and the tests use it; call `shutdown()` when done.
public final class HubConnection: Sendable {
    public let baseURL: String
    let client: HTTPClient

    /// - Parameters:
    ///   - baseURL: `https://host:port`.
    ///   - caCertificatePEM: the fleet CA, which must have issued the hub's certificate.
    ///   - clientCertificatePEM / clientKeyPEM: the caller's identity; nil connects without one.
    public init(baseURL: String, caCertificatePEM: String, clientCertificatePEM: String?, clientKeyPEM: String?, timeout: TimeAmount = .seconds(60)) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caCertificatePEM.utf8)))
        tls.minimumTLSVersion = .tlsv12
        if let clientCertificatePEM, let clientKeyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificatePEM.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientKeyPEM.utf8), format: .pem))
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // A hub that does not answer is reported within seconds, not after a long hang.
        configuration.timeout = .init(connect: .seconds(3), read: timeout)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A hub that refuses connections is reported at once ("connection refused"), not after AHC has retried
        // connecting until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the pool.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// One request; returns the status and body whatever the status.
    public func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", timeout: TimeAmount = .seconds(60)) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch let error as HubClientError {
            throw error
        } catch {
            var message = ConnectionFailure.describe(error, url: baseURL)
            if ConnectionFailure.isConnectFailure(error) { message += "; is the hub running at \(baseURL)?" }
            throw HubClientError(status: 0, code: "transport", message: message)
        }
    }

    /// A JSON call: encodes `body`, decodes the answer as `Response`, and turns an error status
    /// into a `HubClientError` carrying the hub's message and field.
    public func call<Response: Decodable>(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Response.Type) async throws -> Response {
        let data = try body.map { try JSONCoding.encode($0) }
        let (status, payload) = try await send(method, path, body: data)
        guard (200..<300).contains(status) else { throw Self.error(status: status, body: payload) }
        return try JSONCoding.decode(Response.self, from: payload)
    }

    /// The error for a non-2xx answer.
    public static func error(status: Int, body: Data) -> HubClientError {
        if let decoded = try? JSONCoding.decode(APIErrorBody.self, from: body) {
            return HubClientError(status: status, code: decoded.error.code, message: decoded.error.message, field: decoded.error.field)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return HubClientError(status: status, code: "http_\(status)", message: text.isEmpty ? "HTTP \(status)" : text)
    }
}
