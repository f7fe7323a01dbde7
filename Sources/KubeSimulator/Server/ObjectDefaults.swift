import KubeClient
import RegistryModel

/// The defaults the API server fills into every request body before validation and storage, so
/// a client that reads an object sees them and a reconciler must tolerate them. Applied on every
/// create and update; applying twice changes nothing, so a client that omits defaulted fields
/// makes a no-op update.
enum ObjectDefaults {
    /// Fills defaults for `resource` into `object`.
    static func apply(to object: inout KubeObject, _ resource: ResourceType, options: SimulationOptions) {
        switch resource {
        case .deployments:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "replicas", 1)
            setIfMissing(&spec, "revisionHistoryLimit", 10)
            setIfMissing(&spec, "progressDeadlineSeconds", .int(Int64(options.defaultProgressDeadlineSeconds)))
            var strategy = spec["strategy"] ?? .object([:])
            setIfMissing(&strategy, "type", "RollingUpdate")
            if strategy["type"]?.stringValue == "RollingUpdate" {
                var rolling = strategy["rollingUpdate"] ?? .object([:])
                setIfMissing(&rolling, "maxUnavailable", "25%")
                setIfMissing(&rolling, "maxSurge", "25%")
                strategy["rollingUpdate"] = rolling
            }
            spec["strategy"] = strategy
            defaultTemplate(&spec, restartPolicy: "Always")
            object.fields["spec"] = spec
        case .daemonSets:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "revisionHistoryLimit", 10)
            var strategy = spec["updateStrategy"] ?? .object([:])
            setIfMissing(&strategy, "type", "RollingUpdate")
            if strategy["type"]?.stringValue == "RollingUpdate" {
                var rolling = strategy["rollingUpdate"] ?? .object([:])
                setIfMissing(&rolling, "maxUnavailable", 1)
                setIfMissing(&rolling, "maxSurge", 0)
                strategy["rollingUpdate"] = rolling
            }
            spec["updateStrategy"] = strategy
            defaultTemplate(&spec, restartPolicy: "Always")
            object.fields["spec"] = spec
        case .statefulSets, .replicaSets:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "replicas", 1)
            defaultTemplate(&spec, restartPolicy: "Always")
            object.fields["spec"] = spec
        case .jobs:
            var spec = object.fields["spec"] ?? .object([:])
            defaultJobSpec(&spec)
            object.fields["spec"] = spec
        case .cronJobs:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "concurrencyPolicy", "Allow")
            setIfMissing(&spec, "suspend", false)
            setIfMissing(&spec, "successfulJobsHistoryLimit", 3)
            setIfMissing(&spec, "failedJobsHistoryLimit", 1)
            if var jobTemplate = spec["jobTemplate"], var jobSpec = jobTemplate["spec"] {
                defaultTemplate(&jobSpec, restartPolicy: nil)
                jobTemplate["spec"] = jobSpec
                spec["jobTemplate"] = jobTemplate
            }
            object.fields["spec"] = spec
        case .pods:
            var spec = object.fields["spec"] ?? .object([:])
            defaultPodSpec(&spec, restartPolicy: "Always")
            object.fields["spec"] = spec
        case .services:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "type", "ClusterIP")
            if spec["type"]?.stringValue != "ExternalName" {
                setIfMissing(&spec, "sessionAffinity", "None")
                setIfMissing(&spec, "internalTrafficPolicy", "Cluster")
            }
            if let ports = spec["ports"]?.arrayValue {
                spec["ports"] = .array(
                    ports.map { port in
                        var port = port
                        setIfMissing(&port, "protocol", "TCP")
                        if let number = port["port"] { setIfMissing(&port, "targetPort", number) }
                        return port
                    })
            }
            object.fields["spec"] = spec
        case .persistentVolumeClaims:
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "volumeMode", "Filesystem")
            object.fields["spec"] = spec
        case .secrets:
            setIfMissing(&object.fields, "type", "Opaque")
        case .namespaces:
            var labels = object.metadata.labels ?? [:]
            labels["kubernetes.io/metadata.name"] = object.metadata.name
            object.metadata.labels = labels
            var spec = object.fields["spec"] ?? .object([:])
            setIfMissing(&spec, "finalizers", ["kubernetes"])
            object.fields["spec"] = spec
        default:
            break
        }
    }

    /// The batch/v1 Job defaults (also used for Jobs a CronJob creates).
    static func defaultJobSpec(_ spec: inout JSONValue) {
        setIfMissing(&spec, "parallelism", 1)
        setIfMissing(&spec, "completions", 1)
        setIfMissing(&spec, "backoffLimit", 6)
        setIfMissing(&spec, "completionMode", "NonIndexed")
        setIfMissing(&spec, "suspend", false)
        defaultTemplate(&spec, restartPolicy: nil)
    }

    private static func defaultTemplate(_ spec: inout JSONValue, restartPolicy: String?) {
        guard var template = spec["template"] else { return }
        var podSpec = template["spec"] ?? .object([:])
        defaultPodSpec(&podSpec, restartPolicy: restartPolicy)
        template["spec"] = podSpec
        spec["template"] = template
    }

    private static func defaultPodSpec(_ spec: inout JSONValue, restartPolicy: String?) {
        if let restartPolicy { setIfMissing(&spec, "restartPolicy", .string(restartPolicy)) }
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        setIfMissing(&spec, "terminationGracePeriodSeconds", 30)
        setIfMissing(&spec, "securityContext", .object([:]))
        for group in ["containers", "initContainers"] {
            guard let containers = spec[group]?.arrayValue else { continue }
            spec[group] = .array(containers.map(defaultContainer))
        }
    }

    private static func defaultContainer(_ container: JSONValue) -> JSONValue {
        var container = container
        setIfMissing(&container, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&container, "terminationMessagePolicy", "File")
        setIfMissing(&container, "resources", .object([:]))
        if let image = container["image"]?.stringValue {
            setIfMissing(&container, "imagePullPolicy", .string(pullPolicy(for: image)))
        }
        if let ports = container["ports"]?.arrayValue {
            container["ports"] = .array(
                ports.map { port in
                    var port = port
                    setIfMissing(&port, "protocol", "TCP")
                    return port
                })
        }
        return container
    }

    /// `Always` for `:latest` or untagged images, else `IfNotPresent`.
    static func pullPolicy(for image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    private static func setIfMissing(_ object: inout JSONValue, _ key: String, _ value: JSONValue) {
        if object[key] == nil { object[key] = value }
    }

    private static func setIfMissing(_ fields: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        if fields[key] == nil { fields[key] = value }
    }
}
