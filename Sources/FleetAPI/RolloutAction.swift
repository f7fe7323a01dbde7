/// What an admin can do to a running rollout: `POST /v1/rollouts/{id}/{action}`, one operation each.
public enum RolloutAction: String, Sendable, CaseIterable {
    case pause, resume, abort, rollback
}
