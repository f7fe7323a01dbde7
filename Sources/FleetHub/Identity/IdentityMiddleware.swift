import FleetPKI
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// Turns the verified client certificate into the request's `Caller`.
///
/// The TLS layer already refused certificates that do not chain to the fleet CA; this middleware
/// reads the identity from the certificate's URI SAN, refuses revoked serials and deleted
/// clusters (401), and leaves requests without a certificate anonymous for the routes that allow
/// it. Parsed certificates are cached by their DER bytes, so a keep-alive agent costs one parse.
public struct IdentityMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext
    let services: HubServices
    let cache: PeerCertificateCache

    public init(services: HubServices, cache: PeerCertificateCache = PeerCertificateCache()) {
        self.services = services
        self.cache = cache
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var serial: String?
        do {
            let peer = try await peer(of: context)
            serial = peer?.serialHex
            context.caller = try await caller(for: peer)
            context.logger[metadataKey: "caller"] = "\(context.caller)"
            if case .agent(let cluster, _) = context.caller { context.logger[metadataKey: "cluster"] = "\(cluster)" }
            let response = try await next(request, context)
            record(request, status: Int(response.status.code), serial: serial)
            return response
        } catch {
            record(request, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), serial: serial)
            throw error
        }
    }

    /// Keeps what the request already holds (its head's path and method, the parsed serial): no parsing and
    /// no new strings on the hot path.
    private func record(_ request: Request, status: Int, serial: String?) {
        services.recentRequests.record(RecentRequests.Entry(at: services.clock.now(), method: request.method, target: request.head.path ?? "", status: status, serial: serial))
    }

    /// The parsed client certificate, or nil when the caller presented none.
    func peer(of context: Context) async throws -> PeerCertificate? {
        guard let channel = context.channel,
            let certificate = try? await channel.nioSSL_peerCertificate().get()
        else { return nil }
        return try cache.peer(der: try certificate.toDERBytes())
    }

    func caller(for peer: PeerCertificate?) async throws -> Caller {
        guard let peer else { return .anonymous }
        if services.store.isRevoked(peer.serialHex) {
            throw HubError(.unauthenticated, "certificate \(peer.serialHex) has been revoked")
        }
        if peer.notAfter < services.clock.now() {
            throw HubError(.unauthenticated, "certificate \(peer.serialHex) expired at \(peer.notAfter)")
        }
        switch peer.identity {
        case .cluster(let name):
            if services.isDeleted(cluster: name) {
                throw HubError(.unauthenticated, "cluster \"\(name)\" was deleted from the hub; enroll it again with a new token")
            }
            await services.confirmRenewal(cluster: name, serial: peer.serialHex)
            return .agent(cluster: name, serial: peer.serialHex)
        case .admin(let name):
            return .admin(name: name, serial: peer.serialHex)
        case .hub:
            throw HubError(.forbidden, "the hub's own certificate cannot be used as a client")
        }
    }
}

/// Parsed peer certificates by DER bytes, bounded: when full, one entry (an arbitrary one) makes room.
///
/// Clearing everything when full, as this cache once did, made a fleet just above the capacity re-parse every
/// agent's certificate over and over; evicting one entry keeps every other agent's parse. The capacity holds
/// 30,000 clusters with a renewed certificate each beside their current one (about 1 KiB an entry).
public final class PeerCertificateCache: Sendable {
    private let entries = Mutex<[[UInt8]: PeerCertificate]>([:])
    private let capacity: Int

    public init(capacity: Int = 65_536) { self.capacity = max(1, capacity) }

    func peer(der: [UInt8]) throws -> PeerCertificate {
        if let cached = entries.withLock({ $0[der] }) { return cached }
        let parsed: PeerCertificate
        do {
            parsed = try PeerCertificate(derBytes: der)
        } catch {
            throw HubError(.unauthenticated, "client certificate carries no fleet identity: \(error.message)")
        }
        entries.withLock { entries in
            if entries.count >= capacity, entries[der] == nil { entries.remove(at: entries.startIndex) }
            entries[der] = parsed
        }
        return parsed
    }
}
