/// Audit actions the store writes itself, alongside the change they describe.
public enum AuditAction {
    /// A bootstrap token was created.
    public static let tokenCreate = "token.create"
    /// An unused bootstrap token was revoked (deleted) by an admin.
    public static let tokenRevoke = "token.revoke"
    /// A cluster enrolled with a token.
    public static let clusterEnroll = "cluster.enroll"
    /// A cluster's labels were replaced.
    public static let clusterLabels = "cluster.labels"
    /// A cluster was deleted and its certificates revoked.
    public static let clusterDelete = "cluster.delete"
    /// A certificate serial was revoked.
    public static let certificateRevoke = "certificate.revoke"
    /// A cluster's policy changed generation.
    public static let policyUpdate = "policy.update"
    /// A policy was staged for a cluster that has not enrolled; its enrollment applies it.
    public static let policyStage = "policy.stage"
    /// An admin changed the policy of a cluster that an active rollout holds, with `force`.
    public static let policyForce = "policy.force"
    /// A rollout was created.
    /// A fleet policy was created or changed.
    public static let fleetPolicyApply = "fleetpolicy.apply"
    /// A fleet policy was deleted.
    public static let fleetPolicyDelete = "fleetpolicy.delete"
    /// A change freeze was set or changed.
    public static let freezeSet = "freeze.set"
    /// A change freeze was lifted.
    public static let freezeDelete = "freeze.delete"
    public static let rolloutCreate = "rollout.create"
    /// A rollout was paused, resumed, aborted or rolled back by an admin.
    public static let rolloutControl = "rollout.control"
}
