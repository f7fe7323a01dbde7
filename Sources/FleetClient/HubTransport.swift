import AsyncHTTPClient
import ConnectionErrors
import FleetAPI
import FleetModel
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import OpenAPIRuntime
import RegistryModel

/// The one HTTPS transport to the hub, under both of its clients (`HubConnection` for the CLI, the demo and
/// the tests; the agent's `HubClient`): TLS 1.2+ trusting only the fleet CA, an optional client certificate,
/// HTTP/1.1, bounded answers, and no connect retries of its own (a hub that is down is reported at once; each
/// caller owns its retry policy). Call `shutdown()` when done.
public final class HubTransport: Sendable {
    /// How the transport behaves; the defaults suit an admin tool.
    public struct Options: Sendable {
        /// A hub that has not accepted the connection and finished the TLS handshake within this is reported
        /// unreachable. (A refused connection is reported at once whatever this is.)
        public var connectTimeout: TimeAmount = .seconds(10)
        /// How long a graceful close waits for the hub's close_notify (nil: NIOSSL's default).
        public var tlsShutdownTimeout: TimeAmount?
        /// Larger answers are refused rather than buffered.
        public var maximumResponseBytes = 64 << 20
        /// Idle pooled connections are closed after this.
        public var idleTimeout: TimeAmount = .seconds(60)
        /// Middlewares of the generated client that see each answer as it arrives, before an error status
        /// becomes a `HubClientError` (tests record the answers with them).
        public var observers: [any ClientMiddleware] = []

        public init() {}
    }

    /// Why a transport could not be built: which input was unusable.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        public enum Input: Sendable { case ca, credential }
        public var input: Input
        public var description: String
    }

    /// A request that got no HTTP answer.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// One sentence naming the endpoint and the cause (`ConnectionFailure`).
        public var description: String
        /// True when no connection could be made at all (refused, unresolvable, unreachable, timed out).
        public var isConnectFailure: Bool
    }

    private let client: HTTPClient
    private let maximumResponseBytes: Int
    private let observers: [any ClientMiddleware]
    /// The TLS settings, for reading a certificate's names when its host-name check fails.
    private let tls: TLSConfiguration

    public init(caCertificatePEM: String, clientCertificatePEM: String?, clientKeyPEM: String?, options: Options = Options()) throws(ConfigurationError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        if let timeout = options.tlsShutdownTimeout { tls.shutdownTimeout = timeout }
        do {
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(caCertificatePEM.utf8))
            guard !roots.isEmpty else { throw ConfigurationError(input: .ca, description: "the CA file holds no certificate") }
            tls.trustRoots = .certificates(roots)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(input: .ca, description: "the CA is not PEM certificates: \(error)")
        }
        if let clientCertificatePEM, let clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificatePEM.utf8)).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientKeyPEM.utf8), format: .pem))
            } catch {
                throw ConfigurationError(input: .credential, description: "NIOSSL cannot load the client certificate and key: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: options.connectTimeout))
        configuration.connectionPool = .init(idleTimeout: options.idleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.tls = tls
        maximumResponseBytes = options.maximumResponseBytes
        observers = options.observers
    }

    /// One request to `baseURL + path`; the status and body whatever the status, or `Failure` without an answer.
    public func send(
        _ method: HTTPMethod, baseURL: String, path: String, body: Data? = nil, contentType: String = "application/json",
        accept: String = "application/json, */*;q=0.5", timeout: TimeAmount,
        logger: Logger? = nil
    ) async throws(Failure) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response =
                if let logger { try await client.execute(request, timeout: timeout, logger: logger) } else { try await client.execute(request, timeout: timeout) }
            let buffer = try await response.body.collect(upTo: maximumResponseBytes)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch {
            throw await failure(error, baseURL: baseURL)
        }
    }

    /// Calls the generated client of the hub at `baseURL` (paths, parameters and statuses from the OpenAPI
    /// document): an error status arrives as `HubClientError`, a call that got no answer as `Failure`.
    public func api<Answer>(baseURL: String, timeout: TimeAmount, _ call: (Client) async throws -> Answer) async throws -> Answer {
        guard let url = URL(string: baseURL) else { throw Failure(description: "\(baseURL) is not a URL", isConnectFailure: true) }
        let client = Client(
            serverURL: url, configuration: .hubAPI,
            transport: HubClientTransport(client: self.client, timeout: timeout, maximumBytes: maximumResponseBytes),
            middlewares: [HubAnswerMiddleware(maximumBytes: maximumResponseBytes)] + observers)
        do {
            return try await call(client)
        } catch let error as ClientError {
            if let answer = error.underlyingError as? HubClientError { throw answer }
            if error.response != nil || error.underlyingError is DecodingError {
                throw HubClientError(
                    status: error.response.map { Int($0.status.code) } ?? 0, code: "invalid_response",
                    message: "the hub's answer to \(error.operationID) is not what the API document says: \(error.underlyingError)")
            }
            throw await failure(error.underlyingError, baseURL: baseURL)
        }
    }

    /// A request that got no answer, described for its endpoint; a host-name mismatch names what the hub's
    /// certificate does name.
    private func failure(_ error: any Error, baseURL: String) async -> Failure {
        var description = ConnectionFailure.describe(error, url: baseURL)
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname, let url = URL(string: baseURL), let host = url.host {
            let names = await PresentedNamesProbe.names(host: host, port: url.port ?? 443, tls: tls)
            if !names.isEmpty { description += " (it names \(names.joined(separator: ", ")); use one of them in the URL, or reissue it with pki init --hub-san)" }
        }
        return Failure(description: description, isConnectFailure: ConnectionFailure.isConnectFailure(error))
    }

    /// Closes the pool; requests still in flight fail.
    public func shutdown() async {
        try? await client.shutdown()
    }
}

extension HubClientError {
    /// The error for a non-2xx answer: the hub's `{"error": {…}}`, or the start of the raw body.
    public init(status: Int, body: Data) {
        if let decoded = try? JSONCoding.decode(APIErrorBody.self, from: body) {
            self.init(status: status, code: decoded.error.code, message: decoded.error.message, field: decoded.error.field)
            return
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        self.init(status: status, code: "http_\(status)", message: text.isEmpty ? "HTTP \(status)" : text)
    }

    /// `code: message (field f)`, for messages that add their own context.
    public var summary: String {
        code.hasPrefix("http_") ? message : "\(code): \(message)" + (field.map { " (field \($0))" } ?? "")
    }
}
