import Foundation

/// What one reconcile did and when to look again.
public struct ReconcileResult: Sendable, Hashable {
    /// Mutating API calls made (object writes and status updates); zero when nothing differed.
    public var writes: Int
    /// The planned actions, for logs and tests.
    public var actions: [KubeAction]
    /// Look again after this many seconds even without events; nil means the periodic resync.
    public var requeueAfter: TimeInterval?
    /// The error the status reports, if any.
    public var error: OperatorError?

    public init(writes: Int, actions: [KubeAction], requeueAfter: TimeInterval?, error: OperatorError?) {
        self.writes = writes
        self.actions = actions
        self.requeueAfter = requeueAfter
        self.error = error
    }
}
