import FleetModel
import RegistryModel

/// Whether the live Config/cluster and ImagePruner/cluster carry a policy's hub-owned fields.
///
/// The agent claims a generation in its reports only when this holds for the objects it just read, never
/// because it wrote them once: a hand edit, or a deletion after which the operator re-creates the object with its
/// defaults, makes the cluster disagree until the agent has repaired it. It also tells the watch which changes
/// need a repair.
public enum PolicyConformance {
    /// True when every section `policy` sets has its object present, not being deleted, and equal to the object
    /// with the policy applied over it (a nil section asks nothing of its object).
    public static func holds(_ policy: FleetPolicy, config: Config?, pruner: ImagePruner?) -> Bool {
        registryHolds(policy.registry, config) && prunerHolds(policy.pruner, pruner)
    }

    /// The registry section against Config/cluster.
    static func registryHolds(_ policy: RegistryPolicy?, _ config: Config?) -> Bool {
        guard let policy else { return true }
        guard let config, config.metadata.deletionTimestamp == nil else { return false }
        return config.spec.applying(policy) == config.spec
    }

    /// The pruner section against ImagePruner/cluster.
    static func prunerHolds(_ policy: PrunerPolicy?, _ pruner: ImagePruner?) -> Bool {
        guard let policy else { return true }
        guard let pruner, pruner.metadata.deletionTimestamp == nil else { return false }
        return pruner.spec.applying(policy) == pruner.spec
    }
}
