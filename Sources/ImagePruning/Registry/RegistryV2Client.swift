import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// A client for the Registry v2 HTTP API (distribution's `/v2/…`), as much of it as pruning,
/// its tests and its benchmark need: listing, reading and deleting manifests, reading config
/// blobs, and pushing synthetic images.
///
/// The client owns its `HTTPClient`; call `shutdown()` when done. Every method throws
/// `RegistryError`.
public final class RegistryV2Client: Sendable {
    /// The configuration the client was made with.
    public let configuration: RegistryClientConfiguration
    let http: HTTPClient
    let logger: Logger
    private let limiter: RequestLimiter
    private let requests = Atomic<Int>(0)

    /// Largest manifest body accepted (distribution refuses manifests over 4 MiB).
    static let maxManifestBytes = 4 << 20
    /// Largest config blob or listing page accepted.
    static let maxDocumentBytes = 16 << 20

    /// Makes a client; a CA file that cannot be read fails here, before any request.
    public init(configuration: RegistryClientConfiguration, logger: Logger = Logger(label: "registry-client")) throws {
        var clientConfiguration = HTTPClient.Configuration()
        if configuration.endpoint.scheme == "https" {
            clientConfiguration.tlsConfiguration = try Self.tlsConfiguration(caFile: configuration.certificateAuthorityFile)
        }
        clientConfiguration.timeout = .init(connect: .seconds(10), read: .seconds(configuration.requestTimeoutSeconds))
        clientConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConcurrentRequests))
        // A refused connection means the registry is down; fail at once instead of retrying until
        // the connect timeout, so a run stops promptly with a clear error.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.httpVersion = .http1Only
        self.configuration = configuration
        self.logger = logger
        self.limiter = RequestLimiter(limit: configuration.maxConcurrentRequests)
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
    }

    /// Closes every connection; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Requests sent so far (each retry or page counts), for the benchmark and for tests that
    /// pin the request budget.
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    private static func tlsConfiguration(caFile: String?) throws(RegistryError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let caFile else { return tls }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw RegistryError(code: .configuration, message: "--certificate-authority: cannot read PEM certificates from \(caFile): \(error)")
        }
        guard !certificates.isEmpty else {
            throw RegistryError(code: .configuration, message: "--certificate-authority: \(caFile) contains no certificates")
        }
        tls.trustRoots = .certificates(certificates)
        return tls
    }

    // MARK: - Transport

    /// A response with its body read.
    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var url: String
    }

    /// Sends one request through the limiter and reads the body; transport failures become
    /// `unreachable` or `tlsFailure`.
    func send(
        _ method: HTTPMethod, _ pathAndQuery: String, headers: [(String, String)] = [], body: Data? = nil, repository: String? = nil,
        maxBodyBytes: Int = maxDocumentBytes
    ) async throws -> Response {
        let url = configuration.endpoint.baseURL + pathAndQuery
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization = configuration.credentials.authorizationHeader { request.headers.add(name: "Authorization", value: authorization) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        await limiter.acquire()
        requests.add(1, ordering: .relaxed)
        let outcome: Result<Response, any Error>
        do {
            let response = try await http.execute(request, timeout: .seconds(configuration.requestTimeoutSeconds))
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            outcome = .success(Response(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView), url: url))
        } catch {
            outcome = .failure(error)
        }
        await limiter.release()
        switch outcome {
        case .success(let response):
            return response
        case .failure(let error as CancellationError):
            throw error
        case .failure(let error):
            throw Self.transportError(error, url: url, repository: repository, endpoint: configuration.endpoint)
        }
    }

    private static func transportError(_ error: any Error, url: String, repository: String?, endpoint: RegistryEndpoint) -> RegistryError {
        if error is NIOSSLError || error is NIOSSLExtraError {
            return RegistryError(
                code: .tlsFailure, message: "TLS with registry \(endpoint) failed: \(error) (check --certificate-authority)", repository: repository,
                url: url)
        }
        if error is NIOTooManyBytesError || (error as? HTTPClientError) == .bodyLengthMismatch {
            return RegistryError(code: .badResponse, message: "registry \(endpoint) sent an unusable body: \(error)", repository: repository, url: url)
        }
        return RegistryError(code: .unreachable, message: "registry \(endpoint) is unreachable: \(error)", repository: repository, url: url)
    }

    /// The error for an unexpected status, with distribution's error code from the body.
    func statusError(_ response: Response, _ what: String, repository: String?) -> RegistryError {
        let detail = Self.registryErrorSummary(response.body).map { ": \($0)" } ?? ""
        let code: RegistryError.Code
        switch response.status {
        case 401: code = .unauthorized
        case 403: code = .forbidden
        case 404: code = .notFound
        case 405: code = .operationNotAllowed
        default: code = .badResponse
        }
        var message = "\(what) failed\(detail)"
        if code == .unauthorized { message += " (pass --username/--password or --token)" }
        if code == .operationNotAllowed { message += " (is storage.delete.enabled set on the registry?)" }
        return RegistryError(code: code, message: message, repository: repository, url: response.url, status: response.status)
    }

    /// `MANIFEST_UNKNOWN manifest unknown` from `{"errors":[{"code":…,"message":…}]}`.
    private static func registryErrorSummary(_ body: Data) -> String? {
        struct Envelope: Decodable {
            struct Item: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Item]?
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body), let items = envelope.errors, !items.isEmpty else { return nil }
        return items.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
    }

    /// `sha256:` + the hex SHA-256 of `data`.
    public static func sha256Digest(_ data: Data) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("sha256:".utf8)
        for byte in SHA256.hash(data: data) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes a JSON body, or fails with `badResponse`.
    func decode<T: Decodable>(_ type: T.Type, _ response: Response, repository: String?) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw RegistryError(code: .badResponse, message: "unexpected response body: \(error)", repository: repository, url: response.url, status: response.status)
        }
    }
}
