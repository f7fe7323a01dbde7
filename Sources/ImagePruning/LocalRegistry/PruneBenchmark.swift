import Foundation
import Logging
import RegistryModel

/// `regfleet bench prune`: a throwaway registry filled with synthetic images, then a timed
/// dry-run plan with its registry requests counted.
public enum PruneBenchmark {
    /// The figures of one benchmark run.
    public struct Result: Sendable, Hashable, Codable {
        public var repositories: Int
        public var manifests: Int
        /// Wall time to push every image.
        public var pushSeconds: Double
        /// Wall time of the dry run (scan and plan).
        public var planSeconds: Double
        /// Every request of the dry run.
        public var requests: Int
        /// Of those, ping, catalog pages and tag-list pages.
        public var listingRequests: Int
        /// Manifests the plan would keep and delete.
        public var kept: Int
        public var candidates: Int
        /// `(requests - listingRequests) / manifests`.
        public var requestsPerManifest: Double { manifests == 0 ? 0 : Double(requests - listingRequests) / Double(manifests) }
    }

    /// Runs the benchmark against a fresh `docker-registry` from `binary`.
    public static func run(
        repositories: Int, manifests: Int, binary: String = LocalDockerRegistry.defaultBinary, logger: Logger = Logger(label: "bench")
    ) async throws -> Result {
        guard repositories > 0, manifests >= repositories else {
            throw RegistryError(code: .invalidArgument, message: "--manifests must be at least --repositories, and --repositories at least 1")
        }
        let registry = try await LocalDockerRegistry.start(binary: binary, logger: logger)
        do {
            let result = try await measure(registry: registry, repositories: repositories, manifests: manifests, logger: logger)
            await registry.stop()
            return result
        } catch {
            await registry.stop()
            throw error
        }
    }

    private static func measure(registry: LocalDockerRegistry, repositories: Int, manifests: Int, logger: Logger) async throws -> Result {
        let now = Date()
        let names = (0..<repositories).map { String(format: "bench/app-%04d", $0) }
        let pushClient = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint, maxConcurrentRequests: 16))
        let pushStart = ContinuousClock.now
        do {
            try await push(names: names, manifests: manifests, now: now, client: pushClient, logger: logger)
            try await pushClient.shutdown()
        } catch {
            try? await pushClient.shutdown()
            throw error
        }
        let pushSeconds = seconds(since: pushStart)
        logger.info("images pushed", metadata: ["manifests": "\(manifests)", "seconds": "\(pushSeconds)"])

        let client = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint))
        let planStart = ContinuousClock.now
        let report = await RegistryPruner(client: client, clock: SystemWallClock(), logger: logger)
            .run(images: .none, options: PruneRunOptions(keepTagRevisions: 3, confirm: false))
        let planSeconds = seconds(since: planStart)
        let requests = client.requestCount
        try await client.shutdown()
        guard report.succeeded else {
            throw RegistryError(code: .badResponse, message: "benchmark dry run failed: \(report.errors.map(\.message).joined(separator: "; "))")
        }
        let pageSize = client.configuration.pageSize
        let listing = 1 + max(1, (repositories + pageSize - 1) / pageSize) + repositories
        return Result(
            repositories: repositories, manifests: report.manifestsScanned, pushSeconds: pushSeconds, planSeconds: planSeconds, requests: requests,
            listingRequests: listing, kept: report.kept, candidates: report.deleted)
    }

    /// Spreads `manifests` images over the repositories, each with a distinct config and
    /// `created` time (one minute apart, all older than the default keep-younger-than), sharing
    /// three layers.
    private static func push(names: [String], manifests: Int, now: Date, client: RegistryV2Client, logger: Logger) async throws {
        let pusher = SyntheticImagePusher(client: client)
        let layers = (0..<3).map { Data("regfleet benchmark layer \($0)\n".utf8) }
        let perRepository = manifests / names.count
        let extra = manifests % names.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            for (position, name) in names.enumerated() {
                let count = perRepository + (position < extra ? 1 : 0)
                if started >= 16 { try await group.next() }
                started += 1
                group.addTask {
                    for revision in 0..<count {
                        let created = now.addingTimeInterval(-7200 - Double(revision) * 60)
                        try await pusher.pushImage(
                            repository: name, tag: "build-\(revision)", created: created, name: "\(name):\(revision)", layers: layers)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
