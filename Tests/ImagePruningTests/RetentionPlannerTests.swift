import Foundation
import ImagePruning
import RegistryModel
import Testing

/// The retention rules as a pure function: inventories in, decisions out, no registry.
@Suite struct RetentionPlannerTests {
    /// A fake digest for a short name, so cases read as names.
    static func d(_ name: String) -> String { "sha256:" + name.padding(toLength: 64, withPad: "0", startingAt: 0) }

    /// An image manifest created `days` ago.
    static func image(_ name: String, days: Double?, blobs: [BlobReference] = []) -> ManifestRecord {
        ManifestRecord(digest: d(name), mediaType: ManifestMediaType.dockerManifest, created: days.map(Fixtures.daysAgo), size: 100, blobs: blobs)
    }

    /// An index over children, created as its newest child.
    static func index(_ name: String, days: Double, children: [String]) -> ManifestRecord {
        ManifestRecord(
            digest: d(name), mediaType: ManifestMediaType.ociIndex, created: Fixtures.daysAgo(days), size: 50, children: children.map(d))
    }

    /// One planner case.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var manifests: [ManifestRecord]
        /// tag → image name
        var tags: [String: String]
        var keepTagRevisions = 1
        var keepYoungerThanMinutes: Int64 = 60
        var referencedDigests: [String] = []
        var usedTags: [String] = []
        /// image name → rule
        var kept: [String: PruneRule]
        /// image names in deletion order
        var candidates: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "nothing protected: newest revision kept, the rest deleted oldest-independent",
            manifests: [image("a", days: 3), image("b", days: 2), image("c", days: 1)], tags: ["1": "a", "2": "b", "3": "c"],
            kept: ["c": .revisions], candidates: ["a", "b"]),
        Case(
            name: "young beats revisions as the reported rule",
            manifests: [image("a", days: 3), image("b", days: 0.01)], tags: ["1": "a", "2": "b"], kept: ["b": .young], candidates: ["a"]),
        Case(
            name: "keepYoungerThan 0 makes nothing young",
            manifests: [image("a", days: 0.01), image("b", days: 0.001)], tags: ["1": "a", "2": "b"], keepYoungerThanMinutes: 0,
            kept: ["b": .revisions], candidates: ["a"]),
        Case(
            name: "keepTagRevisions 0 keeps only what else holds",
            manifests: [image("a", days: 3), image("b", days: 2)], tags: ["1": "a", "2": "b"], keepTagRevisions: 0, kept: [:],
            candidates: ["a", "b"]),
        Case(
            name: "digest reference keeps an old image",
            manifests: [image("a", days: 9), image("b", days: 1)], tags: ["1": "a", "2": "b"], referencedDigests: ["a"],
            kept: ["a": .referenced, "b": .revisions], candidates: []),
        Case(
            name: "in-use tag keeps what it points at; other tags on the same image do not matter",
            manifests: [image("a", days: 9), image("b", days: 1)], tags: ["old": "a", "alias": "a", "new": "b"], usedTags: ["old"],
            kept: ["a": .tagInUse, "b": .revisions], candidates: []),
        Case(
            name: "unused tag gives no protection",
            manifests: [image("a", days: 9), image("b", days: 1)], tags: ["old": "a", "new": "b"], usedTags: ["missing"],
            kept: ["b": .revisions], candidates: ["a"]),
        Case(
            name: "kept index keeps its children; a revision counts the index once",
            manifests: [image("x1", days: 2), image("x2", days: 2), index("X", days: 2, children: ["x1", "x2"]), image("o", days: 5)],
            tags: ["multi": "X", "single": "o"], kept: ["X": .revisions, "x1": .index, "x2": .index], candidates: ["o"]),
        Case(
            name: "deleted index goes before its children",
            manifests: [image("y1", days: 8), image("y2", days: 8), index("Y", days: 8, children: ["y1", "y2"]), image("n", days: 1)],
            tags: ["old": "Y", "new": "n"], kept: ["n": .revisions], candidates: ["Y", "y1", "y2"]),
        Case(
            name: "child shared by a kept and a deleted index is kept",
            manifests: [
                image("s", days: 8), image("p", days: 8), image("q", days: 1), index("K", days: 1, children: ["s", "q"]),
                index("D", days: 8, children: ["s", "p"]),
            ],
            tags: ["keep": "K", "drop": "D"], kept: ["K": .revisions, "s": .index, "q": .index], candidates: ["D", "p"]),
        Case(
            name: "referenced child is reported as referenced, not index",
            manifests: [image("z1", days: 8), index("Z", days: 8, children: ["z1"]), image("w", days: 1)],
            tags: ["z": "Z", "w": "w"], referencedDigests: ["z1"], kept: ["w": .revisions, "z1": .referenced], candidates: ["Z"]),
        Case(
            name: "in-use tag on an index keeps its children under index",
            manifests: [image("m1", days: 8), index("M", days: 8, children: ["m1"]), image("w", days: 1)],
            tags: ["m": "M", "w": "w"], usedTags: ["m"], kept: ["w": .revisions, "M": .tagInUse, "m1": .index], candidates: []),
        Case(
            name: "unknown created time orders oldest",
            manifests: [image("u", days: nil), image("k", days: 400)], tags: ["u": "u", "k": "k"], kept: ["k": .revisions], candidates: ["u"]),
    ]

    /// Each case keeps exactly the expected images under the expected rule and deletes the rest
    /// in the expected order.
    @Test(arguments: cases) func plan(_ case: Case) {
        let inventory = RepositoryInventory(name: "team/app", tags: `case`.tags.mapValues(Self.d), manifests: `case`.manifests)
        let references = ImagesInUse(
            digests: `case`.referencedDigests.isEmpty ? [:] : ["team/app": Set(`case`.referencedDigests.map(Self.d))],
            tags: `case`.usedTags.isEmpty ? [:] : ["team/app": Set(`case`.usedTags)])
        let options = RetentionOptions(
            keepTagRevisions: `case`.keepTagRevisions, keepYoungerThan: GoDuration(nanoseconds: `case`.keepYoungerThanMinutes * 60_000_000_000),
            now: Fixtures.now)
        let plan = RetentionPlanner.plan(repository: inventory, references: references, options: options)
        #expect(plan.kept == Dictionary(uniqueKeysWithValues: `case`.kept.map { (Self.d($0.key), $0.value) }))
        #expect(plan.candidates == `case`.candidates.map(Self.d))
        #expect(plan.tagsAtPlanning == inventory.tags)
    }

    /// References to other repositories with the same digest or tag do not protect anything.
    @Test func referencesAreScopedToTheirRepository() {
        let inventory = RepositoryInventory(
            name: "team/app", tags: ["v1": Self.d("a"), "v2": Self.d("b")], manifests: [Self.image("a", days: 9), Self.image("b", days: 1)])
        let references = ImagesInUse(digests: ["team/other": [Self.d("a")]], tags: ["team/other": ["v1"]])
        let plan = RetentionPlanner.plan(repository: inventory, references: references, options: RetentionOptions(keepTagRevisions: 1, now: Fixtures.now))
        #expect(plan.candidates == [Self.d("a")])
    }

    /// The fleet plan sums rules and candidates over repositories and accounts blobs across them.
    @Test func fleetPlanSumsRepositories() {
        let shared = BlobReference(digest: Self.d("layer"), size: 1000)
        let own = BlobReference(digest: Self.d("own"), size: 10)
        let first = RepositoryInventory(
            name: "one", tags: ["1": Self.d("a"), "2": Self.d("b")], manifests: [Self.image("a", days: 9, blobs: [shared, own]), Self.image("b", days: 1)])
        let second = RepositoryInventory(name: "two", tags: ["1": Self.d("c")], manifests: [Self.image("c", days: 9, blobs: [shared])])
        let plan = RetentionPlanner.plan(inventory: [first, second], references: .none, options: RetentionOptions(keepTagRevisions: 1, now: Fixtures.now))
        #expect(plan.manifestsScanned == 3)
        #expect(plan.candidateCount == 1)
        #expect(plan.keptByRule == [.revisions: 2])
        // a's manifest (100 bytes) and its own layer; the shared layer is still held by c.
        #expect(plan.blobs == BlobAccounting(unreferencedBlobs: 2, reclaimableBytes: 110))
    }
}
