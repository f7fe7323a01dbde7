import FleetClient
import FleetPKI
import Foundation
import Logging
import NIOHTTP1
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
    private let transport: HubTransport
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
        // A hub that does not accept within the transport's connect timeout is unavailable; the agent's loops
        // own the retry policy (backoff with jitter, the next replica).
        var options = HubTransport.Options()
        // A held long poll is cut when the agent stops or rotates its certificate; do not wait NIOSSL's default
        // 5 s for the hub's close_notify on such a connection.
        options.tlsShutdownTimeout = .milliseconds(250)
        options.maximumResponseBytes = Self.maximumResponseSize
        do {
            transport = try HubTransport(
                caCertificatePEM: caCertificatePEM, clientCertificatePEM: credential?.certificatePEM, clientKeyPEM: credential?.privateKeyPEM,
                options: options)
        } catch where error.input == .ca {
            throw AgentError(code: .invalidConfiguration, message: error.description, field: "ca-file")
        } catch {
            throw AgentError(code: .state, message: error.description)
        }
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
        await transport.shutdown()
    }

    private func send<Body: Encodable>(_ method: String, _ path: String, body: Body?, timeout seconds: Int64) async throws(AgentError)
        -> HubResponse
    {
        let baseURL = endpoints.current
        var data: Data?
        if let body {
            do {
                data = try JSONCoding.encode(body)
            } catch {
                throw AgentError(code: .invalidResponse, message: "cannot encode the body of \(method) \(path): \(error)")
            }
        }
        let answer: HubResponse
        do {
            let (status, received) = try await transport.send(
                HTTPMethod(rawValue: method), baseURL: baseURL, path: path, body: data, timeout: .seconds(seconds), logger: logger)
            answer = HubResponse(status: status, body: received, url: baseURL)
        } catch {
            moveOn(from: baseURL, because: error.description)
            throw AgentError(code: .hubUnavailable, message: "\(method) \(path): \(error.description)")
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
        let error = HubClientError(status: status, body: body)
        return error.code.hasPrefix("http_") && !body.isEmpty ? "HTTP \(status): \(error.message)" : error.summary
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
