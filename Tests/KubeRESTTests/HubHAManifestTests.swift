import Foundation
import RegistryModel
import Testing

/// deploy/hub-ha, the hub as three replicas on PostgreSQL, against deploy/hub and the hub's command
/// line: the replicas survive a node drain, the budget and the Service select the hub's pods,
/// readiness follows the database, every argument is a flag `regfleet hub` accepts, the database
/// URL and password come from the database Secret, and the PKI is deploy/hub's.
struct HubHAManifestTests {
    /// Every option of `regfleet hub` (Sources/regfleet/Commands/HubCommand.swift plus
    /// LoggingOptions' `--log-level`), as ArgumentParser spells the properties.
    static let hubFlags: Set<String> = [
        "--config", "--listen", "--database", "--database-password-file", "--rollout-lease", "--replica-id", "--pki-dir", "--lease",
        "--long-poll", "--dashboard-listen", "--max-connections", "--reserved-connections", "--handshake-timeout",
        "--request-header-timeout", "--body-timeout", "--idle-timeout", "--log-level",
    ]
    /// The options of `regfleet hub` that take a Go duration.
    static let durationFlags: Set<String> = [
        "--rollout-lease", "--lease", "--long-poll", "--handshake-timeout", "--request-header-timeout", "--body-timeout", "--idle-timeout",
    ]

    /// A hub Deployment and the parts of it the tests read.
    struct HubPod {
        var deployment: Manifest
        var pod: JSONValue
        var container: JSONValue
        var podLabels: [String: JSONValue]
        var args: [String]
        var flags: [String: String]

        static func load(_ file: String = "hub-ha/deployment.yaml") throws -> HubPod {
            let deployment = try Manifests.object(file, kind: "Deployment")
            let pod = try #require(deployment.tree[path: ["spec", "template", "spec"]])
            let containers = pod["containers"]?.arrayValue ?? []
            #expect(containers.count == 1, "\(file): one container")
            let container = try #require(containers.first)
            let labels = try #require(deployment.tree[path: ["spec", "template", "metadata", "labels"]]?.objectValue)
            let args = ManifestTests.strings(container["args"])
            return HubPod(deployment: deployment, pod: pod, container: container, podLabels: labels, args: args, flags: ManifestTests.flags(args))
        }

        /// The container's environment variable `name`.
        func variable(_ name: String) -> JSONValue? {
            container["env"]?.arrayValue?.first { $0["name"]?.stringValue == name }
        }

        /// The volume mounted at `path`.
        func mount(at path: String) -> (path: String, volume: JSONValue)? {
            ManifestTests.mounts(container, pod).first { $0.path == path }
        }

        /// The `volumeMounts` entry at `path`.
        func mountEntry(at path: String) -> JSONValue? {
            container["volumeMounts"]?.arrayValue?.first { $0["mountPath"]?.stringValue == path }
        }
    }

    // MARK: Replicas and disruptions

    /// Three replicas, rolled one at a time, and a budget that keeps two through a drain: it still
    /// allows one disruption (minAvailable below the replica count) and selects the hub's pods.
    @Test func replicasAndDisruptionBudget() throws {
        let hub = try HubPod.load()
        let spec = try #require(hub.deployment.tree["spec"])
        let replicas = try #require(spec["replicas"]?.intValue)
        #expect(replicas == 3)
        #expect(spec[path: ["strategy", "type"]] == "RollingUpdate")
        let maxUnavailable = try #require(spec[path: ["strategy", "rollingUpdate", "maxUnavailable"]]?.intValue)
        #expect(maxUnavailable == 1)
        #expect(spec[path: ["strategy", "rollingUpdate", "maxSurge"]]?.intValue == 1)
        #expect(Self.selects(spec["selector"], hub.podLabels), "the Deployment's selector does not match its pod template")

        let budget = try Manifests.object("hub-ha/pdb.yaml", kind: "PodDisruptionBudget")
        #expect(budget.tree["apiVersion"] == "policy/v1")
        #expect(budget.namespace == hub.deployment.namespace)
        #expect(budget.tree[path: ["spec", "maxUnavailable"]] == nil)
        let minAvailable = try #require(budget.tree[path: ["spec", "minAvailable"]]?.intValue, "minAvailable must be a count")
        #expect(minAvailable == 2)
        #expect(minAvailable < replicas, "a budget covering every replica blocks every node drain")
        #expect(replicas - maxUnavailable >= minAvailable, "a rolling update would take the hub below its budget")
        #expect(Self.selects(budget.tree[path: ["spec", "selector"]], hub.podLabels), "the budget does not select the hub's pods")
    }

    /// The replicas prefer distinct nodes and spread over zones without ever blocking scheduling,
    /// both selecting the hub's pods; a pod has time to stop cleanly and bounded resources.
    @Test func replicasSpreadOverNodes() throws {
        let hub = try HubPod.load()
        let terms = hub.pod[path: ["affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]]?.arrayValue ?? []
        let host = try #require(terms.first { $0[path: ["podAffinityTerm", "topologyKey"]] == "kubernetes.io/hostname" })
        #expect((host["weight"]?.intValue ?? 0) > 0)
        #expect(Self.selects(host[path: ["podAffinityTerm", "labelSelector"]], hub.podLabels))
        #expect(hub.pod[path: ["affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]] == nil)

        let constraints = hub.pod["topologySpreadConstraints"]?.arrayValue ?? []
        #expect(!constraints.isEmpty)
        for constraint in constraints {
            #expect(constraint["topologyKey"]?.stringValue?.isEmpty == false)
            #expect(constraint["maxSkew"]?.intValue == 1)
            #expect(constraint["whenUnsatisfiable"] == "ScheduleAnyway", "a hard spread leaves replicas Pending on a small cluster")
            #expect(Self.selects(constraint["labelSelector"], hub.podLabels))
        }

        let grace = try #require(hub.pod["terminationGracePeriodSeconds"]?.intValue)
        #expect((30...120).contains(grace))
        let resources = try #require(hub.container["resources"])
        let required: [[String]] = [["requests", "cpu"], ["requests", "memory"], ["limits", "memory"]]
        for path in required { #expect(resources[path: path] != nil, "resources.\(path.joined(separator: "."))") }
    }

    // MARK: Service and probes

    /// Agents use one address for every replica: deploy/hub's Service name (the name in the hub
    /// certificate), selecting the hub's pods, on the port the hub listens on.
    @Test func serviceFrontsEveryReplica() throws {
        let hub = try HubPod.load()
        let service = try Manifests.object("hub-ha/service.yaml", kind: "Service")
        #expect(service.name == (try Manifests.object("hub/service.yaml", kind: "Service").name))
        #expect(service.namespace == hub.deployment.namespace)
        let selector = try #require(service.tree[path: ["spec", "selector"]]?.objectValue)
        #expect(!selector.isEmpty)
        for (key, value) in selector { #expect(hub.podLabels[key] == value, "selector \(key)") }

        let containerPorts = hub.container["ports"]?.arrayValue ?? []
        let listenPort = hub.flags["--listen"]?.split(separator: ":").last.flatMap { Int64($0) }
        let servicePorts = service.tree[path: ["spec", "ports"]]?.arrayValue ?? []
        #expect(!servicePorts.isEmpty)
        for port in servicePorts {
            let target = try #require(
                containerPorts.first { $0["name"] == port["targetPort"] }, "targetPort \(port["targetPort"]?.stringValue ?? "") is no container port")
            #expect(target["containerPort"]?.intValue == listenPort)
        }
    }

    /// Readiness asks /readyz (it fails when the database is unreachable, which takes the replica
    /// out of the Service), liveness /healthz (so a database outage restarts no replica), both on
    /// the API port with deploy/hub's scheme and port.
    @Test func probesFollowTheDatabase() throws {
        let hub = try HubPod.load()
        let single = try HubPod.load("hub/deployment.yaml")
        let readiness = try #require(hub.container[path: ["readinessProbe", "httpGet"]])
        let liveness = try #require(hub.container[path: ["livenessProbe", "httpGet"]])
        #expect(readiness["path"] == "/readyz")
        #expect(liveness["path"] == "/healthz")
        if let startup = hub.container[path: ["startupProbe", "httpGet"]] {
            #expect(startup["path"] == "/healthz", "a startup probe on /readyz restarts replicas while the database is down")
        }
        let probes: [JSONValue] = [readiness, liveness]
        for probe in probes {
            #expect(probe["scheme"] == single.container[path: ["readinessProbe", "httpGet", "scheme"]])
            #expect(probe["port"] == single.container[path: ["readinessProbe", "httpGet", "port"]])
            #expect((hub.container["ports"]?.arrayValue ?? []).contains { $0["name"] == probe["port"] })
        }
    }

    // MARK: Command line

    /// The container runs deploy/hub's image and command, and every argument after `hub` is a
    /// `--flag=value` of `regfleet hub`, each once, with valid durations. `--database` is left out:
    /// the flag would override REGFLEET_DATABASE, which the hub reads when it is absent.
    @Test func argumentsAreTheHubsFlags() throws {
        let hub = try HubPod.load()
        let single = try HubPod.load("hub/deployment.yaml")
        #expect(hub.container["image"] == single.container["image"])
        #expect(hub.container["command"] == single.container["command"])
        #expect(hub.args.first == "hub")
        let options = Array(hub.args.dropFirst())
        for option in options { #expect(option.hasPrefix("--") && option.contains("="), "\(option) is not --flag=value") }
        #expect(hub.flags.count == options.count, "a flag is given twice")
        let unknown = hub.flags.keys.filter { !Self.hubFlags.contains($0) }.sorted()
        #expect(unknown.isEmpty, "not flags of regfleet hub: \(unknown)")
        #expect(Set(single.flags.keys).isSubset(of: Self.hubFlags), "deploy/hub uses a flag this test does not know")
        #expect(hub.flags["--database"] == nil, "--database would override REGFLEET_DATABASE")
        for required in ["--listen", "--pki-dir", "--database-password-file", "--replica-id"] {
            #expect(hub.flags[required]?.isEmpty == false, "\(required)")
        }
        for (flag, value) in hub.flags where Self.durationFlags.contains(flag) {
            let duration = try GoDuration(parsing: value)
            #expect(duration.nanoseconds > 0, "\(flag)")
        }
        if let lease = hub.flags["--rollout-lease"] {
            let seconds = try GoDuration(parsing: lease).seconds
            #expect((2.0...600.0).contains(seconds), "--rollout-lease must be between 2s and 10m")
        }
        #expect(hub.flags["--dashboard-listen"]?.hasPrefix("127.0.0.1:") ?? true)
        let listenPort = hub.flags["--listen"]?.split(separator: ":").last.flatMap { Int64($0) }
        #expect((hub.container["ports"]?.arrayValue ?? []).contains { $0["containerPort"]?.intValue == listenPort })
    }

    /// The replica id is the pod's name, through a variable: the kubelet expands `$(NAME)` in an
    /// argument only when NAME is one of the container's variables, and leaves it verbatim otherwise.
    @Test func replicaIDIsThePodName() throws {
        let hub = try HubPod.load()
        let value = try #require(hub.flags["--replica-id"])
        #expect(Self.references(in: value).count == 1 && value.hasPrefix("$(") && value.hasSuffix(")"), "--replica-id=\(value)")
        let name = try #require(Self.references(in: value).first)
        let variable = try #require(hub.variable(name), "\(name) is not a variable of the container")
        #expect(variable[path: ["valueFrom", "fieldRef", "fieldPath"]] == "metadata.name")
        for arg in hub.args {
            for reference in Self.references(in: arg) { #expect(hub.variable(reference) != nil, "\(arg): $(\(reference)) is not defined") }
        }
    }

    // MARK: Secrets

    /// The URL comes from the database Secret's `url` as REGFLEET_DATABASE, the password from its
    /// `password` as the file --database-password-file names; no variable holds a literal value.
    @Test func databaseComesFromItsSecret() throws {
        let hub = try HubPod.load()
        let secret = try Manifests.object("hub-ha/secret-layout/database.yaml", kind: "Secret")
        #expect(secret.namespace == hub.deployment.namespace)
        #expect(Set(secret.tree["stringData"]?.objectValue?.keys.map { $0 } ?? []) == ["url", "password"])

        let url = try #require(hub.variable("REGFLEET_DATABASE"))
        #expect(url[path: ["valueFrom", "secretKeyRef", "name"]]?.stringValue == secret.name)
        #expect(url[path: ["valueFrom", "secretKeyRef", "key"]] == "url")
        #expect(hub.variable("REGFLEET_DATABASE_PASSWORD") == nil, "the password is read from a file, not the environment")
        for variable in hub.container["env"]?.arrayValue ?? [] {
            #expect(variable["value"] == nil, "\(variable["name"]?.stringValue ?? ""): a literal value")
        }

        let mount = try #require(
            ManifestTests.mounts(hub.container, hub.pod).first { $0.volume[path: ["secret", "secretName"]]?.stringValue == secret.name },
            "no volume from \(secret.name)")
        #expect(hub.mountEntry(at: mount.path)?["readOnly"] == true)
        let items = mount.volume[path: ["secret", "items"]]?.arrayValue ?? []
        let item = try #require(items.first { $0["key"] == "password" }, "the volume does not hold the key password")
        let path = try #require(item["path"]?.stringValue)
        #expect(path == "password")
        #expect(hub.flags["--database-password-file"] == "\(mount.path)/\(path)")
        #expect(hub.flags["--database-password-file"] == "/etc/regfleet/db/password")

        let example = try #require(secret.tree[path: ["stringData", "url"]]?.stringValue)
        let components = try #require(URLComponents(string: example))
        #expect(components.scheme == "postgres")
        #expect(components.user?.isEmpty == false && components.host?.isEmpty == false && components.path.count > 1)
        #expect(components.password == nil, "the password belongs in the key password, not in the URL")
    }

    /// The PKI is deploy/hub's: the same Secret volume at the same --pki-dir, read-only. No volume
    /// claim anywhere (all state is in the database); deploy/hub's Deployment name, namespace,
    /// service account and security context.
    @Test func pkiAndPodMatchTheSingleHub() throws {
        let hub = try HubPod.load()
        let single = try HubPod.load("hub/deployment.yaml")
        let path = try #require(hub.flags["--pki-dir"])
        #expect(path == single.flags["--pki-dir"])
        let pki = try #require(hub.mount(at: path), "no volume at --pki-dir")
        let singlePKI = try #require(single.mount(at: path))
        #expect(pki.volume == singlePKI.volume)
        let secret = try Manifests.object("hub/secret-layout/pki.yaml", kind: "Secret")
        #expect(pki.volume[path: ["secret", "secretName"]]?.stringValue == secret.name)
        #expect(hub.mountEntry(at: path)?["readOnly"] == true)
        #expect((hub.pod["volumes"]?.arrayValue ?? []).allSatisfy { $0["persistentVolumeClaim"] == nil })

        let namespace = try Manifests.object("hub/namespace.yaml", kind: "Namespace").name
        for file in try Manifests.files() where file.hasPrefix("hub-ha/") {
            for manifest in try Manifests.load(file) {
                #expect(manifest.kind != "PersistentVolumeClaim", "\(file)")
                #expect(manifest.namespace == namespace, "\(file) \(manifest.kind)/\(manifest.name)")
            }
        }
        #expect(hub.deployment.name == single.deployment.name)
        #expect(hub.pod["serviceAccountName"]?.stringValue == (try Manifests.object("hub/serviceaccount.yaml", kind: "ServiceAccount").name))
        #expect(hub.pod["automountServiceAccountToken"] == false)
        #expect(hub.pod["securityContext"] == single.pod["securityContext"])
        #expect(hub.container["securityContext"] == single.container["securityContext"])
        #expect(hub.pod[path: ["securityContext", "runAsNonRoot"]] == true)
        #expect(hub.container[path: ["securityContext", "readOnlyRootFilesystem"]] == true)
    }

    // MARK: Helpers

    /// Whether a label selector selects pods labelled `labels`. Only `matchLabels` is understood,
    /// and an empty selector counts as not selecting (in a budget it would match every pod).
    static func selects(_ selector: JSONValue?, _ labels: [String: JSONValue]) -> Bool {
        guard let selector, selector["matchExpressions"] == nil, let match = selector["matchLabels"]?.objectValue, !match.isEmpty else {
            return false
        }
        return match.allSatisfy { labels[$0.key] == $0.value }
    }

    /// The variable names referred to as `$(NAME)` in `text`.
    static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "$(") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: ")") else { break }
            names.append(String(rest[..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}
