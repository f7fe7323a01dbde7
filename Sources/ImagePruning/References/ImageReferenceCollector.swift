import Foundation
import KubeClient
import Logging
import RegistryModel

/// Reads the images a cluster uses: every container and init container of Pods (Running or
/// Pending, or younger than `keepYoungerThan`), Deployments, DaemonSets, StatefulSets,
/// ReplicaSets, Jobs and CronJobs, in all namespaces.
///
/// Objects are read as JSON trees rather than typed resources, so that one object with a field
/// shape the typed models do not expect cannot stop a prune; only the image strings matter.
public struct ImageReferenceCollector: ImageReferenceProvider {
    let api: any KubernetesAPI
    let keepYoungerThan: GoDuration
    let clock: any WallClock
    let logger: Logger

    public init(api: any KubernetesAPI, keepYoungerThan: GoDuration, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "prune")) {
        self.api = api
        self.keepYoungerThan = keepYoungerThan
        self.clock = clock
        self.logger = logger
    }

    /// Where each kind keeps its pod spec.
    static let podSpecPaths: [(ResourceType, [String])] = [
        (.pods, ["spec"]),
        (.deployments, ["spec", "template", "spec"]),
        (.daemonSets, ["spec", "template", "spec"]),
        (.statefulSets, ["spec", "template", "spec"]),
        (.replicaSets, ["spec", "template", "spec"]),
        (.jobs, ["spec", "template", "spec"]),
        (.cronJobs, ["spec", "jobTemplate", "spec", "template", "spec"]),
    ]

    public func imageReferences() async throws -> [ImageReferenceOccurrence] {
        let cutoff = clock.now().addingTimeInterval(-keepYoungerThan.seconds)
        var occurrences: [ImageReferenceOccurrence] = []
        for (resource, specPath) in Self.podSpecPaths {
            let objects = try await api.listAll(resource, namespace: nil).items
            for object in objects {
                if resource == .pods, !Self.podCounts(object, cutoff: cutoff) { continue }
                let owner = "\(resource.kind.lowercased()) \(object.metadata.qualifiedName)"
                occurrences += Self.images(in: object.fields[specPath[0]]?[path: Array(specPath.dropFirst())], owner: owner)
            }
            logger.debug("listed image references", metadata: ["kind": "\(resource.kind)", "objects": "\(objects.count)"])
        }
        return occurrences
    }

    /// Pods that are running or about to, or that are recent enough that their image may be
    /// needed again soon.
    static func podCounts(_ pod: KubeObject, cutoff: Date) -> Bool {
        let phase = pod.status?["phase"]?.stringValue ?? "Pending"
        if phase == "Running" || phase == "Pending" { return true }
        guard let created = pod.metadata.creationTimestamp else { return true }
        return created > cutoff
    }

    /// The images of a pod spec's init containers and containers.
    static func images(in podSpec: JSONValue?, owner: String) -> [ImageReferenceOccurrence] {
        var found: [ImageReferenceOccurrence] = []
        for (list, label) in [("initContainers", "init container"), ("containers", "container")] {
            for container in podSpec?[list]?.arrayValue ?? [] {
                guard let image = container["image"]?.stringValue else { continue }
                let name = container["name"]?.stringValue ?? "?"
                found.append(ImageReferenceOccurrence(image: image, source: "\(owner) \(label) \(name)"))
            }
        }
        return found
    }
}
