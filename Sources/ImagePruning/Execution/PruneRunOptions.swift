import RegistryModel

/// What one prune run does, apart from where the registry is and which images are in use.
public struct PruneRunOptions: Sendable, Hashable {
    /// Keep this many of each repository's newest tagged images.
    public var keepTagRevisions: Int
    /// Keep images younger than this.
    public var keepYoungerThan: GoDuration
    /// Delete for real; otherwise a dry run that changes nothing.
    public var confirm: Bool
    /// Repositories scanned or pruned at the same time.
    public var repositoryConcurrency: Int

    public init(
        keepTagRevisions: Int = 3, keepYoungerThan: GoDuration = GoDuration(nanoseconds: 3_600_000_000_000), confirm: Bool = false,
        repositoryConcurrency: Int = 8
    ) {
        self.keepTagRevisions = keepTagRevisions
        self.keepYoungerThan = keepYoungerThan
        self.confirm = confirm
        self.repositoryConcurrency = repositoryConcurrency
    }
}
