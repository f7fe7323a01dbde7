/// Points where tests (and only tests, in practice) can act while a prune runs: to push or
/// re-tag an image between planning and deleting, or to stop the registry mid-run.
public struct PruneHooks: Sendable {
    /// After the plan is made, before anything is re-checked or deleted.
    public var afterPlanning: @Sendable (PrunePlan) async -> Void
    /// Before a repository's candidates are re-checked and deleted (confirm runs only).
    public var beforeDeleting: @Sendable (_ repository: String) async -> Void

    public init(
        afterPlanning: @escaping @Sendable (PrunePlan) async -> Void = { _ in },
        beforeDeleting: @escaping @Sendable (_ repository: String) async -> Void = { _ in }
    ) {
        self.afterPlanning = afterPlanning
        self.beforeDeleting = beforeDeleting
    }
}

/// How far a run is, for a progress line on a terminal.
public struct PruneProgress: Sendable, Hashable {
    /// The stage a run is in.
    public enum Phase: String, Sendable, Hashable {
        case scanning
        case deleting
    }

    /// Scanning or deleting.
    public var phase: Phase
    /// Repositories finished in this phase.
    public var done: Int
    /// Repositories in this phase.
    public var total: Int

    public init(phase: Phase, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}
