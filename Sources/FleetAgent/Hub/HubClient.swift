import AsyncHTTPClient
import ConnectionErrors
import FleetPKI
import Foundation
import Logging
import NIOSSL
import RegistryModel

/// The agent's side of the hub API over HTTPS: the fleet CA verifies the hub's server certificate and, once
/// enrolled, the agent's certificate authenticates it (mutual TLS).
///
/// One client per credential: enrollment uses one without a client certificate, and a renewal builds a new
/// one. Every client must be `shutdown()` when it is no longer used. Calls go to `endpoints.current`; one that
/// finds no hub there moves the endpoints on, so the caller's retry reaches another replica.
public final class HubClient: Sendable {
    /// The hub replicas, shared with the clients that replace this one.
    public let endpoints: HubEndpoints
    /// The hub URL calls go to now, without a trailing slash.
    public var baseURL: String { endpoints.current }
    /// Who this client speaks for, or nil for the anonymous enrollment client.
    public let identity: FleetIdentity?
    private let http: HTTPClient
    private let logger: Logger
    /// Bodies larger than this are refused rather than buffered.
    static let maximumResponseSize = 4 << 20
    /// Seconds an ordinary request may take in total.
    static let requestTimeout: Int64 = 30

    /// A client of the one hub at `baseURL`.
    public convenience init(baseURL: String, caCertificatePEM: String, credential: FleetCredential?, logger: Logger) throws(AgentError) {
        try self.init(endpoints: HubEndpoints([baseURL]), caCertificatePEM: caCertificatePEM, credential: credential, logger: logger)
    }

    /// Builds a client of the replicas in `endpoints` that trusts only `caCertificatePEM` and presents
    /// `credential` when given; throws `invalidConfiguration` for PEM that NIOSSL cannot load.
    public init(endpoints: HubEndpoints, caCertificatePEM: String, credential: FleetCredential?, logger: Logger) throws(AgentError) {
        self.endpoints = endpoints
        self.identity = credential?.identity
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        // A held long poll is cut when the agent stops or rotates its certificate; do not wait NIOSSL's default
        // 5 s for the hub's close_notify on such a connection.
        tls.shutdownTimeout = .milliseconds(250)
        do {
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(caCertificatePEM.utf8))
            guard !roots.isEmpty else { throw AgentError(code: .invalidConfiguration, message: "the CA file holds no certificate", field: "ca-file") }
            tls.trustRoots = .certificates(roots)
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(code: .invalidConfiguration, message: "the CA file is not PEM certificates: \(error)", field: "ca-file")
        }
        if let credential {
            do {
                tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(credential.certificatePEM.utf8), format: .pem))]
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(credential.privateKeyPEM.utf8), format: .pem))
            } catch {
                throw AgentError(code: .state, message: "NIOSSL cannot load the agent's certificate and key: \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10)))
        configuration.httpVersion = .http1Only
        // Fail fast when the hub is down: the agent's loops own the retry policy (backoff with jitter), and AHC
        // would otherwise retry connecting until the request's deadline, holding a long poll for its whole timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// `POST /v1/enroll`: trades a bootstrap token and a CSR for a certificate. Refusals of the token are
    /// `enrollmentRefused`.
    public func enroll(_ request: EnrollRequest) async throws(AgentError) -> CertificateResponse {
        let response = try await send("POST", "/v1/enroll", body: request, timeout: Self.requestTimeout)
        switch response.status {
        case 200: return try decode(CertificateResponse.self, response, "/v1/enroll")
        case 401, 403, 409:
            throw AgentError(
                code: .enrollmentRefused, message: "the hub refused enrollment of \(request.cluster): \(response.errorText)",
                status: response.status)
        default: throw response.failure("/v1/enroll")
        }
    }

    /// `GET /v1/agent/desired?after=N&timeout=S`: the policy when the hub has a generation newer than `after`,
    /// nil when the hub held the poll for `timeout` seconds and answered 304.
    public func desired(after generation: Int64, timeout: TimeInterval) async throws(AgentError) -> PolicyDocument? {
        let seconds = max(1, Int(timeout.rounded()))
        let path = "/v1/agent/desired?after=\(generation)&timeout=\(seconds)"
        let response = try await send("GET", path, body: Optional<EnrollRequest>.none, timeout: Int64(seconds) + 15)
        switch response.status {
        case 200: return try decode(PolicyDocument.self, response, path)
        case 304: return nil
        default: throw response.failure(path)
        }
    }

    /// `POST /v1/agent/reports`: delivers one report; the hub stores each sequence once.
    public func report(_ report: AgentReport) async throws(AgentError) -> ReportAck {
        let response = try await send("POST", "/v1/agent/reports", body: report, timeout: Self.requestTimeout)
        guard response.status == 200 else { throw response.failure("/v1/agent/reports") }
        return try decode(ReportAck.self, response, "/v1/agent/reports")
    }

    /// `POST /v1/agent/renew`: a new certificate for the key in the CSR.
    public func renew(_ request: RenewRequest) async throws(AgentError) -> CertificateResponse {
        let response = try await send("POST", "/v1/agent/renew", body: request, timeout: Self.requestTimeout)
        guard response.status == 200 else { throw response.failure("/v1/agent/renew") }
        return try decode(CertificateResponse.self, response, "/v1/agent/renew")
    }

    /// Closes the connections; requests still in flight fail.
    public func shutdown() async {
        do {
            try await http.shutdown()
        } catch {
            logger.debug("HTTP client shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    private func send<Body: Encodable>(_ method: String, _ path: String, body: Body?, timeout seconds: Int64) async throws(AgentError)
        -> HubResponse
    {
        let baseURL = endpoints.current
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            do {
                request.body = .bytes(try JSONCoding.encode(body))
            } catch {
                throw AgentError(code: .invalidResponse, message: "cannot encode the body of \(method) \(path): \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let answer: HubResponse
        do {
            let response = try await http.execute(request, timeout: .seconds(seconds), logger: logger)
            let data = try await response.body.collect(upTo: Self.maximumResponseSize)
            answer = HubResponse(status: Int(response.status.code), body: Data(data.readableBytesView), url: baseURL)
        } catch {
            let failure = ConnectionFailure.describe(error, url: baseURL)
            moveOn(from: baseURL, because: failure)
            throw AgentError(code: .hubUnavailable, message: "\(method) \(path): \(failure)")
        }
        if answer.status >= 500 || answer.status == 429 { moveOn(from: baseURL, because: "HTTP \(answer.status)") }
        return answer
    }

    /// Sends the next calls to another replica when there is one.
    private func moveOn(from url: String, because reason: String) {
        guard endpoints.urls.count > 1 else { return }
        let next = endpoints.failed(url)
        if next != url { logger.notice("hub replica unavailable; trying the next", metadata: ["from": "\(url)", "to": "\(next)", "reason": "\(reason)"]) }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HubResponse, _ path: String) throws(AgentError) -> T {
        do {
            return try JSONCoding.decode(type, from: response.body)
        } catch {
            throw AgentError(code: .invalidResponse, message: "the hub's answer to \(path) is not a \(type): \(error)", status: response.status)
        }
    }
}

/// A hub answer: status and body.
struct HubResponse: Sendable {
    /// The HTTP status code.
    var status: Int
    /// The body as received.
    var body: Data
    /// The replica that answered.
    var url: String

    /// The hub's `{"error": {...}}` as `code: message (field)`, or the raw body.
    var errorText: String {
        if let error = try? JSONCoding.decode(APIErrorBody.self, from: body).error {
            return "\(error.code): \(error.message)" + (error.field.map { " (field \($0))" } ?? "")
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)"
    }

    /// The error for an unexpected status of `path`.
    func failure(_ path: String) -> AgentError {
        switch status {
        case 401, 403:
            AgentError(
                code: .notAuthorized,
                message: "the hub refused \(path) with \(status) (certificate revoked or cluster deleted from the hub?): \(errorText)",
                status: status)
        case 408, 429, 500...:
            AgentError(code: .hubUnavailable, message: "the hub at \(url) answered \(path) with \(status): \(errorText)", status: status)
        default:
            AgentError(code: .hubRejected, message: "the hub rejected \(path) with \(status): \(errorText)", status: status)
        }
    }
}
