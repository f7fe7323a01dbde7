import Synchronization

/// The desired objects of the last pass, by what they were built from.
///
/// Building them is the costliest part of a pass over a converged cluster (every object encoded from its
/// typed form into a JSON tree, then into its comparable form), yet they change only when their inputs do:
/// a Config or ImagePruner spec, the owner's uid, the serving CA, the options. Handing the same objects back
/// for the same inputs also hands back their `KubeObject` memos, so the planner's comparable trees of the
/// desired side are computed once per content rather than once per pass.
///
/// One entry per family of objects: the memo holds at most one pass's worth of objects, whatever the number
/// of passes.
final class DesiredObjectMemo: Sendable {
    /// The families of objects a pass builds, each from its own inputs.
    enum Family: Hashable, Sendable {
        case clusterWide, prunerCompanions, prunerCronJob, registry
    }

    private struct Entry: Sendable {
        var inputs: any Hashable & Sendable
        var objects: [DesiredObject]
    }

    private let entries = Mutex<[Family: Entry]>([:])

    /// The objects `build` makes from `inputs`: built on the first call and whenever `inputs` differs from
    /// the last call's for `family`, else the objects built then. `build` must depend on `inputs` only.
    func objects<Inputs: Hashable & Sendable>(
        _ family: Family, from inputs: Inputs, build: (Inputs) throws -> [DesiredObject]
    ) rethrows -> [DesiredObject] {
        if let entry = entries.withLock({ $0[family] }), let last = entry.inputs as? Inputs, last == inputs {
            return entry.objects
        }
        let built = try build(inputs)
        entries.withLock { $0[family] = Entry(inputs: inputs, objects: built) }
        return built
    }
}
