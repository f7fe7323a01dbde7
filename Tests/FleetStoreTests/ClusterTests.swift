import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct ClusterTests {
    /// Enrolling creates an active cluster with the token's labels; a deleted cluster enrolls again
    /// with its new token's labels, keeps its policy generation and starts a fresh report stream.
    @Test(arguments: StoreKind.allCases) func enrollAndReenrollAfterDelete(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let enrolled = try await store.enrollCluster("edge-1", labels: ["env": "prod"])
        #expect(enrolled.labels == ["env": "prod"])
        #expect(enrolled.enrolledAt == fixture.clock.now())
        #expect(enrolled.policyGeneration == 0)
        #expect(try await store.isActive("edge-1"))
        try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), actor: "admin/alice")
        _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(7))

        fixture.clock.advance(by: 60)
        try await store.deleteCluster("edge-1", actor: "admin/alice")
        #expect(try await store.isActive("edge-1") == false)
        #expect(try await store.cluster("edge-1").deletedAt == fixture.clock.now())
        #expect(try await store.clusters().isEmpty)

        fixture.clock.advance(by: 60)
        let again = try await store.enrollCluster("edge-1", labels: ["env": "staging"])
        #expect(again.isActive)
        #expect(again.labels == ["env": "staging"])
        #expect(again.enrolledAt == fixture.clock.now())
        #expect(again.policyGeneration == 1)
        #expect(again.latestReport == nil)
        #expect(try await store.reportHistory(cluster: "edge-1").isEmpty)
        let ack = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1))
        #expect(ack.duplicate == false)
        try await store.close()
    }

    /// Deleting a cluster revokes every serial it was issued in the same transaction, and the
    /// revocation holds after reopening; other identities stay valid.
    @Test(arguments: StoreKind.allCases) func deleteRevokesEverySerialDurably(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        try await store.enrollCluster("edge-2")
        let notAfter = fixture.clock.now().addingTimeInterval(86_400)
        try await store.recordCertificate(serial: "0a01", role: .agent, subject: "edge-1", notAfter: notAfter)
        fixture.clock.advance(by: 10)
        try await store.recordCertificate(serial: "0a02", role: .agent, subject: "edge-1", notAfter: notAfter)
        try await store.recordCertificate(serial: "0b01", role: .agent, subject: "edge-2", notAfter: notAfter)
        try await store.recordCertificate(serial: "ad01", role: .admin, subject: "alice", notAfter: notAfter)
        #expect(store.isRevoked("0a01") == false)

        let revoked = try await store.deleteCluster("edge-1", actor: "admin/alice")
        #expect(Set(revoked) == ["0a01", "0a02"])
        #expect(store.isRevoked("0a01") && store.isRevoked("0a02"))
        #expect(!store.isRevoked("0b01") && !store.isRevoked("ad01"))
        let certificates = try await store.certificates(cluster: "edge-1")
        #expect(certificates.map(\.serial) == ["0a02", "0a01"])
        #expect(certificates.allSatisfy { $0.revokedAt == fixture.clock.now() })
        try await store.close()

        let reopened = try await fixture.open()
        #expect(reopened.isRevoked("0a01") && reopened.isRevoked("0a02"))
        #expect(!reopened.isRevoked("0b01") && !reopened.isRevoked("ad01"))
        try await reopened.close()
    }

    /// Deleting an unknown or already deleted cluster is `notFound` and revokes nothing.
    @Test(arguments: StoreKind.allCases) func deletingUnknownClusterIsNotFound(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let error = await #expect(throws: StoreError.self) { try await store.deleteCluster("ghost", actor: "admin/alice") }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("ghost") == true)
        try await store.enrollCluster("edge-1")
        try await store.deleteCluster("edge-1", actor: "admin/alice")
        await #expect(throws: StoreError(code: .notFound, message: "")) { try await store.deleteCluster("edge-1", actor: "admin/alice") }
        #expect(try await store.audit(actor: "admin/alice").filter { $0.action == AuditAction.clusterDelete }.count == 1)
        try await store.close()
    }

    /// Listing filters by a Kubernetes label selector and leaves deleted clusters out unless asked.
    @Test(arguments: StoreKind.allCases) func listingFiltersByLabelSelector(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("prod-eu", labels: ["env": "prod", "region": "eu"])
        try await store.enrollCluster("prod-us", labels: ["env": "prod", "region": "us"])
        try await store.enrollCluster("dev-eu", labels: ["env": "dev", "region": "eu", "canary": "true"])
        try await store.enrollCluster("gone", labels: ["env": "prod", "region": "eu"])
        try await store.deleteCluster("gone", actor: "admin/alice")
        let cases: [(selector: String, expected: [String])] = [
            ("", ["dev-eu", "prod-eu", "prod-us"]),
            ("env=prod", ["prod-eu", "prod-us"]),
            ("env!=prod", ["dev-eu"]),
            ("region in (eu),env", ["dev-eu", "prod-eu"]),
            ("!canary", ["prod-eu", "prod-us"]),
            ("env=prod,region notin (us)", ["prod-eu"]),
        ]
        for (selector, expected) in cases {
            let names = try await store.clusters(matching: LabelSelector(parsing: selector)).map(\.name)
            #expect(names == expected, "selector \(selector)")
        }
        let withDeleted = try await store.clusters(matching: LabelSelector(parsing: "region=eu"), includeDeleted: true).map(\.name)
        #expect(withDeleted == ["dev-eu", "gone", "prod-eu"])
        try await store.close()
    }

    /// Replacing labels is audited with before and after; an unknown cluster is `notFound` and writes nothing.
    @Test(arguments: StoreKind.allCases) func setLabelsAuditsAndRefusesUnknownCluster(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1", labels: ["env": "dev"])
        let updated = try await store.setLabels(cluster: "edge-1", labels: ["env": "prod", "tier": "edge"], actor: "admin/bob")
        #expect(updated.labels == ["env": "prod", "tier": "edge"])
        #expect(try await store.clusters(matching: LabelSelector(parsing: "env=prod")).map(\.name) == ["edge-1"])
        let entry = try #require(try await store.audit(limit: 1).first)
        #expect(entry.action == AuditAction.clusterLabels)
        #expect(entry.actor == "admin/bob")
        #expect(entry.detail == ["before": ["env": "dev"], "after": ["env": "prod", "tier": "edge"]])

        let auditCount = try await store.audit().count
        await #expect(throws: StoreError(code: .notFound, message: "")) {
            try await store.setLabels(cluster: "ghost", labels: ["env": "prod"], actor: "admin/bob")
        }
        #expect(try await store.audit().count == auditCount)
        try await store.close()
    }

    /// An agent certificate needs an enrolled cluster, a serial is recorded once, and revoking a
    /// serial the store never saw still refuses it.
    @Test(arguments: StoreKind.allCases) func certificateRecordingRules(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let notAfter = fixture.clock.now().addingTimeInterval(3600)
        await #expect(throws: StoreError(code: .notFound, message: "")) {
            try await store.recordCertificate(serial: "01", role: .agent, subject: "ghost", notAfter: notAfter)
        }
        try await store.enrollCluster("edge-1")
        try await store.recordCertificate(serial: "01", role: .agent, subject: "edge-1", notAfter: notAfter)
        await #expect(throws: StoreError(code: .alreadyExists, message: "")) {
            try await store.recordCertificate(serial: "01", role: .agent, subject: "edge-1", notAfter: notAfter)
        }
        #expect(try await store.revokeCertificate(serial: "ff", actor: "admin/alice"))
        #expect(try await store.revokeCertificate(serial: "ff", actor: "admin/alice") == false)
        #expect(store.isRevoked("ff"))
        #expect(try await store.revokeCertificates(cluster: "edge-1", actor: "admin/alice") == ["01"])
        #expect(store.isRevoked("01"))
        #expect(try await store.isActive("edge-1"))
        try await store.close()
    }
}
