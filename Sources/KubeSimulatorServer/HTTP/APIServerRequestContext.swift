import Hummingbird
import NIOCore

/// The request context of the simulated API server: it keeps the connection so that the
/// authenticator can read the TLS peer certificate.
struct APIServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Objects are limited to about 1.5 MiB by etcd; 4 MiB leaves room for merge patches.
    var maxUploadSize: Int { 4 << 20 }
}
