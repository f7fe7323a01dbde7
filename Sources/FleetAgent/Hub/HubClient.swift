import FleetAPI
import FleetClient
import FleetModel
import FleetPKI
import Foundation
import Logging
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
        let refusal = { (answer: HubClientError) -> AgentError? in
            guard [401, 403, 409].contains(answer.status) else { return nil }
            return AgentError(code: .enrollmentRefused, message: "the hub refused enrollment of \(request.cluster): \(answer.errorText)", status: answer.status)
        }
        return try await call("/v1/enroll", refusal: refusal) { try await $0.enroll(body: .json(request)).ok.body.json }
    }

    /// `GET /v1/agent/desired?after=N&timeout=S`: the policy when the hub has a generation newer than `after`,
    /// nil when the hub held the poll for `timeout` seconds and answered 304.
    public func desired(after generation: Int64, timeout: TimeInterval) async throws(AgentError) -> PolicyDocument? {
        let seconds = max(1, Int(timeout.rounded()))
        return try await call("/v1/agent/desired?after=\(generation)&timeout=\(seconds)", timeout: Int64(seconds) + 15) { client in
            switch try await client.agentDesired(query: .init(after: Int(generation), timeout: seconds)) {
            case .ok(let answer): return try answer.body.json
            case .notModified: return nil
            case let other: throw HubClientError(status: 0, code: "invalid_response", message: "unexpected answer \(other)")
            }
        }
    }

    /// `POST /v1/agent/reports`: delivers one report; the hub stores each sequence once.
    public func report(_ report: AgentReport) async throws(AgentError) -> ReportAck {
        try await call("/v1/agent/reports") { try await $0.agentReport(body: .json(report)).ok.body.json }
    }

    /// `POST /v1/agent/renew`: a new certificate for the key in the CSR.
    public func renew(_ request: RenewRequest) async throws(AgentError) -> CertificateResponse {
        try await call("/v1/agent/renew") { try await $0.agentRenew(body: .json(request)).ok.body.json }
    }

    /// Closes the connections; requests still in flight fail.
    public func shutdown() async {
        await transport.shutdown()
    }

    /// One call of the generated client to the current replica. No answer or a 5xx/429 moves the endpoints
    /// on; the hub's errors become `AgentError`s with its message. `AgentError.status` is the HTTP status.
    private func call<Answer>(
        _ path: String, timeout seconds: Int64 = requestTimeout, refusal: (HubClientError) -> AgentError? = { _ in nil },
        _ call: (Client) async throws -> Answer
    ) async throws(AgentError) -> Answer {
        let baseURL = endpoints.current
        do {
            return try await transport.api(baseURL: baseURL, timeout: .seconds(seconds), call)
        } catch let error as HubClientError {
            if error.status >= 500 || error.status == 429 { moveOn(from: baseURL, because: "HTTP \(error.status)") }
            throw refusal(error) ?? error.agentError(path, url: baseURL)
        } catch let error as HubTransport.Failure {
            moveOn(from: baseURL, because: error.description)
            throw AgentError(code: .hubUnavailable, message: "\(path): \(error.description)")
        } catch {
            throw AgentError(code: .invalidResponse, message: "the hub's answer to \(path) is not what the API document says: \(error)")
        }
    }

    /// Sends the next calls to another replica when there is one.
    private func moveOn(from url: String, because reason: String) {
        guard endpoints.urls.count > 1 else { return }
        let next = endpoints.failed(url)
        if next != url { logger.notice("hub replica unavailable; trying the next", metadata: ["from": "\(url)", "to": "\(next)", "reason": "\(reason)"]) }
    }

}

extension HubClientError {
    /// The hub's `{"error": {...}}` as `code: message (field)`, or the raw body.
    var errorText: String { code.hasPrefix("http_") && message != "HTTP \(status)" ? "HTTP \(status): \(message)" : summary }

    /// The agent's error for this answer to `path`.
    func agentError(_ path: String, url: String) -> AgentError {
        switch status {
        case 0:
            AgentError(code: .invalidResponse, message: "\(path): \(message)")
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
