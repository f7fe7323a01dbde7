import FleetPKI
import Foundation
import Hummingbird
import NIOCore
import NIOSSL
import RegistryModel

/// The four agent endpoints, answering as the hub does: JSON bodies, errors as `{"error": {...}}`.
extension TestHub {
    func enroll(_ request: Request, _ context: TestHubContext) async throws -> Response {
        let body: EnrollRequest
        do {
            body = try StrictJSON.decode(EnrollRequest.self, from: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
        } catch {
            return record("/v1/enroll", nil, Self.error(.unprocessableContent, "invalid", "\(error)"))
        }
        let verdict = state.withLock { state -> (HTTPResponse.Status, String)? in
            guard let cluster = state.tokens[body.token] else { return (.unauthorized, "unknown bootstrap token") }
            guard !state.usedTokens.contains(body.token) else { return (.conflict, "bootstrap token already used") }
            guard cluster == body.cluster else { return (.forbidden, "the token is for cluster \(cluster), not \(body.cluster)") }
            state.usedTokens.insert(body.token)
            return nil
        }
        if let (status, message) = verdict {
            return record("/v1/enroll", nil, Self.error(status, status == .conflict ? "conflict" : "forbidden", message))
        }
        let lifetime = state.withLock { $0.enrollLifetime }
        return record("/v1/enroll", nil, try issue(for: body.cluster, csrPEM: body.csr, lifetime: lifetime))
    }

    func desired(_ request: Request, _ context: TestHubContext) async throws -> Response {
        let caller: Caller
        switch try await identify(context) {
        case .refused(let response): return record("/v1/agent/desired", nil, response)
        case .agent(let agent): caller = agent
        }
        let after = request.uri.queryParameters.get("after", as: Int64.self) ?? -1
        let timeout = request.uri.queryParameters.get("timeout", as: Double.self) ?? 30
        func newer() -> PolicyDocument? {
            let document = state.withLock { $0.policies[caller.cluster] } ?? PolicyDocument(cluster: caller.cluster, generation: 0, policy: FleetPolicy())
            return document.generation > after ? document : nil
        }
        if newer() == nil { await notifier.wait(cluster: caller.cluster, timeout: timeout) }
        if state.withLock({ $0.refusedClusters.contains(caller.cluster) }) {
            return record("/v1/agent/desired", caller.serial, Self.error(.forbidden, "forbidden", "cluster \(caller.cluster) was deleted"))
        }
        guard let document = newer() else { return record("/v1/agent/desired", caller.serial, Response(status: .notModified)) }
        return record("/v1/agent/desired", caller.serial, try Self.json(document))
    }

    func report(_ request: Request, _ context: TestHubContext) async throws -> Response {
        let caller: Caller
        switch try await identify(context) {
        case .refused(let response): return record("/v1/agent/reports", nil, response)
        case .agent(let agent): caller = agent
        }
        let report: AgentReport
        do {
            report = try StrictJSON.decode(AgentReport.self, from: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
        } catch {
            return record("/v1/agent/reports", caller.serial, Self.error(.unprocessableContent, "invalid", "\(error)"))
        }
        let duplicate = state.withLock { state -> Bool in
            if state.stored[caller.cluster]?[report.sequence] != nil {
                state.duplicates += 1
                return true
            }
            state.stored[caller.cluster, default: [:]][report.sequence] = report
            return false
        }
        return record("/v1/agent/reports", caller.serial, try Self.json(ReportAck(sequence: report.sequence, duplicate: duplicate)))
    }

    func renew(_ request: Request, _ context: TestHubContext) async throws -> Response {
        let caller: Caller
        switch try await identify(context) {
        case .refused(let response): return record("/v1/agent/renew", nil, response)
        case .agent(let agent): caller = agent
        }
        let body = try StrictJSON.decode(RenewRequest.self, from: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
        let lifetime = state.withLock { $0.renewLifetime }
        return record("/v1/agent/renew", caller.serial, try issue(for: caller.cluster, csrPEM: body.csr, lifetime: lifetime))
    }

    struct Caller {
        var cluster: String
        var serial: String
    }

    enum Identification {
        case agent(Caller)
        case refused(Response)
    }

    /// The cluster from the verified client certificate, never from the request.
    private func identify(_ context: TestHubContext) async throws -> Identification {
        guard let certificate = try await context.channel.nioSSL_peerCertificate().get() else {
            return .refused(Self.error(.unauthorized, "unauthenticated", "a client certificate is required"))
        }
        let peer = try PeerCertificate(derBytes: certificate.toDERBytes())
        guard case .cluster(let cluster) = peer.identity else {
            return .refused(Self.error(.forbidden, "forbidden", "\(peer.identity) is not an agent"))
        }
        if state.withLock({ $0.refusedClusters.contains(cluster) }) {
            return .refused(Self.error(.forbidden, "forbidden", "cluster \(cluster) was deleted"))
        }
        return .agent(Caller(cluster: cluster, serial: peer.serialHex))
    }

    private func issue(for cluster: String, csrPEM: String, lifetime: TimeInterval) throws -> Response {
        let issued = try ca.issueClientCertificate(for: .cluster(cluster), csrPEM: csrPEM, now: Date().addingTimeInterval(-60), lifetime: lifetime)
        return try Self.json(
            CertificateResponse(cluster: cluster, certificate: issued.pem, caCertificate: ca.certificatePEM, serial: issued.serialHex, notAfter: issued.notAfter))
    }

    private func record(_ path: String, _ serial: String?, _ response: Response) -> Response {
        state.withLock { $0.requests.append(RequestRecord(path: path, at: Date(), serial: serial, status: Int(response.status.code))) }
        return response
    }

    static func json(_ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encode(value))))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        var response = (try? json(APIErrorBody(code: code, message: message))) ?? Response(status: status)
        response.status = status
        return response
    }
}
