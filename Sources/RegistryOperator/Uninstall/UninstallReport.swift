/// What an uninstall removed and what it deliberately kept.
public struct UninstallReport: Sendable, Hashable {
    /// Objects deleted, as `kind/[namespace/]name`, in order.
    public var removed: [String] = []
    /// Objects kept, each with the reason (retained storage and the namespace that holds it).
    public var kept: [String] = []

    public init(removed: [String] = [], kept: [String] = []) {
        self.removed = removed
        self.kept = kept
    }
}
