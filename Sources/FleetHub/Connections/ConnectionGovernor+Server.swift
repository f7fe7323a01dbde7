import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

extension ConnectionGovernor {
    /// Builds a governor whose limit events go to the hub's metrics.
    convenience init(limits: ConnectionLimits, metrics: HubMetrics, logger: Logger) {
        self.init(limits: limits, logger: logger) { limit in metrics.recordConnectionLimit(limit) }
    }

    /// HTTP/1.1 with every connection guarded; with TLS when `tls` is given.
    func serverBuilder(tls: TLSConfiguration?, metrics: HubMetrics, logger: Logger) throws -> HTTPServerBuilder {
        let handlerFactory: @Sendable () -> [any RemovableChannelHandler] = { [self] in
            [ConnectionGuardHandler(tls: tls != nil, governor: self, logger: logger) { metrics.recordConnectionLimit($0) }]
        }
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: handlerFactory()))
        guard let tls else { return http1 }
        return try .tls(http1, tlsConfiguration: tls)
    }

    /// The listener configuration with the governor deciding when to accept.
    func applicationConfiguration(host: String, port: Int, serverName: String) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: serverName, backlog: 1024, availableConnectionsDelegate: acceptDelegate)
    }
}
