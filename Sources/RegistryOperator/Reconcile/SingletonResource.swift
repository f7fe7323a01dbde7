import KubeClient
import RegistryModel

/// Config and ImagePruner: the two custom resources the operator reconciles, each a singleton
/// named `cluster` with a conditions list in its status, handled alike when bootstrapping and
/// when flagging objects of another name.
protocol SingletonResource: KubeResource, Equatable {
    /// The kind, as messages name it.
    static var kindName: String { get }
    /// What the operator creates when the singleton is missing and no source supplies a spec.
    static var bootstrap: Self { get }
    /// What the operator creates when the singleton is missing: the source's spec, else `bootstrap`.
    static func bootstrap(from source: (any BootstrapSpecSource)?) async -> Self
    /// `status.conditions`, creating the status when setting.
    var statusConditions: [Condition] { get set }
}

extension Config: SingletonResource {
    static var kindName: String { "Config" }
    static var bootstrap: Config { Config(spec: ConfigSpec(managementState: .managed, replicas: 1, storage: StorageSpec(pvc: PVCStorage()))) }
    static func bootstrap(from source: (any BootstrapSpecSource)?) async -> Config {
        guard let source else { return bootstrap }
        return Config(spec: await source.configSpec(default: bootstrap.spec))
    }
    var statusConditions: [Condition] {
        get { status?.conditions ?? [] }
        set {
            var updated = status ?? ConfigStatus()
            updated.conditions = newValue
            status = updated
        }
    }
}

extension ImagePruner: SingletonResource {
    static var kindName: String { "ImagePruner" }
    static var bootstrap: ImagePruner { ImagePruner() }
    static func bootstrap(from source: (any BootstrapSpecSource)?) async -> ImagePruner {
        guard let source else { return bootstrap }
        var pruner = ImagePruner()
        pruner.spec = await source.prunerSpec(default: pruner.spec)
        return pruner
    }
    var statusConditions: [Condition] {
        get { status?.conditions ?? [] }
        set {
            var updated = status ?? ImagePrunerStatus()
            updated.conditions = newValue
            status = updated
        }
    }
}
