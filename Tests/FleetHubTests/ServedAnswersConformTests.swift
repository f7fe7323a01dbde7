import FleetAPI
import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import HTTPTypes
import OpenAPIRuntime
import RegistryModel
import Synchronization
import Testing
import Yams

/// Every operation of the API document, called through the generated client against a live hub, answers
/// with a documented status, a documented content type and a body that validates against the document's
/// schema for that status (closed schemas: a field the hub serves but the document does not name fails).
/// scripts/check-served-answers.py validates the recorded answers with jsonschema_rs.
@Suite struct ServedAnswersConformTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test func everyOperationAnswersAsTheDocumentSays() async throws {
        let recorder = AnswerRecorder()
        let hub = try await HubFixture.start(longPoll: .seconds(1), observers: [recorder])
        do {
            try await Self.callEveryOperation(hub)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()

        let answers = recorder.answers
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let operations = Set(paths.values.flatMap { $0.values.compactMap { $0["operationId"] as? String } })
        let answered = Set(answers.filter { (200..<300).contains($0.status) || $0.status == 304 }.map(\.operationId))
        #expect(operations.subtracting(answered).isEmpty, "operations never answered with success: \(operations.subtracting(answered).sorted())")
        #expect(answers.contains { $0.status >= 400 }, "no error answer was checked")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONEncoder().encode(answers).write(to: file)
        let python = Self.repository.appendingPathComponent(".build-tools/schemathesis/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("the schemathesis environment is not installed: run scripts/install-deps.sh")
            return
        }
        let (status, output) = try await ChildProcess.run(
            python.path,
            [
                Self.repository.appendingPathComponent("scripts/check-served-answers.py").path,
                Self.repository.appendingPathComponent("Sources/FleetAPI/openapi.yaml").path, file.path,
            ],
            standardError: .merged)
        #expect(status == 0, "answers that break the document:\n\(String(decoding: output, as: UTF8.self))")
    }

    /// Calls each operation at least once with success and a few with errors.
    static func callEveryOperation(_ hub: HubFixture) async throws {
        let admin = hub.admin
        let alpha = try await hub.enroll("alpha", labels: ["env": "prod"])
        let beta = try await hub.enroll("beta", labels: ["env": "dev"])
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var report = HubFixture.report(sequence: 1)
        report.pruneResults = [
            PruneReport(
                runID: "run-1", registryURL: "https://registry", dryRun: false, startedAt: start, finishedAt: start.addingTimeInterval(2),
                manifestsScanned: 10, deleted: 2, reclaimableBytes: 4096, errors: [])
        ]
        _ = try await alpha.report(report)
        _ = try await beta.report(HubFixture.report(sequence: 1))

        // The agent's operations.
        let desired = try await alpha.connection.api { try await $0.agentDesired(query: .init(after: -1, timeout: 1)).ok.body.json }
        _ = try await alpha.connection.api { _ = try await $0.agentDesired(query: .init(after: Int(desired.generation), timeout: 1)).notModified }
        let renewal = try SigningRequest(identity: .cluster("alpha"), key: FleetPrivateKey())
        _ = try await alpha.connection.api { try await $0.agentRenew(body: .json(RenewRequest(csr: renewal.pem))).ok.body.json }

        // Tokens.
        _ = try await admin.createToken(TokenRequest(cluster: "spare"))
        let spare = try #require(try await admin.tokens(cluster: "spare").first)
        try await admin.revokeToken(id: spare.id)
        _ = await failureStatus { _ = try await admin.createToken(TokenRequest(cluster: "Not_A_Name")) }

        // Clusters and their policies.
        let page = try await admin.clusterPage(limit: 1)
        _ = try await admin.clusterPage(limit: 1, continueToken: page.continueToken)
        _ = try await admin.cluster("alpha")
        _ = await failureStatus { _ = try await admin.cluster("missing") }
        _ = try await admin.setLabels("beta", labels: ["env": "dev", "tier": "2"])
        let policy = try await admin.policy("alpha")
        _ = try await admin.putPolicy("alpha", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(logLevel: "Debug")), generation: policy.generation))
        _ = await failureStatus {
            _ = try await admin.putPolicy("alpha", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2)), generation: policy.generation))
        }
        _ = try await admin.effectivePolicy("alpha")

        // Fleet policies (selecting no cluster, so that no rollout of theirs holds one) and freezes.
        let spec = FleetPolicySpec(
            selector: "env=staging", template: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
            strategy: RolloutStrategy(maxConcurrency: .percent(50), soakSeconds: 0, progressDeadlineSeconds: 300),
            maintenanceWindows: [MaintenanceWindow(schedule: "0 3 * * *", duration: "1h")])
        _ = try await admin.applyFleetPolicy("staging", spec)
        _ = try await admin.applyFleetPolicy("staging", spec)
        _ = try await admin.previewFleetPolicy("staging", spec)
        _ = try await admin.fleetPolicies()
        _ = try await admin.fleetPolicy("staging")
        _ = try await admin.deleteFleetPolicy("staging")
        _ = try await admin.putFreeze("release", FreezeRequest(selector: "env=dev", reason: "release", until: start.addingTimeInterval(86_400 * 3650)))
        _ = try await admin.freezes()
        _ = try await admin.deleteFreeze("release")

        // Fleet views.
        _ = try await admin.health()
        _ = try await admin.pruneResults()
        _ = try await admin.audit()

        // Rollouts.
        let plan = RolloutPlan(
            name: "replicas-three", selector: "env=prod", change: FleetPolicy(registry: RegistryPolicy(replicas: 3)),
            strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .count(1), soakSeconds: 0, progressDeadlineSeconds: 60))
        _ = try await admin.previewRollout(plan)
        let rollout = try await admin.createRollout(plan)
        _ = try await admin.rollouts()
        _ = try await admin.rollout("replicas-three")
        for action in RolloutAction.allCases { _ = try await admin.controlRollout(rollout.id, action: action) }
        _ = await failureStatus { _ = try await admin.controlRollout("no-such-rollout", action: .pause) }

        // Certificates and deletion.
        _ = try await admin.revokeCertificate(CertificateRevocationRequest(serial: beta.certificate.serial, reason: "test"))
        _ = try await admin.deleteCluster("beta")

        // The operations that answer text or HTML.
        try await admin.connection.api { client in
            _ = try await client.liveness().ok
            _ = try await client.readiness().ok
            _ = try await client.metrics().ok
            _ = try await client.openAPIDocument().ok
            _ = try await client.dashboard().ok
            _ = try await client.dashboardCluster(path: .init(name: "alpha")).ok
            _ = try await client.dashboardRollout(path: .init(id: rollout.id)).ok
        }
    }
}

/// Keeps every answer the generated client receives, as it arrived.
final class AnswerRecorder: ClientMiddleware, Sendable {
    struct Answer: Codable, Sendable {
        var operationId: String
        var status: Int
        var contentType: String?
        var body: String
    }

    private let recorded = Mutex<[Answer]>([])
    var answers: [Answer] { recorded.withLock { $0 } }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        let data = if let answer { try await Data(collecting: answer, upTo: 16 << 20) } else { Data() }
        let entry = Answer(
            operationId: operationID, status: response.status.code, contentType: response.headerFields[.contentType],
            body: String(decoding: data, as: UTF8.self))
        recorded.withLock { $0.append(entry) }
        return (response, answer == nil ? nil : HTTPBody(data))
    }
}
