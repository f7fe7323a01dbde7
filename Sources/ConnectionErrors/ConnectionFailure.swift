import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Turns a failed HTTPS connection into one sentence for people, naming the endpoint and the cause.
///
/// SwiftNIO, NIOSSL and AsyncHTTPClient describe failures in their own terms (`connection reset (error set):
/// Connection refused (errno: 111)`, `handshakeFailed(sslError([Error: 268435581 …CERTIFICATE_VERIFY_FAILED…]))`),
/// which reach logs, reports and the CLI unchanged unless mapped. This is the one place that mapping lives: the
/// agent's hub client, the CLI's hub connection and the Kubernetes REST client all use it.
public enum ConnectionFailure {
    /// One line for `error`, raised by a request to `url` (`https://host:port/...`): e.g. "cannot connect to
    /// https://host:port: connection refused" or "TLS handshake with host:port failed: the server's certificate is
    /// not signed by the configured CA".
    public static func describe(_ error: any Error, url: String) -> String {
        let endpoint = Endpoint(url: url)
        if let cause = connectCause(error, host: endpoint.host) { return "cannot connect to \(endpoint.origin): \(cause)" }
        if let cause = TLSFailure.cause(error, host: endpoint.host) { return "TLS handshake with \(endpoint.hostPort) failed: \(cause)" }
        if let cause = exchangeCause(error) { return "\(endpoint.origin) \(cause)" }
        return "request to \(endpoint.origin) failed: \(error)"
    }

    /// True when no connection could be made at all (refused, unresolvable, unreachable, timed out), as
    /// opposed to a failure after connecting.
    public static func isConnectFailure(_ error: any Error) -> Bool {
        connectCause(error, host: "") != nil
    }

    /// Why a TCP connection could not be made, or nil when `error` is not a connection failure.
    static func connectCause(_ error: any Error, host: String) -> String? {
        switch error {
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first { return connectCause(first.error, host: host) ?? "\(first.error)" }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil { return "cannot resolve the host name \(host)" }
            return nil
        case let io as IOError:
            return errnoCause(io.errnoCode)
        case let channel as ChannelError:
            guard case .connectTimeout(let amount) = channel else { return nil }
            return "no answer within \(amount.nanoseconds / 1_000_000_000)s"
        case let client as HTTPClientError where client == .connectTimeout:
            return "no answer within the connect timeout"
        default:
            return nil
        }
    }

    /// A sentence for the errno of a failed socket call.
    static func errnoCause(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "the connection was reset"
        case EHOSTUNREACH: return "no route to the host"
        case ENETUNREACH: return "the network is unreachable"
        case ETIMEDOUT: return "the connection timed out"
        case EADDRNOTAVAIL: return "the address is not available"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// What went wrong after connecting (timeouts, closed connections), or nil.
    static func exchangeCause(_ error: any Error) -> String? {
        if let client = error as? HTTPClientError {
            switch client {
            case .readTimeout, .deadlineExceeded, .writeTimeout: return "did not answer in time"
            case .remoteConnectionClosed: return "closed the connection before answering"
            case .tlsHandshakeTimeout: return "did not complete the TLS handshake in time"
            case .cancelled: return "request was cancelled"
            default: return nil
            }
        }
        if let channel = error as? ChannelError, channel == .eof || channel == .ioOnClosedChannel || channel == .outputClosed {
            return "closed the connection"
        }
        return nil
    }
}

/// The parts of a base URL that messages name.
struct Endpoint {
    /// `https://host:port`, without a path.
    var origin: String
    /// The host as written (without IPv6 brackets).
    var host: String
    /// `host:port`.
    var hostPort: String

    init(url: String) {
        let components = URLComponents(string: url)
        let scheme = components?.scheme ?? "https"
        host = components?.host ?? url
        let port = components?.port ?? (scheme == "http" ? 80 : 443)
        let shownHost = host.contains(":") ? "[\(host)]" : host
        hostPort = "\(shownHost):\(port)"
        origin = "\(scheme)://\(hostPort)"
    }
}
