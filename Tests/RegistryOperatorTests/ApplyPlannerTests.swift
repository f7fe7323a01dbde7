import Foundation
import KubeClient
import RegistryModel
import Testing
@testable import RegistryOperator

@Suite struct ApplyPlannerTests {
    private func configMap(_ data: [String: String]?, labels: [String: String] = [RegistryNames.managedByLabel: RegistryNames.managedByValue]) throws -> KubeObject {
        try KubeObject(ConfigMap(metadata: ObjectMeta(name: "cm", namespace: "ns", labels: labels), data: data))
    }

    private func served(_ object: KubeObject, extra: [String: JSONValue] = [:]) -> KubeObject {
        var copy = object
        copy.metadata.uid = "u1"
        copy.metadata.resourceVersion = "7"
        for (key, value) in extra { copy.fields[key] = value }
        return copy
    }

    /// A missing desired object is created.
    @Test func createsMissing() throws {
        let desired = DesiredObject(try configMap(["a": "1"]))
        let actions = ApplyPlanner.plan(desired: [desired], absent: [], observed: [:])
        #expect(actions == [.create(desired.key, desired.object)])
    }

    /// An object equal to what is wanted, plus server-added fields, needs no write.
    @Test func upToDateObjectNeedsNothing() throws {
        let desired = DesiredObject(try configMap(["a": "1"]), exactPaths: [["data"]])
        let observed = served(desired.object, extra: ["status": ["x": 1], "immutable": false])
        #expect(ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed]).isEmpty)
    }

    /// A field edited by hand is put back, keeping the observed resourceVersion for conflict detection.
    @Test func driftIsRepaired() throws {
        let desired = DesiredObject(try configMap(["a": "1"]))
        let observed = served(try configMap(["a": "2"]))
        let actions = ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed])
        guard case .update(_, let merged)? = actions.first else {
            Issue.record("expected an update, got \(actions)")
            return
        }
        #expect(merged.fields["data"] == ["a": "1"])
        #expect(merged.metadata.resourceVersion == "7")
        #expect(merged.metadata.uid == "u1")
    }

    /// A key added by hand to an exactly-owned map is removed; without the exact path it would be tolerated.
    @Test(arguments: [true, false]) func exactPathsRemoveAddedKeys(exact: Bool) throws {
        let desired = DesiredObject(try configMap(["a": "1"]), exactPaths: exact ? [["data"]] : [])
        let observed = served(try configMap(["a": "1", "hand": "edit"]))
        let actions = ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed])
        if exact {
            guard case .update(_, let merged)? = actions.first else {
                Issue.record("expected an update")
                return
            }
            #expect(merged.fields["data"] == ["a": "1"])
        } else {
            #expect(actions.isEmpty)
        }
    }

    /// Labels added by others are kept when the operator's own labels are restored.
    @Test func foreignLabelsSurvive() throws {
        let desired = DesiredObject(try configMap(["a": "1"]))
        var observed = served(try configMap(["a": "1"], labels: ["team": "x"]))
        observed.metadata.labels?["team"] = "x"
        let actions = ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed])
        guard case .update(_, let merged)? = actions.first else {
            Issue.record("expected an update")
            return
        }
        #expect(merged.metadata.labels?["team"] == "x")
        #expect(merged.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue)
    }

    /// Only objects carrying the operator's label are deleted; a user's object of the same name is left alone.
    @Test(arguments: [(true, 1), (false, 0)]) func deletesOnlyOwnedObjects(owned: Bool, expected: Int) throws {
        let object = served(try configMap(["a": "1"], labels: owned ? [RegistryNames.managedByLabel: RegistryNames.managedByValue] : [:]))
        let key = ObjectKey(object)!
        #expect(ApplyPlanner.plan(desired: [], absent: [key], observed: [key: object]).count == expected)
    }

    /// Absent objects that do not exist need no delete.
    @Test func absentAndMissingIsNothing() {
        let key = ObjectKey(.configMaps, namespace: "ns", name: "gone")
        #expect(ApplyPlanner.plan(desired: [], absent: [key], observed: [:]).isEmpty)
    }

    /// The registry deployment the operator builds is stable: planning it against itself as served is empty.
    @Test func registryDeploymentIsStable() throws {
        for desired in try Fixtures.registry().desired() {
            let observed = served(desired.object, extra: ["status": ["replicas": 1]])
            #expect(ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed]).isEmpty, "\(desired.key)")
        }
    }
}
