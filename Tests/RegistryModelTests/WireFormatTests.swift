import FleetModel
import Foundation
import RegistryModel
import Testing

/// Hub and agent exchange these types as JSON; they must survive the trip exactly, dates as RFC 3339.
@Suite struct WireFormatTests {
    private static let collected = Fixtures.time("2026-11-26T06:45:50Z")

    private static let report = AgentReport(
        sequence: 42, observedGeneration: 7, agentVersion: "1.2.3", collectedAt: collected,
        registry: RegistryObservation(
            managementState: .managed, storageManagementState: .unmanaged, replicas: 2, readyReplicas: 1, generation: 3,
            observedGeneration: 3,
            conditions: [
                Condition(type: "Available", status: .true, reason: "Ready", message: "ok", lastTransitionTime: collected, observedGeneration: 3)
            ]),
        pruner: PrunerObservation(
            schedule: "0 0 * * *", suspend: false, conditions: [Condition(type: "Failed", status: .false, lastTransitionTime: collected)]),
        workloads: [
            WorkloadStatus(kind: "Deployment", name: "image-registry", present: true, ready: false, desired: 2, readyCount: 1, message: "1 of 2")
        ],
        pruneResults: [
            PruneReport(
                runID: "run-1", registryURL: RegistryNames.internalRegistryURL, dryRun: false, startedAt: collected,
                finishedAt: collected.addingTimeInterval(12.5), repositoriesScanned: 3, manifestsScanned: 10, keptByRule: ["young": 2, "revisions": 5],
                deleted: 3, unreferencedBlobs: 4, reclaimableBytes: 1_048_576, errors: [PruneError(repository: "a/b", message: "timeout")])
        ],
        summarizedReports: 2)

    /// An AgentReport decodes back equal, strictly (every field it writes, it reads).
    @Test func agentReportRoundTrips() throws {
        let data = try JSONCoding.encode(Self.report)
        #expect(try JSONCoding.decode(AgentReport.self, from: data) == Self.report)
        #expect(try StrictJSON.decode(AgentReport.self, from: data) == Self.report)
    }

    /// Dates are written as RFC 3339: whole seconds without a fraction, others with milliseconds.
    @Test func datesAreRFC3339() throws {
        let text = String(decoding: try JSONCoding.encode(Self.report), as: UTF8.self)
        #expect(text.contains(#""collectedAt":"2026-11-26T06:45:50Z""#))
        #expect(text.contains(#""finishedAt":"2026-11-26T06:46:02.500Z""#))
    }

    /// A PolicyDocument decodes back equal, with its update time.
    @Test func policyDocumentRoundTrips() throws {
        let document = PolicyDocument(
            cluster: "eu-1", generation: 9,
            policy: FleetPolicy(
                registry: RegistryPolicy(managementState: .removed, replicas: 0, storage: StoragePolicy(managementState: .unmanaged)),
                pruner: PrunerPolicy(schedule: "@daily", keepYoungerThanDuration: "2h")),
            updatedBy: "admin/alice", updatedAt: Fixtures.time("2026-11-26T06:45:50.123Z"))
        let data = try JSONCoding.encode(document)
        #expect(try StrictJSON.decode(PolicyDocument.self, from: data) == document)
        #expect(String(decoding: data, as: UTF8.self).contains(#""updatedAt":"2026-11-26T06:45:50.123Z""#))
    }

    /// Time texts Kubernetes and the hub may send, and the instant each means.
    struct Time: Sendable, CustomTestStringConvertible {
        let text: String
        let seconds: Double
        var testDescription: String { text }
    }

    private static let times: [Time] = [
        Time(text: "2026-11-26T06:45:50Z", seconds: 1_795_675_550),
        Time(text: "2026-11-26T06:45:50.250Z", seconds: 1_795_675_550.25),
        Time(text: "2026-11-26T06:45:50.123456Z", seconds: 1_795_675_550.123456),
        Time(text: "2026-11-26T08:45:50+02:00", seconds: 1_795_675_550),
    ]

    /// `RFC3339.parse` reads whole, fractional (micro-time too) and offset times.
    @Test(arguments: times)
    func parsesTimes(_ testCase: Time) throws {
        let date = try #require(RFC3339.parse(testCase.text))
        #expect(abs(date.timeIntervalSince1970 - testCase.seconds) < 0.001)
    }

    /// Format then parse gives the same instant, to the millisecond.
    @Test func formatParsesBack() throws {
        for seconds in [0, 1_795_675_550, 1_795_675_550.5, 1_795_675_550.125] {
            let date = Date(timeIntervalSince1970: seconds)
            let parsed = try #require(RFC3339.parse(RFC3339.format(date)))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.0005)
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    /// A bad time is refused with a message naming it.
    @Test func badTimeIsRefused() {
        let json = #"{"cluster":"a","generation":1,"updatedAt":"yesterday"}"#
        let errors = Fixtures.strictErrors(PolicyDocument.self, json)
        #expect(errors == [FieldError(path: "updatedAt", message: #"invalid RFC 3339 time "yesterday""#)])
    }

    /// The other wire bodies round-trip too.
    @Test func otherBodiesRoundTrip() throws {
        let summary = ClusterSummary(
            name: "eu-1", labels: ["env": "prod"], enrolledAt: Self.collected,
            health: ClusterHealth(state: .degraded, reason: "Unavailable", message: "m", prunerFailing: true), desiredGeneration: 3,
            observedGeneration: 2, managementState: .managed, lastReportAt: Self.collected, agentVersion: "1.0")
        let detail = ClusterDetail(
            summary: summary, policy: PolicyDocument(cluster: "eu-1", generation: 3, policy: FleetPolicy()), latestReport: Self.report,
            certificateSerials: ["01"])
        #expect(try JSONCoding.decode(ClusterDetail.self, from: JSONCoding.encode(detail)) == detail)
        let update = PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(managementState: .removed)), generation: 3, acknowledgeDataLoss: true)
        #expect(try StrictJSON.decode(PolicyUpdateRequest.self, from: JSONCoding.encode(update)) == update)
        #expect(String(decoding: try JSONCoding.encode(ClusterState.healthy), as: UTF8.self) == #""Healthy""#)
    }
}
