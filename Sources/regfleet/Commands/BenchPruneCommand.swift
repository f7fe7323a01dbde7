import ArgumentParser
import Foundation
import ImagePruning

/// `regfleet bench prune`: times a dry-run prune of synthetic images in a throwaway
/// `docker-registry` and counts its registry requests.
struct BenchPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Benchmark a dry-run prune against a local docker-registry (targets: < 30 s, ≤ 2 requests per manifest + listing)."
    )

    @Option(help: "Repositories to create.")
    var repositories: Int = 200

    @Option(help: "Manifests to push, spread over the repositories.")
    var manifests: Int = 10000

    @Option(name: .customLong("registry-binary"), help: "The distribution registry executable.")
    var registryBinary: String = LocalDockerRegistry.defaultBinary

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger("bench")
        let result = try await PruneBenchmark.run(repositories: repositories, manifests: manifests, binary: registryBinary, logger: logger)
        print("manifests            \(result.manifests)")
        print("repositories         \(result.repositories)")
        print("push seconds         " + String(format: "%.2f", result.pushSeconds))
        print("dry-run seconds      " + String(format: "%.2f", result.planSeconds))
        print("requests             \(result.requests) (listing \(result.listingRequests))")
        print("requests/manifest    " + String(format: "%.2f", result.requestsPerManifest) + " (excluding listing)")
        print("kept / would delete  \(result.kept) / \(result.candidates)")
    }
}
