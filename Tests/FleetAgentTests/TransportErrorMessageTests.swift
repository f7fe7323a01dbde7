import FleetAgent
import FleetClient
import FleetPKI
import FleetStore
import Foundation
import RegistryModel
import Testing

/// Failed connections reach people as one line naming the endpoint and the cause, never as NIO or BoringSSL
/// internals, from the agent's hub client and the CLI's hub connection alike (real failing connections on loopback).
struct TransportErrorMessageTests {
    /// Words that mean an internal error description leaked through.
    static let internals = ["errno", "NIOSSL", "BoringSSL", "error set", "handshakeFailed", "sslError"]

    /// A port nothing listens on (and none of this process's outgoing connections can be using).
    static func refusedURL() async throws -> String {
        "https://127.0.0.1:\(try LoopbackPort.restartable())"
    }

    /// A refused connection is "cannot connect to https://host:port: connection refused", reported at once; the
    /// CLI's hub connection adds the hint to check the hub.
    @Test func refusedConnectionIsOneLine() async throws {
        let url = try await Self.refusedURL()
        let expected = "cannot connect to \(url): connection refused"
        let agentMessage = await Self.agentFailure(url: url, caPEM: try TestCredentials().ca.certificatePEM)
        #expect(agentMessage.hasSuffix(expected), "\(agentMessage)")
        let started = ContinuousClock.now
        let cliMessage = await Self.connectionFailure(url: url, caPEM: try TestCredentials().ca.certificatePEM)
        #expect(cliMessage == expected + "; is the hub running at \(url)?")
        #expect(ContinuousClock.now - started < .seconds(5), "a refused connection is reported at once, not after the connect timeout")
        for word in Self.internals {
            #expect(!agentMessage.contains(word) && !cliMessage.contains(word), "\(word)")
        }
    }

    /// A server whose certificate another CA signed fails the handshake with a sentence saying so.
    @Test func certificateFromAnotherCAIsOneLine() async throws {
        let hub = try await RealHub()
        let host = try #require(URL(string: hub.url)).host ?? ""
        let port = try #require(URL(string: hub.url)?.port)
        let expected = "TLS handshake with \(host):\(port) failed: the server's certificate is not signed by the configured CA"
        let foreign = try TestCredentials().ca.certificatePEM
        let agentMessage = await Self.agentFailure(url: hub.url, caPEM: foreign)
        let cliMessage = await Self.connectionFailure(url: hub.url, caPEM: foreign)
        await hub.tearDown()
        #expect(agentMessage.contains(expected), "\(agentMessage)")
        #expect(cliMessage.hasPrefix(expected), "\(cliMessage)")
        for word in Self.internals {
            #expect(!agentMessage.contains(word) && !cliMessage.contains(word), "\(word)")
        }
    }

    /// The agent's error for a call to `url` trusting `caPEM`.
    static func agentFailure(url: String, caPEM: String) async -> String {
        guard let client = try? HubClient(baseURL: url, caCertificatePEM: caPEM, credential: nil, logger: quietLogger) else { return "no client" }
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.desired(after: 0, timeout: 1)
            return "no error"
        } catch {
            #expect(error.code == .hubUnavailable)
            return error.message
        }
    }

    /// The CLI connection's error for a call to `url` trusting `caPEM`.
    static func connectionFailure(url: String, caPEM: String) async -> String {
        guard let connection = try? HubConnection(baseURL: url, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil) else {
            return "no connection"
        }
        defer { Task { await connection.shutdown() } }
        do {
            _ = try await connection.send(.GET, "/healthz")
            return "no error"
        } catch let error as HubClientError {
            #expect(error.code == "transport")
            return error.description
        } catch {
            return "\(error)"
        }
    }
}
