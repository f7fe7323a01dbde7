import Foundation

/// What one `regfleet prune` run found and did. Stored on the cluster (ImagePruner
/// `status.lastRun`), carried to the hub in agent reports, and summed fleet-wide.
public struct PruneReport: Codable, Hashable, Sendable {
    /// Unique per run, so that a report forwarded twice is stored once.
    public var runID: String
    public var registryURL: String
    public var dryRun: Bool
    public var startedAt: Date
    public var finishedAt: Date
    public var repositoriesScanned: Int
    public var manifestsScanned: Int
    /// Manifests kept, by the first rule that kept them: `young`, `revisions`, `referenced`,
    /// `index`, `tagInUse`.
    public var keptByRule: [String: Int]
    /// Manifests deleted (or, in a dry run, that would be).
    public var deleted: Int
    /// Blobs no longer referenced by any kept manifest, and their bytes: what a registry garbage
    /// collection reclaims.
    public var unreferencedBlobs: Int
    public var reclaimableBytes: Int64
    /// Errors per repository; a run with any error exits non-zero.
    public var errors: [PruneError]

    public init(
        runID: String = UUID().uuidString.lowercased(), registryURL: String, dryRun: Bool, startedAt: Date, finishedAt: Date,
        repositoriesScanned: Int = 0, manifestsScanned: Int = 0, keptByRule: [String: Int] = [:], deleted: Int = 0,
        unreferencedBlobs: Int = 0, reclaimableBytes: Int64 = 0, errors: [PruneError] = []
    ) {
        self.runID = runID
        self.registryURL = registryURL
        self.dryRun = dryRun
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.repositoriesScanned = repositoriesScanned
        self.manifestsScanned = manifestsScanned
        self.keptByRule = keptByRule
        self.deleted = deleted
        self.unreferencedBlobs = unreferencedBlobs
        self.reclaimableBytes = reclaimableBytes
        self.errors = errors
    }

    /// Manifests kept by any rule.
    public var kept: Int { SaturatingSum.of(keptByRule.values) }

    /// True when the run finished without errors.
    public var succeeded: Bool { errors.isEmpty }

    /// Wall time of the run in seconds.
    public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }
}

/// One failure during a prune, scoped to a repository when it has one.
public struct PruneError: Codable, Hashable, Sendable {
    public var repository: String?
    public var message: String
    public init(repository: String? = nil, message: String) {
        self.repository = repository
        self.message = message
    }
}

/// The retention rules, as named in reports.
public enum PruneRule: String, Codable, Sendable, CaseIterable {
    case young
    case revisions
    case referenced
    case index
    case tagInUse
}
