import Foundation
import KubeClient
import Logging
import RegistryModel

extension FleetAgent {
    /// Watches `resource` (Config or ImagePruner) with a `Reflector` (list, then watch; resume after a dropped
    /// stream, re-list after 410) and wakes the apply loop as soon as the singleton is deleted or stops carrying
    /// the held policy's hub-owned fields, so a hand edit or a deletion is repaired within moments rather than at
    /// the next resync. Works the same on a real API server and on the simulator.
    func driftWatchLoop(_ resource: ResourceType) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                for try await event in Reflector(api: kubernetes, resource: resource).events() {
                    failures = 0
                    guard event.object.metadata.name == RegistryNames.singleton else { continue }
                    noticeChange(event, of: resource)
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.debug("the drift watch failed", metadata: ["resource": "\(resource)", "error": "\(error)"])
            }
            guard await pause(backoff(max(failures, 1)), on: configuration.clock) else { return }
        }
    }

    /// Wakes the apply loop when `event` shows the singleton no longer carrying the held policy.
    private func noticeChange(_ event: WatchEvent, of resource: ResourceType) {
        guard let desired, event.type != .bookmark else { return }
        var holds = false
        if event.type != .deleted {
            do {
                if resource == .configs {
                    holds = PolicyConformance.registryHolds(desired.registry, try event.object.decode(as: Config.self))
                } else {
                    holds = PolicyConformance.prunerHolds(desired.pruner, try event.object.decode(as: ImagePruner.self))
                }
            } catch {
                // An object the typed model cannot read cannot carry the policy; the apply reports why.
                holds = false
            }
        }
        let section = resource == .configs ? desired.registry != nil : desired.pruner != nil
        guard section, !holds else { return }
        logger.info(
            "\(resource.kind)/\(RegistryNames.singleton) no longer carries the hub's policy; restoring it",
            metadata: ["event": "\(event.type)", "generation": "\(desired.generation)"])
        driftNoticed = true
        applyWake.signal()
    }
}
