import FleetClient
import FleetHub
import FleetPKI
import Foundation
import NIOCore
import NIOSSL
import RegistryModel
import Testing

/// The listener's connection limits against real misbehaving sockets on loopback (bounded in
/// count and time): each limit closes what it should, is counted in `/metrics`, and admins,
/// agents and health checks keep being served.
@Suite struct HubConnectionLimitTests {
    static func tight(maxConnections: Int = 64, reserved: Int = 8, handshake: TimeAmount = .milliseconds(500)) -> ConnectionLimits {
        ConnectionLimits(
            handshakeTimeout: handshake, requestHeadTimeout: .milliseconds(500), bodyTimeout: .milliseconds(500), idleTimeout: .seconds(2),
            maxConnections: maxConnections, reservedConnections: reserved)
    }

    static func adminTLS(_ hub: HubFixture) throws -> TLSConfiguration {
        let credential = try hub.pki.loadAdminCredential(name: "admin")
        return try RawPeer.tls(pki: hub.pki, credential: (credential.certificatePEM, credential.privateKeyPEM))
    }

    /// The count of one limit in the hub's Prometheus text (0 when not yet hit).
    static func limitCount(_ hub: HubFixture, _ limit: ConnectionLimit) -> Int {
        let prefix = #"regfleet_hub_connection_limit_total{limit="\#(limit.rawValue)"} "#
        let line = hub.services.metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    /// Sockets that never send a ClientHello, a request head that never ends and a body that
    /// never arrives are each closed by their own limit and counted, while an admin is served.
    @Test func silentAndSlowConnectionsAreClosed() async throws {
        try await withHub(connectionLimits: Self.tight()) { (hub: HubFixture) async throws in
            let port = hub.server.port
            var silent: [RawPeer] = []
            for _ in 0..<20 { silent.append(try await RawPeer.connect(port: port)) }
            let slowHead = try await RawPeer.connect(port: port, tls: try Self.adminTLS(hub))
            try await slowHead.send("GET /healthz HTTP/1.1\r\nHost: hub\r\n")
            let slowBody = try await RawPeer.connect(port: port, tls: try Self.adminTLS(hub))
            try await slowBody.send(
                "PUT /v1/clusters/edge/labels HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"lab")

            #expect(try await hub.admin.audit(limit: 1).count <= 1)
            try await waitUntil(timeout: .seconds(15)) { silent.allSatisfy(\.isClosed) && slowHead.isClosed && slowBody.isClosed }
            #expect(Self.limitCount(hub, .handshakeTimeout) >= 20)
            #expect(Self.limitCount(hub, .requestHeadTimeout) >= 1)
            #expect(Self.limitCount(hub, .bodyTimeout) >= 1)
            #expect(!slowBody.text.contains("200 OK"))
            #expect(try await hub.admin.health().total >= 0)
            #expect(try await hub.anonymous.send(.GET, "/healthz").status == 200)
        }
    }

    /// `body`, its error naming `what` failed.
    static func step<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw HubClientError(status: 0, code: "step", message: "\(what): \(error)")
        }
    }

    /// A Content-Length over the route's limit is answered 413 at once (the body timeout is 30 s
    /// here, so an answer within seconds was not waiting for it) and the connection is closed.
    @Test func declaredOversizedBodyGets413AtOnce() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.enroll("edge")
            let peer = try await RawPeer.connect(port: hub.server.port, tls: try Self.adminTLS(hub))
            try await peer.send(
                "PUT /v1/clusters/edge/labels HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}")
            try await waitUntil(timeout: .seconds(5)) { peer.isClosed }
            #expect(peer.text.hasPrefix("HTTP/1.1 413"), "\(peer.text)")
            #expect(peer.text.contains(#""code":"payload_too_large""#))
            #expect(try await hub.admin.cluster("edge").summary.labels == [:])
        }
    }

    /// With every ordinary connection held by silent sockets, a new admin connection and a
    /// health check are served from the reserve while a new agent connection is told 503; the
    /// cap is counted.
    @Test func reserveServesAdminsAndHealthChecks() async throws {
        try await withHub(connectionLimits: Self.tight(maxConnections: 8, reserved: 4, handshake: .seconds(30))) { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            let governor = hub.services.apiConnections
            // Only the silent sockets may fill the cap: the enrollment's pooled connections would close at
            // the 2 s idle timeout while the test runs and open a slot it expects to be taken.
            await agent.connection.shutdown()
            await hub.admin.connection.shutdown()
            try await waitUntil { governor.openConnections == 0 }
            var silent: [RawPeer] = []
            while governor.openConnections < 8 { silent.append(try await RawPeer.connect(port: hub.server.port)) }
            try await waitUntil { governor.openConnections >= 8 }

            let caPEM = try hub.pki.loadCACertificatePEM()
            let credential = try hub.pki.loadAdminCredential(name: "admin")
            let admin = hub.track(
                try HubConnection(baseURL: hub.baseURL, caCertificatePEM: caPEM, clientCertificatePEM: credential.certificatePEM, clientKeyPEM: credential.privateKeyPEM))
            #expect(try await Self.step("an admin from the reserve") { try await admin.send(.GET, "/v1/clusters") }.status == 200)
            let monitor = hub.track(try HubConnection(baseURL: hub.baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil))
            #expect(try await Self.step("a health check from the reserve") { try await monitor.send(.GET, "/healthz") }.status == 200)
            let newAgent = hub.track(
                try HubConnection(
                    baseURL: hub.baseURL, caCertificatePEM: caPEM, clientCertificatePEM: agent.certificate.certificate, clientKeyPEM: agent.keyPEM))
            let refused = try await Self.step("an agent at the cap") {
                try await newAgent.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(HubFixture.report(sequence: 1)))
            }
            #expect(refused.status == 503)
            #expect(HubConnection.error(status: refused.status, body: refused.body).message.contains("connection limit"))
            #expect(Self.limitCount(hub, .connectionCap) >= 3)

            for peer in silent { await peer.close() }
            try await waitUntil { governor.openConnections < 8 }
            let accepted = try await Self.step("the agent below the cap") {
                try await newAgent.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(HubFixture.report(sequence: 1)))
            }
            #expect(accepted.status == 200, "\(String(decoding: accepted.body, as: UTF8.self))")
        }
    }

    /// At maxConnections + reserve the listener stops accepting (the kernel's backlog holds new
    /// sockets) and resumes when a connection closes: a request made meanwhile completes then.
    @Test func acceptPausesAtTheHardCapAndResumes() async throws {
        try await withHub(connectionLimits: Self.tight(maxConnections: 4, reserved: 2, handshake: .seconds(30))) { (hub: HubFixture) async throws in
            let governor = hub.services.apiConnections
            var silent: [RawPeer] = []
            // One at a time: a socket connects (in the kernel's backlog) before the hub accepts it,
            // so connecting in a burst would leave extra sockets queued ahead of `waiting`.
            while governor.openConnections < 6 {
                let before = governor.openConnections
                silent.append(try await RawPeer.connect(port: hub.server.port))
                try await waitUntil { governor.openConnections > before }
            }
            let waiting = try await RawPeer.connect(port: hub.server.port, tls: try Self.adminTLS(hub))
            waiting.enqueue("GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n")
            try await waitUntil { Self.limitCount(hub, .acceptPaused) >= 1 }
            #expect(!waiting.text.contains("200 OK"))
            await silent[0].close()
            try await waitUntil(timeout: .seconds(10)) { waiting.text.contains("200 OK") }
            for peer in silent.dropFirst() { await peer.close() }
            await waiting.close()
        }
    }
}
