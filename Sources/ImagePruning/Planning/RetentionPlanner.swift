import Foundation
import RegistryModel

/// Decides, without touching a registry or a clock, which manifests a prune keeps and which it
/// deletes (domain.md "Pruning", step 2).
///
/// A manifest is kept when (a) it is younger than `keepYoungerThan` (`young`), (b) it is among
/// the repository's `keepTagRevisions` newest tagged manifests (`revisions`), (c) an image
/// reference names its digest (`referenced`), (d) a kept list/index contains it (`index`), or
/// (e) a tag that is in use points at it (`tagInUse`); the first of these that holds is the rule
/// reported. Revisions count tagged manifests only: a multi-arch image is one revision, and its
/// per-platform manifests follow their index.
public enum RetentionPlanner {
    /// Plans every repository; `blobs` assumes every candidate is deleted.
    public static func plan(inventory: [RepositoryInventory], references: ImagesInUse, options: RetentionOptions) -> PrunePlan {
        let repositories = inventory.map { plan(repository: $0, references: references, options: options) }
        let deleted = Dictionary(repositories.map { ($0.repository, Set($0.candidates)) }, uniquingKeysWith: { $0.union($1) })
        return PrunePlan(repositories: repositories, blobs: BlobAccounting.after(deleting: deleted, from: inventory))
    }

    /// Plans one repository.
    public static func plan(repository: RepositoryInventory, references: ImagesInUse, options: RetentionOptions) -> RepositoryPlan {
        let manifests = repository.manifests
        let cutoff = options.youngCutoff
        let tagged = Set(repository.tags.values).filter { manifests[$0] != nil }
        let newestFirst = tagged.sorted { lhs, rhs in
            let left = manifests[lhs]?.created ?? .distantPast
            let right = manifests[rhs]?.created ?? .distantPast
            return left != right ? left > right : lhs < rhs
        }
        let revisions = Set(newestFirst.prefix(max(0, options.keepTagRevisions)))
        let referencedDigests = references.digests[repository.name] ?? []
        let usedTags = references.tags[repository.name] ?? []
        let digestsOfUsedTags = Set(repository.tags.filter { usedTags.contains($0.key) }.map(\.value))

        var kept: [String: PruneRule] = [:]
        var inKeptIndex: Set<String> = []
        for manifest in manifests.values {
            if let created = manifest.created, created > cutoff {
                kept[manifest.digest] = .young
            } else if revisions.contains(manifest.digest) {
                kept[manifest.digest] = .revisions
            } else if referencedDigests.contains(manifest.digest) {
                kept[manifest.digest] = .referenced
            } else if digestsOfUsedTags.contains(manifest.digest) {
                kept[manifest.digest] = .tagInUse
            }
        }
        // Every child of a kept index is kept, down nested indexes.
        var pending = Array(kept.keys)
        while let digest = pending.popLast() {
            for child in manifests[digest]?.children ?? [] where manifests[child] != nil && !inKeptIndex.contains(child) {
                inKeptIndex.insert(child)
                pending.append(child)
            }
        }
        for digest in inKeptIndex {
            switch kept[digest] {
            case .young?, .revisions?, .referenced?: continue
            default: kept[digest] = .index
            }
        }
        let candidates = deletionOrder(manifests.keys.filter { kept[$0] == nil }, manifests: manifests)
        return RepositoryPlan(repository: repository.name, tagsAtPlanning: repository.tags, kept: kept, candidates: candidates)
    }

    /// Orders digests so that every list/index precedes every manifest it contains (a
    /// topological order); otherwise by digest, for a stable order.
    static func deletionOrder(_ digests: [String], manifests: [String: ManifestRecord]) -> [String] {
        let set = Set(digests)
        var childrenOf: [String: Set<String>] = [:]
        var parentCount: [String: Int] = [:]
        for digest in digests {
            let children = Set(manifests[digest]?.children ?? []).intersection(set).subtracting([digest])
            childrenOf[digest] = children
            for child in children { parentCount[child, default: 0] += 1 }
        }
        var ready = digests.filter { parentCount[$0, default: 0] == 0 }.sorted()
        var order: [String] = []
        var next = 0
        while next < ready.count {
            let digest = ready[next]
            next += 1
            order.append(digest)
            for child in (childrenOf[digest] ?? []).sorted() {
                parentCount[child, default: 0] -= 1
                if parentCount[child] == 0 { ready.append(child) }
            }
        }
        return order
    }
}
