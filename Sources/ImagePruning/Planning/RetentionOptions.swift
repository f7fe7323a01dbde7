import Foundation
import RegistryModel

/// The retention policy of one run, with "now" fixed so that planning is a pure function.
public struct RetentionOptions: Sendable, Hashable {
    /// How many of a repository's newest images are kept whatever else holds.
    public var keepTagRevisions: Int
    /// Images created less than this long ago are kept.
    public var keepYoungerThan: GoDuration
    /// The moment the run is measured against.
    public var now: Date

    public init(keepTagRevisions: Int = 3, keepYoungerThan: GoDuration = GoDuration(nanoseconds: 3_600_000_000_000), now: Date) {
        self.keepTagRevisions = keepTagRevisions
        self.keepYoungerThan = keepYoungerThan
        self.now = now
    }

    /// Images created after this instant count as young.
    public var youngCutoff: Date { now.addingTimeInterval(-keepYoungerThan.seconds) }
}
