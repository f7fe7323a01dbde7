import KubeClient
import Logging

/// Performs planned writes, one call each, and keeps going after a failure so that one broken
/// object does not block the others.
///
/// A write that loses a race with another writer (409 Conflict on update, AlreadyExists on
/// create) is re-planned against a fresh read and retried, as client-go's `RetryOnConflict`
/// does; such a conflict is routine and logged at debug level. Only a write that finally fails
/// is a warning.
struct ActionExecutor {
    let api: any KubernetesAPI
    let logger: Logger
    /// The desired objects by key, to re-plan a write after a conflict; actions on other keys
    /// (deletions) are not retried.
    var desired: [ObjectKey: DesiredObject] = [:]
    /// Attempts per action, the first included.
    static let maxAttempts = 3

    /// The outcome of a batch of actions.
    struct Outcome {
        var writes = 0
        var results: [ObjectKey: KubeObject] = [:]
        var errors: [(KubeAction, any Error)] = []
    }

    func execute(_ actions: [KubeAction]) async -> Outcome {
        var outcome = Outcome()
        for action in actions {
            var attempt = 1
            var next: KubeAction? = action
            while let step = next {
                next = nil
                outcome.writes += 1
                do {
                    if let result = try await perform(step) { outcome.results[step.key] = result }
                    logger.info("applied", metadata: ["action": "\(step)", "attempt": "\(attempt)"])
                } catch let error as KubeError where Self.isLostRace(error) && attempt < Self.maxAttempts && desired[step.key] != nil {
                    attempt += 1
                    logger.debug("write lost a race with another writer; retrying on the current object", metadata: ["action": "\(step)", "error": "\(error)"])
                    do {
                        next = try await replan(step.key)
                    } catch {
                        logger.warning("apply failed", metadata: ["action": "\(step)", "error": "\(error)"])
                        outcome.errors.append((step, error))
                    }
                } catch {
                    logger.warning("apply failed", metadata: ["action": "\(step)", "error": "\(error)", "attempts": "\(attempt)"])
                    outcome.errors.append((step, error))
                }
            }
        }
        return outcome
    }

    /// One API call; the stored object for creates and updates.
    private func perform(_ action: KubeAction) async throws -> KubeObject? {
        switch action {
        case .create(let key, let object):
            return try await api.create(key.resource, object)
        case .update(let key, let object):
            return try await api.update(key.resource, object)
        case .delete(let key):
            do {
                try await api.delete(key.resource, namespace: key.namespace, name: key.name, options: DeleteOptions())
            } catch let error as KubeError where error.code == .notFound {
                // Already gone: the goal is reached.
            }
            return nil
        }
    }

    /// The write that brings the object as it is now to the desired one, or nil when the other
    /// writer already did.
    private func replan(_ key: ObjectKey) async throws -> KubeAction? {
        guard let want = desired[key] else { return nil }
        let current = try await api.getIfExists(key.resource, namespace: key.namespace, name: key.name)
        return ApplyPlanner.plan(desired: [want], absent: [], observed: current.map { [key: $0] } ?? [:]).first
    }

    private static func isLostRace(_ error: KubeError) -> Bool {
        error.code == .conflict || error.code == .alreadyExists
    }
}
