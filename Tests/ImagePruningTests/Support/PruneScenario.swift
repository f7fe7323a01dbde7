import Foundation
import ImagePruning
import RegistryModel

/// The images most pruner tests push, and what the rules (keep 2 revisions, keep younger than
/// 60 minutes) must make of them:
///
/// `team/app`: a1 v1 (10 d, deleted), a2 v2 (9 d, referenced by digest), a3 v3+stable (8 d, tag
/// `stable` in use), a4 v4 (7 d, deleted), a5 v5 (2 d, deleted: third newest), a6 v6 (1 d,
/// revisions), a7 v7 (30 min, young).
/// `team/multi`: index I `latest` over c1, c2 (5 d, revisions; children by index), index J `old`
/// over d1, d2 (20 d, deleted with its children), e1 `e` (30 d, own layer, deleted), f1 `f` (3 d,
/// revisions).
/// `team/lone`: l1 `only` (100 d, revisions: the only image).
struct PruneScenario {
    var images: [String: SyntheticImagePusher.PushedImage] = [:]
    var domain: String

    static let keepTagRevisions = 2
    static let deletedNames = ["a1", "a4", "a5", "J", "d1", "d2", "e1"]
    static let keptNames = ["a2", "a3", "a6", "a7", "I", "c1", "c2", "f1", "l1"]

    /// The rule each kept image must be reported under.
    static let expectedRules: [String: PruneRule] = [
        "a2": .referenced, "a3": .tagInUse, "a6": .revisions, "a7": .young, "I": .revisions, "c1": .index, "c2": .index, "f1": .revisions,
        "l1": .revisions,
    ]

    /// Which repository each image is in.
    static func repository(of name: String) -> String {
        switch name.first {
        case "a": return "team/app"
        case "l": return "team/lone"
        default: return "team/multi"
        }
    }

    /// Pushes every image.
    static func push(into fixture: RegistryFixture) async throws -> PruneScenario {
        var scenario = PruneScenario(domain: fixture.domain)
        let pusher = fixture.pusher
        let layers = [Fixtures.sharedLayer]
        let app = "team/app"
        let appImages: [(String, String, Date)] = [
            ("a1", "v1", Fixtures.daysAgo(10)), ("a2", "v2", Fixtures.daysAgo(9)), ("a3", "v3", Fixtures.daysAgo(8)), ("a4", "v4", Fixtures.daysAgo(7)),
            ("a5", "v5", Fixtures.daysAgo(2)), ("a6", "v6", Fixtures.daysAgo(1)), ("a7", "v7", Fixtures.minutesAgo(30)),
        ]
        for (name, tag, created) in appImages {
            scenario.images[name] = try await pusher.pushImage(repository: app, tag: tag, created: created, name: name, layers: layers)
        }
        try await pusher.tag(repository: app, tag: "stable", digest: scenario.images["a3"]!.digest)

        let multi = "team/multi"
        for (name, architecture, created) in [("c1", "amd64", 5.0), ("c2", "arm64", 5.0), ("d1", "amd64", 20.0), ("d2", "arm64", 20.5)] {
            scenario.images[name] = try await pusher.pushImage(
                repository: multi, tag: nil, created: Fixtures.daysAgo(created), name: name, layers: layers, architecture: architecture)
        }
        scenario.images["I"] = try await pusher.pushIndex(repository: multi, tag: "latest", images: [scenario.images["c1"]!, scenario.images["c2"]!])
        scenario.images["J"] = try await pusher.pushIndex(
            repository: multi, tag: "old", images: [scenario.images["d1"]!, scenario.images["d2"]!], oci: true)
        scenario.images["e1"] = try await pusher.pushImage(
            repository: multi, tag: "e", created: Fixtures.daysAgo(30), name: "e1", layers: layers + [Data("e1 only layer\n".utf8)])
        scenario.images["f1"] = try await pusher.pushImage(repository: multi, tag: "f", created: Fixtures.daysAgo(3), name: "f1", layers: layers, oci: true)

        scenario.images["l1"] = try await pusher.pushImage(repository: "team/lone", tag: "only", created: Fixtures.daysAgo(100), name: "l1", layers: layers)
        return scenario
    }

    /// The digest of a named image.
    func digest(_ name: String) -> String { images[name]!.digest }

    /// References as a cluster would hold them: a digest reference to a2, tag `stable` in use,
    /// and references to other registries that must not count.
    var references: [ImageReferenceOccurrence] {
        [
            ImageReferenceOccurrence(image: "\(domain)/team/app@\(digest("a2"))", source: "pod shop/web container app"),
            ImageReferenceOccurrence(image: "\(domain)/team/app:stable", source: "deployment shop/api container api"),
            ImageReferenceOccurrence(image: "nginx:latest", source: "daemonset kube-system/proxy container nginx"),
            ImageReferenceOccurrence(image: "quay.example.com:5000/team/app@\(digest("a4"))", source: "job shop/old container x"),
        ]
    }

    /// What pruning the scenario must free: every deleted manifest, the configs of deleted
    /// images, and e1's own layer (the shared layer stays referenced).
    var expectedReclaim: BlobAccounting {
        var blobs = 0
        var bytes: Int64 = 0
        for name in Self.deletedNames {
            let image = images[name]!
            blobs += 1
            bytes += image.manifestSize
            if let config = image.config {
                blobs += 1
                bytes += config.size
            }
        }
        let ownLayer = images["e1"]!.layers.last!
        return BlobAccounting(unreferencedBlobs: blobs + 1, reclaimableBytes: bytes + ownLayer.size)
    }

    /// Options for a run at `Fixtures.now`.
    static func options(confirm: Bool, concurrency: Int = 8) -> PruneRunOptions {
        PruneRunOptions(keepTagRevisions: keepTagRevisions, keepYoungerThan: GoDuration(nanoseconds: 3_600_000_000_000), confirm: confirm, repositoryConcurrency: concurrency)
    }

    /// The images in use as the registry at `domain` sees them.
    func imagesInUse() throws -> ImagesInUse {
        try ImagesInUse.resolve(references, registryDomains: [domain], ignoreInvalid: false).images
    }
}
