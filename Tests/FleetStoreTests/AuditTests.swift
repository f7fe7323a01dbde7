import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct AuditTests {
    /// Every admin write leaves an audit row in its own transaction, with generations for policy changes.
    @Test(arguments: StoreKind.allCases) func adminWritesAreAudited(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1", labels: ["env": "dev"])
        fixture.clock.advance(by: 1)
        try await store.setLabels(cluster: "edge-1", labels: ["env": "prod"], actor: "admin/alice")
        fixture.clock.advance(by: 1)
        try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), actor: "admin/alice")
        fixture.clock.advance(by: 1)
        try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 3), actor: "rollout/r7")
        fixture.clock.advance(by: 1)
        try await store.deleteCluster("edge-1", actor: "admin/bob")

        let entries = try await store.audit()
        #expect(
            entries.map(\.action) == [
                AuditAction.clusterDelete, AuditAction.policyUpdate, AuditAction.policyUpdate, AuditAction.clusterLabels,
                AuditAction.clusterEnroll, AuditAction.tokenCreate,
            ])
        #expect(entries.allSatisfy { $0.target == "edge-1" })
        #expect(entries.map(\.id) == entries.map(\.id).sorted(by: >))
        let policyChanges = entries.filter { $0.action == AuditAction.policyUpdate }
        #expect(policyChanges.map(\.generationBefore) == [1, 0])
        #expect(policyChanges.map(\.generationAfter) == [2, 1])
        #expect(policyChanges.map(\.actor) == ["rollout/r7", "admin/alice"])
        let change = try #require(policyChanges.first?.detail?.objectValue?["changes"]?.arrayValue?.first)
        #expect(change == ["path": "registry.replicas", "from": 2, "to": 3])
        #expect(entries.last?.actor == "admin/alice")
        try await store.close()
    }

    /// Audit queries filter by actor and time and honour the limit; appended rows keep their detail.
    @Test(arguments: StoreKind.allCases) func auditQueriesFilterAndAppendKeepsDetail(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let start = fixture.clock.now()
        try await store.appendAudit(actor: "admin/alice", action: "rollout.create", target: "r1", detail: ["stages": 3])
        fixture.clock.advance(by: 100)
        let paused = try await store.appendAudit(actor: "rollout/r1", action: "rollout.pause", target: "r1", detail: ["reason": "unhealthy"])
        fixture.clock.advance(by: 100)
        try await store.appendAudit(actor: "admin/alice", action: "rollout.resume", target: "r1")

        #expect(try await store.audit(actor: "admin/alice").map(\.action) == ["rollout.resume", "rollout.create"])
        #expect(try await store.audit(since: start.addingTimeInterval(50)).map(\.action) == ["rollout.resume", "rollout.pause"])
        #expect(try await store.audit(limit: 1).map(\.action) == ["rollout.resume"])
        let stored = try #require(try await store.audit(actor: "rollout/r1").first)
        #expect(stored == paused)
        #expect(stored.at == start.addingTimeInterval(100))
        try await store.close()
    }
}
