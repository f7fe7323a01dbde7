import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// The inputs that used to crash or starve the hub (issue 17), each sent to a live hub: every one
/// is refused with a 4xx in the API's error shape, the database is unchanged, and the hub keeps
/// answering afterwards.
@Suite struct HubHardeningTests {
    typealias Probe = HubInputValidationTests.BadRequest

    static let int32Overflow = "2147483648"
    static let int64Max = "9223372036854775807"

    static let probes: [Probe] = [
        Probe(name: "token ttlSeconds Int64.max", method: "POST", path: "/v1/tokens", body: #"{"cluster":"x","ttlSeconds":\#(int64Max)}"#, status: 422, field: "ttlSeconds"),
        Probe(name: "token ttlSeconds negative", method: "POST", path: "/v1/tokens", body: #"{"cluster":"x","ttlSeconds":-1}"#, status: 422, field: "ttlSeconds"),
        Probe(name: "duplicate key in a policy", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":1},"registry":{"replicas":5}}"#, status: 400),
        Probe(name: "duplicate nested key in a policy", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":1,"replicas":5}}"#, status: 400),
        Probe(name: "duplicate cluster in a token request", method: "POST", path: "/v1/tokens", body: #"{"cluster":"a","cluster":"b"}"#, status: 400),
        Probe(name: "duplicate label key", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"env":"prod","env":"dev"}}"#, status: 400),
        Probe(name: "duplicate sequence in a report", method: "POST", path: "/v1/agent/reports", body: reportJSON(extra: #""sequence":7,"#), status: 400, agent: true),
        Probe(name: "replicas over int32", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":\#(int32Overflow)}}"#, status: 422, field: "registry.replicas"),
        Probe(name: "replicas Int64.max", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":\#(int64Max)}}"#, status: 422, field: "registry.replicas"),
        Probe(name: "keepTagRevisions over int32", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"keepTagRevisions":\#(int64Max)}}"#, status: 422, field: "pruner.keepTagRevisions"),
        Probe(name: "successfulJobsHistoryLimit over int32", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"successfulJobsHistoryLimit":\#(int32Overflow)}}"#, status: 422, field: "pruner.successfulJobsHistoryLimit"),
        Probe(name: "failedJobsHistoryLimit over int32", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"failedJobsHistoryLimit":\#(int32Overflow)}}"#, status: 422, field: "pruner.failedJobsHistoryLimit"),
        Probe(name: "number beyond Int64", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":1e300}}"#, status: 422, field: "registry.replicas"),
        Probe(name: "acknowledgeDataLoss null", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"managementState":"Removed"},"acknowledgeDataLoss":null}"#, status: 422, field: "acknowledgeDataLoss"),
        Probe(name: "Content-Type application/jsonp", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"a":"b"}}"#, contentType: "application/jsonp", status: 415),
        Probe(name: "Content-Type application/json-patch+json", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"a":"b"}}"#, contentType: "application/json-patch+json", status: 415),
        Probe(name: "Content-Type charset utf-16", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"a":"b"}}"#, contentType: "application/json; charset=utf-16", status: 415),
        Probe(name: "Content-Type with an unknown parameter", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"a":"b"}}"#, contentType: "application/json; boundary=x", status: 415),
        Probe(name: "rollout maxConcurrency Int64.max percent", method: "POST", path: "/v1/rollouts", body: #"{"change":{"registry":{"replicas":2}},"selector":"env=x","strategy":{"maxConcurrency":"\#(int64Max)%"}}"#, status: 422, field: "strategy.maxConcurrency"),
        Probe(name: "rollout maxFailures Int64.max percent", method: "POST", path: "/v1/rollouts", body: #"{"change":{"registry":{"replicas":2}},"selector":"env=x","strategy":{"maxFailures":"\#(int64Max)%"}}"#, status: 422, field: "strategy.maxFailures"),
        Probe(name: "rollout soakSeconds Int64.max", method: "POST", path: "/v1/rollouts", body: #"{"change":{"registry":{"replicas":2}},"selector":"env=x","strategy":{"soakSeconds":\#(int64Max)}}"#, status: 422, field: "strategy.soakSeconds"),
        Probe(name: "unknown route", method: "GET", path: "/v1/nothing-here", status: 404),
        Probe(name: "unknown method on a known path", method: "PATCH", path: "/v1/clusters/edge", status: 405),
        Probe(name: "prune run with Int64-sized bytes", method: "POST", path: "/v1/agent/reports", body: reportJSON(extra: "", pruneBytes: "5000000000000000000"), status: 422, field: "pruneResults[0].reclaimableBytes", agent: true),
        Probe(name: "negative prune bytes", method: "POST", path: "/v1/agent/reports", body: reportJSON(extra: "", pruneBytes: "-1"), status: 422, field: "pruneResults[0].reclaimableBytes", agent: true),
        Probe(name: "replicas over int32 in a report", method: "POST", path: "/v1/agent/reports", body: reportJSON(extra: "", replicas: int64Max), status: 422, field: "registry.replicas", agent: true),
    ]

    /// A report body as an agent sends it, with `extra` members spliced in first.
    static func reportJSON(extra: String, pruneBytes: String? = nil, replicas: String = "1") -> String {
        let prune = pruneBytes.map {
            #","pruneResults":[{"runID":"r1","registryURL":"https://r","dryRun":false,"startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:01Z","repositoriesScanned":1,"manifestsScanned":1,"keptByRule":{},"deleted":1,"unreferencedBlobs":1,"reclaimableBytes":\#($0),"errors":[]}]"#
        } ?? ""
        return #"{\#(extra)"sequence":1,"observedGeneration":0,"agentVersion":"t","collectedAt":"2026-01-01T00:00:00Z","registry":{"managementState":"Managed","replicas":\#(replicas),"conditions":[]},"workloads":[]\#(prune)}"#
    }

    /// Each probe gets its documented 4xx with the error body (naming the field where one is at
    /// fault), the database is unchanged, and the hub still answers.
    @Test(arguments: probes) func probeIsRefusedAndChangesNothing(_ probe: Probe) async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            _ = try await hub.admin.setLabels("edge", labels: ["env": "x"])
            let policyBefore = try await hub.admin.policy("edge")
            let auditBefore = try await hub.admin.audit(limit: 1000)
            let connection = probe.agent ? agent.connection : hub.admin.connection
            let (status, body) = try await connection.send(
                .init(rawValue: probe.method), probe.path, body: probe.body.map { Data($0.utf8) }, contentType: probe.contentType)
            #expect(status == probe.status, "\(String(decoding: body, as: UTF8.self))")
            let error = try JSONCoding.decode(APIErrorBody.self, from: body).error
            #expect(!error.message.isEmpty)
            #expect(!error.message.contains(".swift"), "no source paths in messages: \(error.message)")
            if let field = probe.field { #expect(error.field == field, "\(error.message)") }
            #expect(try await hub.admin.policy("edge") == policyBefore)
            #expect(try await hub.admin.audit(limit: 1000) == auditBefore)
            #expect(try await hub.admin.cluster("edge").summary.labels == ["env": "x"])
            #expect(try await hub.admin.cluster("edge").latestReport == nil)
            #expect(try await hub.admin.pruneResults().results.isEmpty)
            #expect(try await hub.anonymous.send(.GET, "/healthz").status == 200)
        }
    }

    /// A path that exists with other methods answers 405 naming them in `Allow`.
    @Test func wrongMethodListsAllowedMethods() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let credential = try hub.pki.loadAdminCredential(name: "admin")
            let peer = try await RawPeer.connect(
                port: hub.server.port, tls: try RawPeer.tls(pki: hub.pki, credential: (credential.certificatePEM, credential.privateKeyPEM)))
            try await peer.send("PATCH /v1/clusters/edge HTTP/1.1\r\nHost: hub\r\nContent-Length: 0\r\n\r\n")
            try await waitUntil { peer.text.contains("\r\n\r\n{") && peer.text.hasSuffix("}") }
            #expect(peer.text.hasPrefix("HTTP/1.1 405"))
            #expect(peer.text.lowercased().contains("allow: delete, get"))
            #expect(peer.text.contains(#""code":"method_not_allowed""#))
            await peer.close()
        }
    }

    /// Rows stored before values were range-checked (written here straight into the store) cannot
    /// make a read trap: fleet totals saturate and the dashboard still renders.
    @Test func poisonedStoredRowsCannotCrashReads() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.enroll("edge")
            let start = hub.clock.now()
            for sequence in 1...2 {
                var report = HubFixture.report(sequence: Int64(sequence))
                report.pruneResults = [
                    PruneReport(
                        runID: "poison-\(sequence)", registryURL: "https://r", dryRun: false, startedAt: start, finishedAt: start,
                        keptByRule: ["young": Int.max, "revisions": Int.max], deleted: Int.max, reclaimableBytes: 5_000_000_000_000_000_000)
                ]
                _ = try await hub.services.store.ingest(cluster: "edge", report: report, encoded: nil)
            }
            let results = try await hub.admin.pruneResults()
            #expect(results.results.count == 2)
            #expect(results.totals.reclaimableBytes == Int64.max)
            #expect(results.totals.manifestsDeleted == Int.max)
            #expect(results.results.allSatisfy { $0.report.kept == Int.max })
            #expect(try await hub.admin.connection.send(.GET, "/").status == 200)
            #expect(try await hub.anonymous.send(.GET, "/healthz").status == 200)
        }
    }

    /// The same prune run id from two clusters is two runs: no cluster can pre-empt another's.
    @Test func pruneRunIDsAreScopedPerCluster() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let alpha = try await hub.enroll("alpha")
            let beta = try await hub.enroll("beta")
            let start = hub.clock.now()
            for (index, agent) in [alpha, beta].enumerated() {
                var report = HubFixture.report(sequence: 1)
                report.pruneResults = [
                    PruneReport(runID: "same-id", registryURL: "https://r", dryRun: false, startedAt: start, finishedAt: start, deleted: index + 1)
                ]
                _ = try await agent.report(report)
            }
            let results = try await hub.admin.pruneResults()
            #expect(Set(results.results.map(\.cluster)) == ["alpha", "beta"])
            #expect(results.totals.manifestsDeleted == 3)
        }
    }

    /// A renewal leaves the old certificate working until the new one is first used (a lost
    /// renewal answer must not strand the agent); from then on the old one is refused with 401.
    @Test func renewalRevokesThePreviousCertificateOnFirstUse() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            let key = FleetPrivateKey()
            let csr = try SigningRequest(identity: .cluster("edge"), key: key)
            let renewed = try await agent.connection.call(.POST, "/v1/agent/renew", body: RenewRequest(csr: csr.pem), as: CertificateResponse.self)
            #expect(try await agent.report(HubFixture.report(sequence: 1)).sequence == 1)
            let fresh = hub.track(
                try HubConnection(
                    baseURL: hub.baseURL, caCertificatePEM: try hub.pki.loadCACertificatePEM(), clientCertificatePEM: renewed.certificate,
                    clientKeyPEM: key.pem))
            #expect(try await fresh.call(.POST, "/v1/agent/reports", body: HubFixture.report(sequence: 2), as: ReportAck.self).sequence == 2)
            let (status, _) = try await agent.connection.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(HubFixture.report(sequence: 3)))
            #expect(status == 401)
            let valid = try await hub.services.store.certificates(cluster: "edge").filter { $0.revokedAt == nil }.map(\.serial)
            #expect(valid == [renewed.serial])
        }
    }
}
