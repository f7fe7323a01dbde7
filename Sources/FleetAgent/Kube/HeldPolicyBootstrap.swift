import FleetModel
import RegistryModel
import RegistryOperator
import Synchronization

/// The hub's policy as the operator's bootstrap: when the in-process operator re-creates a
/// missing Config/cluster or ImagePruner/cluster, the object starts with the held policy's
/// hub-owned fields.
///
/// Without this, deleting Config/cluster while the hub says Removed lets the operator re-create
/// it Managed with its defaults and start the registry's Deployments before the agent's repair
/// turns it back to Removed.
final class HeldPolicyBootstrap: BootstrapSpecSource {
    /// The policy the agent holds; nil leaves the operator's defaults unchanged.
    private let held = Mutex<FleetPolicy?>(nil)

    /// Makes `policy` the one bootstraps carry.
    func hold(_ policy: FleetPolicy?) {
        held.withLock { $0 = policy }
    }

    func configSpec(default spec: ConfigSpec) async -> ConfigSpec {
        spec.applying(held.withLock { $0 }?.registry)
    }

    func prunerSpec(default spec: ImagePrunerSpec) async -> ImagePrunerSpec {
        spec.applying(held.withLock { $0 }?.pruner)
    }
}
