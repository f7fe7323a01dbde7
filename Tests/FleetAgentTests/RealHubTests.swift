import FleetAgent
import FleetHub
import FleetModel
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// The agent against the real hub (FleetHub) over mutual TLS: the integration the test hub stands in for.
struct RealHubTests {
    /// Enrollment with a hub-issued token, a policy delivered through the hub's long poll and applied, and the
    /// hub's view of the cluster updated from the agent's report.
    @Test func policyRoundTrip() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("the long poll to be held") { try harness.hub.services.notifier.heldCount == 1 }
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2, logLevel: "Debug")))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }
        #expect(await running.status.policySource == .longPoll)
        #expect(try await harness.cluster.get(Config.self, name: RegistryNames.singleton).spec.replicas == 2)
        try await waitUntil("the hub to see the applied generation") {
            try await harness.hub.services.clusterDetail("edge-1").summary.observedGeneration == generation
        }
        let detail = try await harness.hub.services.clusterDetail("edge-1")
        #expect(detail.certificateSerials == [await running.status.certificateSerial].compactMap { $0 })
        #expect(detail.latestReport?.workloads.count == 5)
        _ = await running.stop()
        await harness.tearDown()
    }

    /// With the hub stopped, reports queue; after it restarts on the same port and database, every report queued
    /// during the outage is delivered and stored once, with no gap, up to at least the agent's last acknowledged
    /// sequence.
    ///
    /// The wait is for the outage's reports, not for an empty queue: heartbeats keep coming every 100 ms while
    /// delivery sends one report per round trip, so on a loaded machine (a round trip near 100 ms) the queue can
    /// stay above zero for as long as the load lasts: a wait for an empty queue can time out ("waiting for the
    /// queue to drain") while delivery works.
    @Test func queuedReportsReachTheRestartedHub() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("a first acknowledged report") { await running.status.lastAckedSequence != nil }
        await harness.hub.stop()
        try await waitUntil("reports to queue up") { await running.status.queueLength >= 4 }
        let queuedInTheOutage = try #require(await running.status.lastQueuedSequence)
        try await harness.hub.start()
        try await waitUntil("the outage's reports to be delivered") { (await running.status.lastAckedSequence ?? 0) >= queuedInTheOutage }
        _ = await running.stop()
        let acknowledged = try #require(await running.status.lastAckedSequence)
        let history = try await harness.hub.services.store.reportHistory(cluster: "edge-1", limit: 1000).map(\.sequence)
        let newest = try #require(history.max())
        #expect(newest >= acknowledged)
        #expect(history.count == Set(history).count, "no sequence stored twice")
        #expect(Set(history) == Set((newest - Int64(history.count) + 1)...newest), "no gap up to the newest: \(history.sorted())")
        #expect(try await harness.hub.services.store.latestReport(cluster: "edge-1")?.sequence == newest)
        await harness.tearDown()
    }

    /// With the hub's short agent certificates the agent renews before expiry and keeps being accepted.
    @Test func renewsWithTheRealHub() async throws {
        // 12 s: renewal is due at 9.6 s, leaving 2.4 s for the renewal itself on a loaded machine (with 4 s, a
        // stall of under a second let the certificate expire first, and an expired certificate cannot renew).
        let harness = try await AgentHarness(agentCertificateLifetime: 12)
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("enrollment") { await running.status.certificateSerial != nil }
        let original = try #require(await running.status.certificateSerial)
        try await waitUntil("a renewal") { await running.status.renewals >= 1 }
        let acked = await running.status.lastAckedSequence ?? 0
        try await waitUntil("reports over the renewed certificate") { (await running.status.lastAckedSequence ?? 0) > acked + 1 }
        #expect(await running.status.certificateSerial != original)
        #expect(try await harness.hub.services.clusterDetail("edge-1").certificateSerials.contains(await running.status.certificateSerial ?? ""))
        _ = await running.stop()
        await harness.tearDown()
    }

    /// A cluster deleted on the hub is refused; the agent reports why, keeps its reports and keeps running.
    @Test func deletedClusterIsRefusedAndRetried() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("a first acknowledged report") { await running.status.lastAckedSequence != nil }
        _ = try await harness.hub.services.deleteCluster("edge-1", actor: "admin/test")
        try await waitUntil("the refusal to show") { await running.status.lastError?.contains("certificate revoked or cluster deleted") == true }
        try await waitUntil("refused reports to stay queued") { await running.status.queueLength >= 2 }
        _ = await running.stop()
        await harness.tearDown()
    }
}
