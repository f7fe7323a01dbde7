import FleetModel
import Foundation
import RegistryModel

extension FleetAgent {
    /// Writes the held policy into the cluster now (at start with a cached policy), when a new one arrives, when
    /// the drift watch sees Config/ImagePruner deleted or edited, and every `resyncInterval` (a safety net should
    /// a watch event be missed), reverting hand edits of hub-owned fields; retried with backoff when the API fails.
    /// Needs no hub: this is how a cluster keeps its policy while the hub is unreachable.
    func applyLoop() async {
        var wait = configuration.resyncInterval
        while !Task.isCancelled {
            _ = await applyWake.wait(timeout: wait, on: configuration.clock)
            if Task.isCancelled { return }
            wait = await applyHeldPolicy() ? configuration.resyncInterval : min(backoff(failureCount("apply")), configuration.resyncInterval)
        }
    }

    /// One apply of the held policy; false when it failed.
    private func applyHeldPolicy() async -> Bool {
        guard let document = desired else { return true }
        let repairing = driftNoticed
        driftNoticed = false
        do {
            let result = try await applier.apply(document.policy)
            failures.clear("apply")
            let isNew = document.generation != current.appliedGeneration
            current.appliedGeneration = document.generation
            current.applies += 1
            let needsReport = document.generation != reportedGeneration || repairing
            reportedGeneration = document.generation
            if result.changed || isNew {
                // The confirming report waits for the operator's pass over what was just written: its
                // conditions are what the hub judges the new generation by.
                if needsReport { await reportAfterNextPass() } else { operatorController.trigger() }
            } else if needsReport {
                await enqueueReport()
            }
            if isNew {
                logger.info(
                    "policy applied",
                    metadata: ["generation": "\(document.generation)", "source": "\(current.policySource?.rawValue ?? "")", "wrote": "\(result.changed)"])
            }
            if repairing, result.changed {
                logger.info("restored the hub's policy", metadata: ["generation": "\(document.generation)"])
            }
            return true
        } catch {
            let attempts = failures.record("apply", error.description)
            logger.warning("applying the policy failed", metadata: ["generation": "\(document.generation)", "attempt": "\(attempts)", "error": "\(error)"])
            // The hub must learn that the cluster does not carry the policy, not wait for the next heartbeat.
            if repairing { await enqueueReport() }
            return false
        }
    }

    /// Caches a policy the hub sent and hands it to the apply loop; a policy for another cluster or an older
    /// generation is refused.
    func receive(_ document: PolicyDocument) throws(AgentError) {
        guard document.cluster == configuration.cluster else {
            throw AgentError(code: .invalidResponse, message: "the hub sent the policy of cluster \(document.cluster) to cluster \(configuration.cluster)")
        }
        if let desired, document.generation <= desired.generation { return }
        try state.storeDesired(document)
        desired = document
        bootstrap.hold(document.policy)
        current.desiredGeneration = document.generation
        current.policySource = .longPoll
        desiredStateWake.signal()
        logger.info("new policy from the hub", metadata: ["generation": "\(document.generation)", "updatedBy": "\(document.updatedBy ?? "")"])
        applyWake.signal()
    }

    /// Consecutive failures of `activity` so far.
    func failureCount(_ activity: String) -> Int {
        failures.count(activity)
    }
}
