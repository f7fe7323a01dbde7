import Foundation
import ImagePruning
import RegistryModel

/// A real `docker-registry` on a kernel-chosen loopback port with its own temp storage, a client
/// and a pusher; `with` stops the registry however the test ends.
struct RegistryFixture: Sendable {
    let registry: LocalDockerRegistry
    let client: RegistryV2Client
    let pusher: SyntheticImagePusher

    /// The registry's `host:port`, as image references spell it.
    var domain: String { registry.endpoint.authority }

    /// Runs `body` against a fresh registry. A missing `/usr/bin/docker-registry` fails the test
    /// with `LocalDockerRegistry.start`'s message.
    static func with<T: Sendable>(pageSize: Int = 1000, _ body: (RegistryFixture) async throws -> T) async throws -> T {
        let registry = try await LocalDockerRegistry.start()
        let client: RegistryV2Client
        do {
            client = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint, pageSize: pageSize))
        } catch {
            await registry.stop()
            throw error
        }
        let fixture = RegistryFixture(registry: registry, client: client, pusher: SyntheticImagePusher(client: client))
        do {
            let result = try await body(fixture)
            try await client.shutdown()
            await registry.stop()
            return result
        } catch {
            try? await client.shutdown()
            await registry.stop()
            throw error
        }
    }

    /// Runs `body` with a second client (its own request counter), shut down however `body` ends.
    func withClient<T: Sendable>(pageSize: Int = 1000, _ body: (RegistryV2Client) async throws -> T) async throws -> T {
        let client = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint, pageSize: pageSize))
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// True when the manifest can still be read by digest.
    func exists(_ repository: String, _ digest: String) async throws -> Bool {
        try await client.manifestDigest(repository: repository, reference: digest) != nil
    }
}

/// Fixed times and layer contents shared by the tests.
enum Fixtures {
    /// "Now" for every prune in the tests.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    /// A layer most images share.
    static let sharedLayer = Data("shared layer\n".utf8)

    /// `now` minus some days.
    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    /// `now` minus some minutes.
    static func minutesAgo(_ minutes: Double) -> Date { now.addingTimeInterval(-minutes * 60) }
}
