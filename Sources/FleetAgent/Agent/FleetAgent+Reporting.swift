import FleetModel
import Foundation
import Logging
import RegistryModel

extension FleetAgent {
    /// Queues a report at start and every `reportInterval`; reports double as the hub's heartbeats.
    func heartbeatLoop() async {
        while !Task.isCancelled {
            await enqueueReport()
            guard await pause(configuration.reportInterval, on: configuration.clock) else { return }
        }
    }

    /// Observes the cluster and queues the report durably, then wakes delivery. While the cluster's API server
    /// cannot be reached the agent still reports (the report is the hub's heartbeat): the last good observation,
    /// marked `clusterAPIUnreachable`, so the hub shows Unreachable rather than Offline. Other failures are
    /// recorded and the next heartbeat tries again.
    /// With `onlyIfChanged` nothing is queued when the observation matches the last report queued.
    func enqueueReport(onlyIfChanged: Bool = false) async {
        guard let queue else { return }
        do throws(AgentError) {
            let report = try await observeForReport()
            if onlyIfChanged, let last = lastQueuedReport, last.showsSameState(as: report) { return }
            let queued = try await queue.enqueue(report)
            lastQueuedReport = report
            failures.clear("report")
            current.lastQueuedSequence = queued.sequence
            current.queueLength = try await queue.count()
            if let summarized = queued.summarizedReports, summarized > 0 {
                logger.warning("report queue full: oldest reports folded into the newest", metadata: ["sequence": "\(queued.sequence)", "summarizedReports": "\(summarized)"])
            }
            deliveryWake.signal()
        } catch {
            _ = failures.record("report", error.description)
            logger.warning("queueing a report failed", metadata: ["error": "\(error)"])
        }
    }

    /// A fresh observation, or the unreachable report while the API server cannot be reached; logs when an
    /// outage starts and ends.
    private func observeForReport() async throws(AgentError) -> AgentReport {
        do throws(AgentError) {
            let report = try await reportBuilder.observe(desired: desired)
            if let since = clusterAPIUnreachableSince {
                logger.info("the cluster's API server is reachable again", metadata: ["unreachableSince": "\(RFC3339.format(since))"])
                clusterAPIUnreachableSince = nil
                failures.clear("cluster API")
            }
            lastObservation = report
            return report
        } catch where error.code == .clusterAPIUnreachable {
            let since = clusterAPIUnreachableSince ?? configuration.clock.now()
            if clusterAPIUnreachableSince == nil {
                logger.warning("cannot reach the cluster's API server; reporting that to the hub", metadata: ["error": "\(error.message)"])
                clusterAPIUnreachableSince = since
            }
            _ = failures.record("cluster API", error.message)
            return reportBuilder.unreachable(since: since, message: error.message, last: lastObservation)
        }
    }

    /// Sends queued reports oldest first; each leaves the queue only after the hub's acknowledgement. Failures
    /// keep the report and back off with jitter.
    func deliveryLoop() async {
        while !Task.isCancelled {
            guard let queue, let client else { return }
            let report: AgentReport?
            do throws(AgentError) {
                report = try await queue.oldest()
            } catch {
                _ = failures.record("delivery", error.description)
                guard await pause(backoff(failureCount("delivery")), on: configuration.clock) else { return }
                continue
            }
            guard let report else {
                _ = await deliveryWake.wait(timeout: configuration.reportInterval, on: configuration.clock)
                continue
            }
            let generation = clientGeneration
            do throws(AgentError) {
                let ack = try await client.report(report)
                guard ack.sequence == report.sequence else {
                    throw AgentError(code: .invalidResponse, message: "the hub acknowledged sequence \(ack.sequence) for report \(report.sequence)")
                }
                try await queue.acknowledge(sequence: report.sequence)
                failures.clear("delivery")
                current.lastAckedSequence = report.sequence
                current.queueLength = try await queue.count()
            } catch {
                if Task.isCancelled { return }
                if generation != clientGeneration { continue }
                await hubCallFailed("delivery", error)
            }
        }
    }

    /// Records a failed hub call, logs it (as an error when the hub refuses the certificate) and backs off.
    func hubCallFailed(_ activity: String, _ error: AgentError) async {
        let attempt = failures.record(activity, error.description)
        let delay = backoff(attempt)
        var metadata: Logger.Metadata = ["error": "\(error)", "attempt": "\(attempt)", "retryIn": "\(String(format: "%.2f", delay))s"]
        metadata["status"] = error.status.map { "\($0)" }
        if error.code == .notAuthorized {
            logger.error("the hub refuses this agent's certificate: it was revoked or the cluster was deleted from the hub", metadata: metadata)
        } else {
            logger.warning("\(activity) failed", metadata: metadata)
        }
        await pause(delay, on: configuration.clock)
    }
}
