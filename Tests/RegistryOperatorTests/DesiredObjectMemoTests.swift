import Foundation
import KubeClient
import RegistryModel
import Synchronization
import Testing
@testable import RegistryOperator

/// The memos that let a pass over an unchanged cluster skip rebuilding and re-deriving the same objects.
@Suite struct DesiredObjectMemoTests {
    private func configMap(_ value: String) throws -> DesiredObject {
        DesiredObject(try KubeObject(ConfigMap(metadata: ObjectMeta(name: "cm", namespace: "ns"), data: ["a": value])))
    }

    /// Equal inputs hand back the objects built the first time; different inputs build again, and each family
    /// keeps its own entry.
    @Test func rebuildsOnlyWhenTheInputsChange() throws {
        let memo = DesiredObjectMemo()
        let builds = Mutex(0)
        func objects(_ family: DesiredObjectMemo.Family, _ input: String) throws -> [DesiredObject] {
            try memo.objects(family, from: input) { input in
                builds.withLock { $0 += 1 }
                return [try configMap(input)]
            }
        }
        #expect(try objects(.registry, "1") == [try configMap("1")])
        #expect(try objects(.registry, "1") == [try configMap("1")])
        #expect(builds.withLock { $0 } == 1)
        #expect(try objects(.registry, "2") == [try configMap("2")])
        #expect(builds.withLock { $0 } == 2)
        #expect(try objects(.clusterWide, "2") == [try configMap("2")])
        #expect(builds.withLock { $0 } == 3)
        #expect(try objects(.registry, "2").count == 1)
        #expect(builds.withLock { $0 } == 3)
    }

    /// A failed build is not remembered: the next call with the same inputs builds again.
    @Test func aFailedBuildIsNotKept() throws {
        struct Refused: Error {}
        let memo = DesiredObjectMemo()
        #expect(throws: Refused.self) { try memo.objects(.registry, from: 1) { _ in throw Refused() } }
        #expect(try memo.objects(.registry, from: 1) { _ in [try configMap("x")] }.count == 1)
    }

    /// A derived form is computed once for an object and its unchanged copies, and afresh for a changed copy.
    @Test func derivedFormsFollowTheContent() throws {
        struct Form: Sendable { let value: String }
        let computed = Mutex(0)
        func form(_ object: KubeObject) -> String {
            object.derived(Form.self) { object in
                computed.withLock { $0 += 1 }
                return Form(value: object.fields["data"]?["a"]?.stringValue ?? "")
            }.value
        }
        let original = try configMap("1").object
        let copy = original
        #expect(form(original) == "1")
        #expect(form(copy) == "1")
        #expect(computed.withLock { $0 } == 1)
        var changed = original
        changed.fields["data"] = ["a": "2"]
        #expect(form(changed) == "2")
        #expect(computed.withLock { $0 } == 2)
        #expect(form(original) == "1")
        #expect(computed.withLock { $0 } == 2)
    }

    /// The planner's comparable form of a changed object is the changed one: drift on an object compared
    /// before is still seen.
    @Test func driftOnAComparedObjectIsSeen() throws {
        let desired = try configMap("1")
        var observed = desired.object
        observed.metadata.resourceVersion = "7"
        #expect(ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed]).isEmpty)
        observed.fields["data"] = ["a": "edited"]
        let actions = ApplyPlanner.plan(desired: [desired], absent: [], observed: [desired.key: observed])
        guard case .update(_, let merged)? = actions.first else {
            Issue.record("expected an update, got \(actions)")
            return
        }
        #expect(merged.fields["data"]?["a"]?.stringValue == "1")
    }
}
