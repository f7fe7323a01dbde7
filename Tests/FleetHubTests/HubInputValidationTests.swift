import FleetClient
import FleetHub
import Foundation
import RegistryModel
import Testing

@Suite struct HubInputValidationTests {
    struct BadRequest: CustomTestStringConvertible, Sendable {
        var name: String
        var method: String
        var path: String
        var body: String?
        var contentType = "application/json"
        var accept = "application/json, */*;q=0.5"
        var status: Int
        var field: String?
        /// Sent with the agent's certificate instead of the admin's.
        var agent = false
        var testDescription: String { name }
    }

    static let cases: [BadRequest] = [
        BadRequest(name: "malformed JSON", method: "PUT", path: "/v1/clusters/edge/policy", body: "{\"registry\": ", status: 400),
        BadRequest(name: "unknown field", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replica":2}}"#, status: 422, field: "registry.replica"),
        BadRequest(name: "wrong type", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":"two"}}"#, status: 422, field: "registry.replicas"),
        BadRequest(name: "invalid cron", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"schedule":"61 * * * *"}}"#, status: 422, field: "pruner.schedule"),
        BadRequest(name: "invalid duration", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"keepYoungerThanDuration":"an hour"}}"#, status: 422, field: "pruner.keepYoungerThanDuration"),
        BadRequest(name: "negative replicas", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"replicas":-1}}"#, status: 422, field: "registry.replicas"),
        BadRequest(name: "Force refused", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"registry":{"managementState":"Force"}}"#, status: 422, field: "registry.managementState"),
        BadRequest(name: "negative keepTagRevisions", method: "PUT", path: "/v1/clusters/edge/policy", body: #"{"pruner":{"keepTagRevisions":-3}}"#, status: 422, field: "pruner.keepTagRevisions"),
        BadRequest(name: "not JSON", method: "PUT", path: "/v1/clusters/edge/policy", body: "registry: {}", contentType: "text/yaml", status: 415),
        BadRequest(name: "oversized body", method: "PUT", path: "/v1/clusters/edge/policy", body: "{\"registry\":{\"logLevel\":\"" + String(repeating: "x", count: 70_000) + "\"}}", status: 413),
        BadRequest(name: "cluster name not DNS-1123", method: "GET", path: "/v1/clusters/Edge_1/policy", status: 422, field: "name"),
        BadRequest(name: "token for a bad name", method: "POST", path: "/v1/tokens", body: #"{"cluster":"-bad-"}"#, status: 422, field: "cluster"),
        BadRequest(name: "bad label", method: "PUT", path: "/v1/clusters/edge/labels", body: #"{"labels":{"env":"not ok!"}}"#, status: 422, field: "labels.env"),
        BadRequest(name: "bad selector", method: "GET", path: "/v1/clusters?selector=env%20in%20prod", status: 400, field: "selector"),
        BadRequest(name: "bad since", method: "GET", path: "/v1/prune-results?since=yesterday", status: 400, field: "since"),
        BadRequest(name: "unknown cluster", method: "GET", path: "/v1/clusters/nowhere/policy", status: 404),
        BadRequest(name: "limit not an integer", method: "GET", path: "/v1/prune-results?limit=ten", status: 400, field: "limit"),
        BadRequest(
            name: "dryRun not a boolean", method: "PUT", path: "/v1/fleet-policies/edge-only?dryRun=yes",
            body: #"{"selector":"env=edge","template":{"registry":{"replicas":2}}}"#, status: 400, field: "dryRun"),
        BadRequest(name: "dashboard sort not one of the documented", method: "GET", path: "/?sort=size", status: 400, field: "sort"),
        BadRequest(name: "Accept allows no JSON", method: "GET", path: "/v1/clusters/edge/policy", accept: "text/html", status: 406),
        BadRequest(name: "Accept allows no YAML", method: "GET", path: "/v1/openapi.yaml", accept: "application/xml", status: 406),
    ]

    /// Bad input gets a clear 4xx naming the field, and changes nothing in the database.
    @Test(arguments: cases) func badInputChangesNothing(_ testCase: BadRequest) async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            let policyBefore = try await hub.admin.policy("edge")
            let auditBefore = try await hub.admin.audit(limit: 1000).count
            let (status, body) = try await hub.admin.connection.send(
                .init(rawValue: testCase.method), testCase.path, body: testCase.body.map { Data($0.utf8) }, contentType: testCase.contentType, accept: testCase.accept)
            #expect(status == testCase.status, "\(String(decoding: body, as: UTF8.self))")
            let error = HubConnection.error(status: status, body: body)
            #expect(!error.message.isEmpty)
            if let field = testCase.field { #expect(error.field == field, "\(error.message)") }
            #expect(try await hub.admin.policy("edge") == policyBefore)
            #expect(try await hub.admin.audit(limit: 1000).count == auditBefore)
            #expect(try await hub.admin.cluster("edge").summary.labels == [:])
            #expect(try await hub.admin.connection.send(.GET, "/v1/fleet-policies/edge-only").status == 404)
            await agent.connection.shutdown()
        }
    }

    /// An agent report with unknown fields or an oversized body is refused and not stored.
    @Test func badReportsAreRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            var tree = try JSONCoding.tree(HubFixture.report(sequence: 1))
            tree["surprise"] = true
            let (status, _) = try await agent.connection.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(tree))
            #expect(status == 422)
            let (zeroStatus, _) = try await agent.connection.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(HubFixture.report(sequence: 0)))
            #expect(zeroStatus == 422)
            var huge = HubFixture.report(sequence: 2)
            huge.registry.conditions[0].message = String(repeating: "m", count: 300_000)
            #expect(try await agent.connection.send(.POST, "/v1/agent/reports", body: try JSONCoding.encode(huge)).status == 413)
            #expect(try await hub.admin.cluster("edge").latestReport == nil)
            await agent.connection.shutdown()
        }
    }
}
