import RegistryModel

/// The planner's decision for one repository.
public struct RepositoryPlan: Sendable, Hashable {
    /// `team/app`
    public var repository: String
    /// Tag → digest when the plan was made; the executor compares against it right before
    /// deleting.
    public var tagsAtPlanning: [String: String]
    /// Kept digests and the first rule that kept each.
    public var kept: [String: PruneRule]
    /// Digests to delete, each list/index before the manifests it contains, so a failure never
    /// leaves an index pointing at deleted children.
    public var candidates: [String]

    public init(repository: String, tagsAtPlanning: [String: String], kept: [String: PruneRule], candidates: [String]) {
        self.repository = repository
        self.tagsAtPlanning = tagsAtPlanning
        self.kept = kept
        self.candidates = candidates
    }
}

/// What a run would keep and delete, over every repository scanned.
public struct PrunePlan: Sendable, Hashable {
    /// One plan per repository, in catalog order.
    public var repositories: [RepositoryPlan]
    /// Blobs the candidates alone hold, if every candidate is deleted.
    public var blobs: BlobAccounting

    public init(repositories: [RepositoryPlan], blobs: BlobAccounting) {
        self.repositories = repositories
        self.blobs = blobs
    }

    /// Manifests looked at.
    public var manifestsScanned: Int { repositories.reduce(0) { $0 + $1.kept.count + $1.candidates.count } }

    /// Manifests kept, by rule.
    public var keptByRule: [PruneRule: Int] {
        var counts: [PruneRule: Int] = [:]
        for plan in repositories { for rule in plan.kept.values { counts[rule, default: 0] += 1 } }
        return counts
    }

    /// Manifests to delete.
    public var candidateCount: Int { repositories.reduce(0) { $0 + $1.candidates.count } }
}
