import FleetModel
import Foundation
import RegistryModel
import Testing

/// The report field for an agent whose cluster API server is unreachable, and the state it gives.
@Suite struct ClusterAPIUnreachableTests {
    static let now = Fixtures.time("2026-03-14T10:00:00Z")

    /// A report of a healthy registry, as last observed.
    static func report(unreachable: ClusterAPIUnreachable?) -> AgentReport {
        AgentReport(
            sequence: 9, observedGeneration: 5, agentVersion: "0.1.0", collectedAt: now,
            registry: RegistryObservation(
                managementState: .managed, conditions: [Fixtures.condition("Available", .true, "Ready"), Fixtures.condition("Progressing", .false, "Ready")]),
            clusterAPIUnreachable: unreachable)
    }

    /// The field is optional: a report without it (an older agent) still decodes strictly, and one with it
    /// round-trips strictly.
    @Test func fieldIsAdditive() throws {
        let older = #"{"sequence":1,"observedGeneration":0,"agentVersion":"0.0.9","collectedAt":"2026-03-14T09:00:00Z","registry":{"managementState":"Managed","conditions":[]},"workloads":[]}"#
        let decoded = try StrictJSON.decode(AgentReport.self, from: Data(older.utf8))
        #expect(decoded.clusterAPIUnreachable == nil)
        let marked = Self.report(unreachable: ClusterAPIUnreachable(since: Self.now, message: "connection refused", lastObservedAt: Self.now))
        #expect(try StrictJSON.decode(AgentReport.self, from: JSONCoding.encode(marked)) == marked)
    }

    /// A fresh report carrying the field is Unreachable, ahead of what its (stale) observation says; an old one
    /// is still Offline.
    @Test func unreachableComesAfterTheLeaseAndBeforeEverythingElse() {
        let marked = Self.report(unreachable: ClusterAPIUnreachable(since: Self.now.addingTimeInterval(-120), message: "cannot reach the API server: connection refused"))
        let fresh = ClusterHealth.evaluate(report: marked, receivedAt: Self.now, desiredGeneration: 5, now: Self.now, lease: 60)
        #expect(fresh.state == .unreachable)
        #expect(fresh.reason == "ClusterAPIUnreachable")
        #expect(fresh.message.contains("connection refused") && fresh.message.contains("2026-03-14T09:58:00Z"), "\(fresh.message)")
        let stale = ClusterHealth.evaluate(report: marked, receivedAt: Self.now.addingTimeInterval(-90), desiredGeneration: 5, now: Self.now, lease: 60)
        #expect(stale.state == .offline)
        #expect(ClusterHealth.evaluate(report: Self.report(unreachable: nil), receivedAt: Self.now, desiredGeneration: 5, now: Self.now, lease: 60).state == .healthy)
    }
}
