import Foundation
import RegistryModel

extension FleetAgent {
    /// Reports once the operator has finished the pass that followed a write of the policy, so a new policy is
    /// confirmed with the conditions it leads to rather than a heartbeat later, and after every other pass whose
    /// outcome (conditions, readiness, generations, prune run) differs from the last report queued, so the hub
    /// sees a condition change when it happens. Passes that change nothing cost one read and queue nothing.
    func passReportLoop() async {
        while !Task.isCancelled {
            guard await passes.finishedWake.wait(timeout: 3600, on: configuration.clock) else { continue }
            if Task.isCancelled { return }
            let finished = passes.latest
            if let after = confirmAfterPass, finished > after {
                confirmAfterPass = nil
                await enqueueReport()
            } else {
                await enqueueReport(onlyIfChanged: true)
            }
        }
    }

    /// Asks the operator for a pass after a write of the policy and has the report that confirms it wait for that
    /// pass: passes numbered above the count read here started after the write.
    func reportAfterNextPass() async {
        confirmAfterPass = await operatorController.passes
        operatorController.trigger()
    }
}
