import KubeClient
import Logging

/// Performs planned writes, one call each, and keeps going after a failure so that one broken
/// object does not block the others.
struct ActionExecutor {
    let api: any KubernetesAPI
    let logger: Logger

    /// The outcome of a batch of actions.
    struct Outcome {
        var writes = 0
        var results: [ObjectKey: KubeObject] = [:]
        var errors: [(KubeAction, any Error)] = []
    }

    func execute(_ actions: [KubeAction]) async -> Outcome {
        var outcome = Outcome()
        for action in actions {
            outcome.writes += 1
            do {
                switch action {
                case .create(let key, let object):
                    outcome.results[key] = try await api.create(key.resource, object)
                case .update(let key, let object):
                    outcome.results[key] = try await api.update(key.resource, object)
                case .delete(let key):
                    do {
                        try await api.delete(key.resource, namespace: key.namespace, name: key.name, options: DeleteOptions())
                    } catch let error as KubeError where error.code == .notFound {
                        // Already gone: the goal is reached.
                    }
                }
                logger.info("applied", metadata: ["action": "\(action)"])
            } catch {
                logger.warning("apply failed", metadata: ["action": "\(action)", "error": "\(error)"])
                outcome.errors.append((action, error))
            }
        }
        return outcome
    }
}
