import Foundation
import KubeClient
import RegistryModel
import RegistryOperator
import Testing

/// Every manifest under deploy/ parses, and the manifests agree with each other and with the
/// Swift model: API groups, versions, kinds, names, namespaces, service accounts, flags, images,
/// Secret keys, and the OLM bundle with the plain YAML.
struct ManifestTests {
    static let operatorNamespace = RegistryNames.namespace
    static let serviceAccount = RegistryNames.operatorDeployment
    /// The flags of `regfleet hub` and `regfleet agent` (architecture.md and the CLI's contract).
    static let hubFlags: Set<String> = ["--listen", "--database", "--pki-dir", "--lease", "--dashboard-listen"]
    static let agentFlags: Set<String> = [
        "--hub", "--cluster", "--ca-file", "--bootstrap-token", "--token-file", "--state-dir", "--simulated", "--kubeconfig", "--in-cluster",
    ]

    // MARK: Parsing

    /// Every YAML file under deploy/ parses into objects that each have apiVersion, kind and a name
    /// (the OLM bundle's annotations file is metadata, not an object).
    @Test func everyManifestParses() throws {
        let files = try Manifests.files()
        #expect(files.count >= 15)
        let metadata = "olm/metadata/annotations.yaml"
        #expect(try Manifests.load(metadata).first?.tree["annotations"]?.objectValue?.isEmpty == false)
        for file in files where file != metadata {
            let objects = try Manifests.load(file)
            #expect(!objects.isEmpty, "\(file) holds no object")
            for object in objects {
                #expect(object.tree["apiVersion"]?.stringValue?.isEmpty == false, "\(file): apiVersion")
                #expect(!object.kind.isEmpty, "\(file): kind")
                #expect(!object.name.isEmpty, "\(file): metadata.name")
                _ = try object.object
            }
        }
    }

    // MARK: CRDs

    /// The CRDs' group, version, kind, plural, scope and status subresource are the model's.
    @Test(arguments: [
        ("crds/imageregistry.operator.alauda.io_configs.yaml", ResourceType.configs),
        ("crds/imageregistry.operator.alauda.io_imagepruners.yaml", .imagePruners),
    ])
    func crdMatchesResourceType(file: String, resource: ResourceType) throws {
        let crd = try Manifests.object(file, kind: "CustomResourceDefinition").tree
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd[path: ["metadata", "name"]]?.stringValue == "\(resource.plural).\(resource.group)")
        #expect(crd[path: ["spec", "group"]]?.stringValue == resource.group)
        #expect(crd[path: ["spec", "names", "kind"]]?.stringValue == resource.kind)
        #expect(crd[path: ["spec", "names", "plural"]]?.stringValue == resource.plural)
        #expect(crd[path: ["spec", "scope"]]?.stringValue == (resource.namespaced ? "Namespaced" : "Cluster"))
        let versions = try #require(crd[path: ["spec", "versions"]]?.arrayValue)
        #expect(versions.count == 1)
        #expect(versions[0]["name"]?.stringValue == resource.version)
        #expect(versions[0]["served"] == true && versions[0]["storage"] == true)
        #expect((versions[0][path: ["subresources", "status"]] != nil) == resource.hasStatusSubresource)
    }

    /// The schemas refuse what the model's validation refuses: management states, non-negative
    /// counts, log levels and rollout strategies.
    @Test func crdSchemasCarryTheModelsValidation() throws {
        let config = try Self.schema("crds/imageregistry.operator.alauda.io_configs.yaml")
        #expect(config[path: ["properties", "spec", "required"]] == ["managementState", "replicas"])
        let spec = try #require(config[path: ["properties", "spec", "properties"]])
        #expect(Self.strings(spec[path: ["managementState", "enum"]]) == ManagementState.registryStates.map(\.rawValue))
        #expect(spec[path: ["replicas", "minimum"]] == 0)
        #expect(
            Set(Self.strings(spec[path: ["storage", "properties", "managementState", "enum"]]))
                == Set([""] + ManagementState.storageStates.map(\.rawValue)))
        #expect(Self.strings(spec[path: ["logLevel", "enum"]]) == [""] + LogLevels.all)
        #expect(Self.strings(spec[path: ["rolloutStrategy", "enum"]]) == ["", "RollingUpdate", "Recreate"])
        for side in ["read", "write"] {
            #expect(spec[path: ["requests", "properties", side, "properties", "maxRunning", "minimum"]] == 0)
            #expect(spec[path: ["requests", "properties", side, "properties", "maxInQueue", "minimum"]] == 0)
        }
        let pruner = try #require(
            try Self.schema("crds/imageregistry.operator.alauda.io_imagepruners.yaml")[path: ["properties", "spec", "properties"]])
        for field in ["keepTagRevisions", "keepYoungerThan", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            #expect(pruner[path: [field, "minimum"]] == 0, "\(field)")
        }
        #expect(Self.strings(pruner[path: ["logLevel", "enum"]]) == [""] + LogLevels.all)
        #expect(pruner[path: ["schedule", "pattern"]] == nil, "the schedule is checked by the operator, not the schema")
    }

    /// Every field the Swift model reads or writes has a place in the CRD schema, so nothing the
    /// operator writes is pruned by the API server.
    @Test(arguments: [
        ("crds/imageregistry.operator.alauda.io_configs.yaml", ManifestTests.fullConfig),
        ("crds/imageregistry.operator.alauda.io_imagepruners.yaml", ManifestTests.fullImagePruner),
    ])
    func crdSchemaCoversEveryModelField(file: String, encoded: JSONValue) throws {
        let schema = try Self.schema(file)
        var missing: [String] = []
        for key in ["spec", "status"] {
            guard let value = encoded[key] else { continue }
            Self.uncovered(value, schema: schema[path: ["properties", key]], path: key, into: &missing)
        }
        #expect(missing.isEmpty, "fields the schema lacks: \(missing)")
    }

    /// `kubectl get` shows the management state and the Available/Progressing/Degraded conditions.
    @Test func printerColumns() throws {
        let config = try Self.printerColumns("crds/imageregistry.operator.alauda.io_configs.yaml")
        #expect(config.contains(".spec.managementState"))
        for type in ["Available", "Progressing", "Degraded"] {
            #expect(config.contains(".status.conditions[?(@.type==\"\(type)\")].status"), "\(type)")
        }
        let pruner = try Self.printerColumns("crds/imageregistry.operator.alauda.io_imagepruners.yaml")
        for type in ["Available", "Failed", "Degraded"] {
            #expect(pruner.contains(".status.conditions[?(@.type==\"\(type)\")].status"), "\(type)")
        }
    }

    // MARK: Operator, agent and install

    /// Everything of the operator and agent lives in image-registry-system (except the Role and
    /// RoleBinding that let it bind image-api-server's authentication reader in kube-system), and
    /// the service account the Deployment runs as is the one the RBAC bindings name.
    @Test func namespacesAndServiceAccountsAgree() throws {
        let manifests = try Manifests.all().filter { ["operator/", "agent/", "install/"].contains(where: $0.file.hasPrefix) }
        for manifest in manifests {
            if manifest.kind == "Namespace" {
                #expect(manifest.name == Self.operatorNamespace, "\(manifest.file)")
            } else if ["Role", "RoleBinding"].contains(manifest.kind) && manifest.namespace == "kube-system" {
                #expect(manifest.file == "operator/rbac.yaml" && manifest.name == Self.serviceAccount, "\(manifest.file) \(manifest.kind)/\(manifest.name)")
            } else if !["ClusterRole", "ClusterRoleBinding"].contains(manifest.kind) {
                #expect(manifest.namespace == Self.operatorNamespace, "\(manifest.file) \(manifest.kind)/\(manifest.name)")
            }
        }
        let account = try Manifests.object("operator/serviceaccount.yaml", kind: "ServiceAccount")
        #expect(account.name == Self.serviceAccount)
        let deployment = try Manifests.object("operator/deployment.yaml", kind: "Deployment")
        #expect(deployment.name == RegistryNames.operatorDeployment)
        #expect(deployment.tree[path: ["spec", "template", "spec", "serviceAccountName"]]?.stringValue == Self.serviceAccount)
        let rbac = try Manifests.load("operator/rbac.yaml")
        let roles = Set(rbac.filter { $0.kind.hasSuffix("Role") }.map { "\($0.kind)/\($0.name)" })
        for binding in rbac where binding.kind.hasSuffix("Binding") {
            let decoded = try binding.decode(as: RoleBinding.self)
            #expect(decoded.subjects == [Subject(kind: "ServiceAccount", name: Self.serviceAccount, namespace: Self.operatorNamespace)])
            #expect(roles.contains("\(decoded.roleRef.kind)/\(decoded.roleRef.name)"), "\(binding.name) refers to a role that is not deployed")
        }
    }

    /// The agent Deployment runs `regfleet agent` with the CLI's flags, the image the operator
    /// gives the pruner, and files and variables from the bootstrap Secret's keys.
    @Test func agentDeploymentMatchesTheCode() throws {
        let deployment = try Manifests.object("operator/deployment.yaml", kind: "Deployment").tree
        let pod = try #require(deployment[path: ["spec", "template", "spec"]])
        let container = try #require(pod["containers"]?.arrayValue?.first)
        #expect(container["image"]?.stringValue == OperatorOptions().prunerImage)
        #expect(container["command"] == ["regfleet"])
        let args = Self.strings(container["args"])
        #expect(args.first == "agent")
        let flags = Self.flags(args)
        #expect(flags.keys.allSatisfy(Self.agentFlags.contains), "unknown flags: \(flags.keys.filter { !Self.agentFlags.contains($0) })")
        #expect(flags.keys.filter { ["--simulated", "--kubeconfig", "--in-cluster"].contains($0) } == ["--in-cluster"])
        for required in ["--hub", "--cluster", "--ca-file", "--state-dir"] { #expect(flags[required] != nil, "\(required)") }
        #expect((flags["--bootstrap-token"] == nil) != (flags["--token-file"] == nil))

        let secret = try Manifests.object("agent/bootstrap-secret.yaml", kind: "Secret")
        let keys = Set(secret.tree["stringData"]?.objectValue?.keys.map { $0 } ?? [])
        #expect(keys == ["hub-url", "cluster", "token", "ca.crt"])
        for variable in container["env"]?.arrayValue ?? [] {
            #expect(variable[path: ["valueFrom", "secretKeyRef", "name"]]?.stringValue == secret.name)
            #expect(keys.contains(variable[path: ["valueFrom", "secretKeyRef", "key"]]?.stringValue ?? ""))
        }
        let mounts = Self.mounts(container, pod)
        let bootstrap = try #require(mounts.first { $0.volume["secret"] != nil })
        #expect(bootstrap.volume[path: ["secret", "secretName"]]?.stringValue == secret.name)
        let items = (bootstrap.volume[path: ["secret", "items"]]?.arrayValue ?? []).map {
            ($0["key"]?.stringValue ?? "", $0["path"]?.stringValue ?? "")
        }
        for (flag, key) in [("--ca-file", "ca.crt"), ("--token-file", "token")] {
            let path = try #require(items.first { $0.0 == key }?.1)
            #expect(flags[flag] == "\(bootstrap.path)/\(path)", "\(flag)")
        }
        let state = try #require(mounts.first { $0.volume["persistentVolumeClaim"] != nil })
        #expect(flags["--state-dir"] == state.path)
        let claim = try Manifests.object("operator/agent-state-pvc.yaml", kind: "PersistentVolumeClaim")
        #expect(state.volume[path: ["persistentVolumeClaim", "claimName"]]?.stringValue == claim.name)
    }

    /// The hub Deployment runs `regfleet hub` with its flags, its PKI from the PKI Secret's files,
    /// its database on the claim, behind a Service whose selector and port match.
    @Test func hubManifestsAgree() throws {
        let deployment = try Manifests.object("hub/deployment.yaml", kind: "Deployment").tree
        let pod = try #require(deployment[path: ["spec", "template", "spec"]])
        let container = try #require(pod["containers"]?.arrayValue?.first)
        #expect(container["image"]?.stringValue == OperatorOptions().prunerImage)
        let args = Self.strings(container["args"])
        #expect(args.first == "hub")
        let flags = Self.flags(args)
        #expect(Set(flags.keys).isSubset(of: Self.hubFlags))
        for required in ["--listen", "--database", "--pki-dir"] { #expect(flags[required] != nil, "\(required)") }
        #expect(flags["--dashboard-listen"]?.hasPrefix("127.0.0.1:") ?? true)
        let mounts = Self.mounts(container, pod)
        let pki = try #require(mounts.first { $0.volume["secret"] != nil })
        #expect(flags["--pki-dir"] == pki.path)
        let secret = try Manifests.object("hub/secret-layout/pki.yaml", kind: "Secret")
        #expect(pki.volume[path: ["secret", "secretName"]]?.stringValue == secret.name)
        #expect(Set(secret.tree["stringData"]?.objectValue?.keys.map { $0 } ?? []) == ["ca.crt", "ca.key", "hub.crt", "hub.key"])
        let data = try #require(mounts.first { $0.volume["persistentVolumeClaim"] != nil })
        #expect(flags["--database"]?.hasPrefix(data.path + "/") == true)
        #expect(
            data.volume[path: ["persistentVolumeClaim", "claimName"]]?.stringValue
                == (try Manifests.object("hub/pvc.yaml", kind: "PersistentVolumeClaim").name))
        #expect(pod["serviceAccountName"]?.stringValue == (try Manifests.object("hub/serviceaccount.yaml", kind: "ServiceAccount").name))

        let service = try Manifests.object("hub/service.yaml", kind: "Service").tree
        let podLabels = try #require(deployment[path: ["spec", "template", "metadata", "labels"]]?.objectValue)
        for (key, value) in service[path: ["spec", "selector"]]?.objectValue ?? [:] { #expect(podLabels[key] == value, "selector \(key)") }
        let portNames = (container["ports"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        for port in service[path: ["spec", "ports"]]?.arrayValue ?? [] {
            #expect(portNames.contains(port["targetPort"]?.stringValue ?? ""))
        }
        let listenPort = flags["--listen"]?.split(separator: ":").last.flatMap { Int64($0) }
        #expect((container["ports"]?.arrayValue ?? []).contains { $0["containerPort"]?.intValue == listenPort })
    }

    // MARK: OLM

    /// The CSV owns exactly the CRDs in deploy/crds (and the bundle carries identical copies),
    /// installs into its own namespace with the RBAC of deploy/operator, and runs `regfleet operator`.
    @Test func olmBundleAgreesWithThePlainManifests() throws {
        let csv = try Manifests.object("olm/manifests/cluster-image-registry-operator.clusterserviceversion.yaml", kind: "ClusterServiceVersion").tree
        #expect(csv[path: ["spec", "version"]]?.stringValue == RegistryFleetVersion.current)
        let crds = try ["configs", "imagepruners"].map {
            try Manifests.object("crds/imageregistry.operator.alauda.io_\($0).yaml", kind: "CustomResourceDefinition").tree
        }
        let owned = (csv[path: ["spec", "customresourcedefinitions", "owned"]]?.arrayValue ?? []).map {
            "\($0["name"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "") \($0["kind"]?.stringValue ?? "")"
        }
        let expected = crds.map {
            "\($0[path: ["metadata", "name"]]?.stringValue ?? "") \($0[path: ["spec", "versions"]]?.arrayValue?.first?["name"]?.stringValue ?? "") \($0[path: ["spec", "names", "kind"]]?.stringValue ?? "")"
        }
        #expect(owned.sorted() == expected.sorted())
        for name in ["imageregistry.operator.alauda.io_configs.yaml", "imageregistry.operator.alauda.io_imagepruners.yaml"] {
            let plain = try Data(contentsOf: Manifests.directory.appendingPathComponent("crds/\(name)"))
            let bundled = try Data(contentsOf: Manifests.directory.appendingPathComponent("olm/manifests/\(name)"))
            #expect(plain == bundled, "olm/manifests/\(name) differs from crds/\(name)")
        }
        let modes = Dictionary(
            uniqueKeysWithValues: (csv[path: ["spec", "installModes"]]?.arrayValue ?? []).map {
                ($0["type"]?.stringValue ?? "", $0["supported"]?.boolValue ?? false)
            })
        #expect(modes == ["OwnNamespace": true, "SingleNamespace": false, "MultiNamespace": false, "AllNamespaces": false])

        let install = try #require(csv[path: ["spec", "install", "spec"]])
        let rbac = try Manifests.load("operator/rbac.yaml")
        let clusterRole = try #require(rbac.first { $0.kind == "ClusterRole" }).decode(as: ClusterRole.self)
        let role = try #require(rbac.first { $0.kind == "Role" && $0.namespace == Self.operatorNamespace }).decode(as: Role.self)
        let kubeSystemRole = try #require(rbac.first { $0.kind == "Role" && $0.namespace == "kube-system" }).decode(as: Role.self)
        let clusterPermissions = try #require(install["clusterPermissions"]?.arrayValue?.first)
        let permissions = try #require(install["permissions"]?.arrayValue?.first)
        #expect(clusterPermissions["serviceAccountName"]?.stringValue == Self.serviceAccount)
        #expect(permissions["serviceAccountName"]?.stringValue == Self.serviceAccount)
        #expect(try JSONCoding.value([PolicyRule].self, from: clusterPermissions["rules"] ?? .null) == clusterRole.rules + kubeSystemRole.rules)
        #expect(try JSONCoding.value([PolicyRule].self, from: permissions["rules"] ?? .null) == role.rules)
        let deployment = try #require(install["deployments"]?.arrayValue?.first)
        #expect(deployment["name"]?.stringValue == RegistryNames.operatorDeployment)
        let container = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first)
        #expect(deployment[path: ["spec", "template", "spec", "serviceAccountName"]]?.stringValue == Self.serviceAccount)
        #expect(Self.strings(container["args"]) == ["operator", "--in-cluster"])
        #expect(container["image"]?.stringValue == OperatorOptions().prunerImage)
        #expect(csv[path: ["metadata", "annotations", "containerImage"]]?.stringValue == OperatorOptions().prunerImage)
        #expect(csv[path: ["metadata", "annotations", "operatorframework.io/suggested-namespace"]]?.stringValue == Self.operatorNamespace)
        let examples = try JSONCoding.decode(
            [KubeObject].self, from: Data((csv[path: ["metadata", "annotations", "alm-examples"]]?.stringValue ?? "").utf8))
        let example = try #require(examples.first { $0.kind == "Config" })
        try example.decode(as: Config.self).validate()
        #expect(Set(examples.compactMap(\.resourceType)) == [.configs, .imagePruners])
    }

    /// The plain-YAML install path subscribes to the bundle's package, channel and CSV, in the
    /// operator's namespace, with an OperatorGroup for that namespace only.
    @Test func subscriptionMatchesTheBundle() throws {
        let annotations = try #require(try Manifests.load("olm/metadata/annotations.yaml").first?.tree["annotations"])
        let subscription = try Manifests.object("install/subscription.yaml", kind: "Subscription")
        #expect(subscription.namespace == Self.operatorNamespace)
        #expect(subscription.tree[path: ["spec", "name"]] == annotations["operators.operatorframework.io.bundle.package.v1"])
        #expect(subscription.tree[path: ["spec", "channel"]] == annotations["operators.operatorframework.io.bundle.channel.default.v1"])
        let csvName = try Manifests.object("olm/manifests/cluster-image-registry-operator.clusterserviceversion.yaml", kind: "ClusterServiceVersion")
            .name
        #expect(subscription.tree[path: ["spec", "startingCSV"]]?.stringValue == csvName)
        #expect(subscription.tree[path: ["spec", "installPlanApproval"]] == "Manual")
        let group = try Manifests.object("install/operatorgroup.yaml", kind: "OperatorGroup")
        #expect(group.tree[path: ["spec", "targetNamespaces"]] == [.string(Self.operatorNamespace)])
        #expect(try Manifests.object("install/namespace.yaml", kind: "Namespace").name == Self.operatorNamespace)
        let bundleDockerfile = try String(contentsOf: Manifests.directory.appendingPathComponent("olm/bundle.Dockerfile"), encoding: .utf8)
        for (key, value) in annotations.objectValue ?? [:] {
            #expect(bundleDockerfile.contains("LABEL \(key)=\(value.stringValue ?? "")"), "bundle.Dockerfile lacks \(key)")
        }
    }

    /// The image is built in two stages: the Swift toolchain builds `regfleet`, a slim runtime runs it.
    @Test func dockerfileIsMultiStage() throws {
        let text = try String(contentsOf: Manifests.directory.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let stages = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.contains("swift:6.1") == true && stages.first?.contains(" AS build") == true)
        #expect(stages.last?.contains("slim") == true)
        #expect(text.contains("swift build -c release --product regfleet"))
        #expect(text.contains("COPY --from=build"))
        #expect(text.contains("ENTRYPOINT [\"regfleet\"]"))
        #expect(text.contains("USER 65532"))
    }

    // MARK: Helpers

    static func schema(_ file: String) throws -> JSONValue {
        let crd = try Manifests.object(file, kind: "CustomResourceDefinition").tree
        return try #require(crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]])
    }

    static func printerColumns(_ file: String) throws -> [String] {
        let crd = try Manifests.object(file, kind: "CustomResourceDefinition").tree
        return (crd[path: ["spec", "versions"]]?.arrayValue?.first?["additionalPrinterColumns"]?.arrayValue ?? []).compactMap {
            $0["jsonPath"]?.stringValue
        }
    }

    static func strings(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// `--flag=value` arguments by flag.
    static func flags(_ args: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for arg in args where arg.hasPrefix("--") {
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// The container's mounts with the volumes they mount.
    static func mounts(_ container: JSONValue, _ pod: JSONValue) -> [(path: String, volume: JSONValue)] {
        let volumes = pod["volumes"]?.arrayValue ?? []
        return (container["volumeMounts"]?.arrayValue ?? []).compactMap { mount in
            guard let volume = volumes.first(where: { $0["name"] == mount["name"] }) else { return nil }
            return (mount["mountPath"]?.stringValue ?? "", volume)
        }
    }

    /// The paths under `value` that `schema` has no place for.
    static func uncovered(_ value: JSONValue, schema: JSONValue?, path: String, into missing: inout [String]) {
        guard let schema else {
            missing.append(path)
            return
        }
        if schema["x-kubernetes-preserve-unknown-fields"] == true { return }
        switch value {
        case .object(let members):
            for (key, member) in members {
                let child = schema[path: ["properties", key]] ?? schema["additionalProperties"]
                uncovered(member, schema: child, path: "\(path).\(key)", into: &missing)
            }
        case .array(let items):
            for item in items { uncovered(item, schema: schema["items"], path: "\(path)[]", into: &missing) }
        default:
            return
        }
    }

    /// Config with every field the model has, as the model encodes it.
    static let fullConfig: JSONValue = {
        let json = """
            {"apiVersion": "imageregistry.operator.alauda.io/v1", "kind": "Config", "metadata": {"name": "cluster"},
             "spec": {"managementState": "Managed", "replicas": 1, "logLevel": "Debug", "httpSecret": "s", "readOnly": true,
               "disableRedirect": true, "rolloutStrategy": "Recreate", "nodeSelector": {"a": "b"},
               "storage": {"managementState": "Managed", "emptyDir": {}, "pvc": {"claim": "c"},
                           "s3": {"bucket": "b", "region": "r", "regionEndpoint": "e", "encrypt": true}},
               "proxy": {"http": "h", "https": "s", "noProxy": "n"},
               "requests": {"read": {"maxRunning": 1, "maxInQueue": 2, "maxWaitInQueue": "1s"},
                            "write": {"maxRunning": 1, "maxInQueue": 2, "maxWaitInQueue": "1s"}},
               "resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "1Gi"}},
               "tolerations": [{"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule", "tolerationSeconds": 5}]},
             "status": {"observedGeneration": 1, "readyReplicas": 1, "storageManaged": true, "storage": {"pvc": {"claim": "c"}},
               "conditions": [{"type": "Available", "status": "True", "reason": "Ready", "message": "m",
                               "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1}]}}
            """
        return (try? JSONCoding.tree(JSONCoding.decode(Config.self, from: Data(json.utf8)))) ?? .null
    }()

    /// ImagePruner with every field the model has, as the model encodes it.
    static let fullImagePruner: JSONValue = {
        let json = """
            {"apiVersion": "imageregistry.operator.alauda.io/v1", "kind": "ImagePruner", "metadata": {"name": "cluster"},
             "spec": {"schedule": "0 0 * * *", "suspend": false, "keepTagRevisions": 3, "keepYoungerThan": 60, "keepYoungerThanDuration": "60m",
               "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3, "ignoreInvalidImageReferences": true, "logLevel": "Normal",
               "resources": {"requests": {"cpu": "100m"}}, "nodeSelector": {"a": "b"}, "affinity": {"nodeAffinity": {}},
               "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]},
             "status": {"observedGeneration": 1,
               "conditions": [{"type": "Available", "status": "True", "reason": "Ready", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}
            """
        return (try? JSONCoding.tree(JSONCoding.decode(ImagePruner.self, from: Data(json.utf8)))) ?? .null
    }()
}

/// The CRDs' CEL rules can be evaluated by a real API server: no rule reads an object field the
/// rule's type system cannot represent (the `emptyDir: {}` refusal).
struct CRDRuleSchemaTests {
    /// No CRD under deploy/crds or deploy/olm has a validation rule reading a property-less object.
    @Test(arguments: [
        "crds/imageregistry.operator.alauda.io_configs.yaml", "crds/imageregistry.operator.alauda.io_imagepruners.yaml",
        "olm/manifests/imageregistry.operator.alauda.io_configs.yaml", "olm/manifests/imageregistry.operator.alauda.io_imagepruners.yaml",
    ])
    func rulesReadTypedFields(file: String) throws {
        let problems = CELRuleSchemaCheck.problems(in: try ManifestTests.schema(file))
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The check finds the shape the API server refuses (emptyDir declared as a bare object) and accepts it with preserve-unknown-fields.
    @Test func checkFindsBareObjects() {
        let bare: JSONValue = [
            "type": "object",
            "x-kubernetes-validations": [["rule": "!has(self.storage) || !has(self.storage.emptyDir) || self.replicas <= 1"]],
            "properties": [
                "replicas": ["type": "integer"],
                "storage": ["type": "object", "properties": ["emptyDir": ["type": "object"], "pvc": ["type": "object", "properties": ["claim": ["type": "string"]]]]],
            ],
        ]
        #expect(CELRuleSchemaCheck.problems(in: bare).map(\.field) == [".storage.emptyDir"])
        var fixed = bare
        fixed[path: ["properties", "storage", "properties", "emptyDir", "x-kubernetes-preserve-unknown-fields"]] = true
        #expect(CELRuleSchemaCheck.problems(in: fixed).isEmpty)
        #expect(CELRuleSchemaCheck.fieldChains(in: "[has(self.emptyDir), has(self.pvc)].filter(x, x).size() <= 1") == [["emptyDir"], ["pvc"]])
    }

    /// The emptyDir storage type and the two-replica rule both exist with their own messages.
    @Test func storageRulesHaveTheirOwnMessages() throws {
        let schema = try ManifestTests.schema("crds/imageregistry.operator.alauda.io_configs.yaml")
        let specRules = schema[path: ["properties", "spec", "x-kubernetes-validations"]]?.arrayValue ?? []
        let storageRules = schema[path: ["properties", "spec", "properties", "storage", "x-kubernetes-validations"]]?.arrayValue ?? []
        #expect(specRules.compactMap { $0["message"]?.stringValue } == ["emptyDir storage supports one replica only"])
        #expect(storageRules.compactMap { $0["message"]?.stringValue } == ["exactly one storage type should be configured at the same time"])
    }
}
