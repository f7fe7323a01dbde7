import RegistryModel

/// Supplies the spec the operator gives Config/cluster or ImagePruner/cluster when it creates
/// one that is missing (first start, or after someone deleted it).
///
/// Without a source the operator bootstraps upstream's defaults (Managed, one replica, a managed
/// PVC), which brings a deleted registry straight back as Managed. An embedder that knows the
/// intended state (the fleet agent knows the hub's desired policy) supplies it here, so the
/// re-created object starts as intended instead of flapping through the defaults.
public protocol BootstrapSpecSource: Sendable {
    /// The spec for a re-created Config/cluster, given the operator's default one.
    func configSpec(default spec: ConfigSpec) async -> ConfigSpec
    /// The spec for a re-created ImagePruner/cluster, given the operator's default one.
    func prunerSpec(default spec: ImagePrunerSpec) async -> ImagePrunerSpec
}
