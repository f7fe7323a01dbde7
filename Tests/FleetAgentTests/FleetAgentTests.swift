import FleetAgent
import FleetModel
import FleetPKI
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// The agent end to end: a real HTTPS hub with mutual TLS on loopback, a simulated cluster with live
/// controllers, real files.
struct FleetAgentTests {
    /// The first run enrolls and persists a 0600 key; a restart without a token reuses the certificate, and
    /// report sequences keep increasing across the restart.
    @Test func enrollsOnceAndReusesTheCredential() async throws {
        let harness = try await AgentHarness()
        let first = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("the first agent's report to be acknowledged") { await first.status.lastAckedSequence != nil }
        let enrolled = await first.status
        #expect(enrolled.identity == "cluster/edge-1")
        #expect(try await first.stop().get() == ())
        let state = AgentState(directory: harness.stateDirectory)
        for file in try FileManager.default.contentsOfDirectory(atPath: harness.stateDirectory) {
            #expect(try permissions(of: harness.stateDirectory + "/" + file) == 0o600, "\(file)")
        }
        #expect(try permissions(of: state.keyPath) == 0o600)
        #expect(try state.loadCredential()?.certificate.serialHex == enrolled.certificateSerial)
        let lastBeforeRestart = try #require(try await harness.hub.storedReports(cluster: "edge-1").keys.max())

        let second = harness.start(harness.configuration(token: nil))
        try await waitUntil("the restarted agent's report") { (await second.status.lastAckedSequence ?? 0) > lastBeforeRestart }
        #expect(await second.status.certificateSerial == enrolled.certificateSerial)
        _ = await second.stop()
        #expect(harness.hub.requests("/v1/enroll").count == 1)
        #expect(harness.hub.requests("/v1/agent/reports").allSatisfy { $0.serial == enrolled.certificateSerial })
        await harness.tearDown()
    }

    /// Without a certificate and without a token the agent stops at once with a clear error, sending nothing;
    /// a token the hub refuses ends `run()` with `enrollmentRefused`.
    @Test func enrollmentNeedsAValidToken() async throws {
        let harness = try await AgentHarness()
        let untokened = await harness.start(harness.configuration(token: nil)).task.value
        guard case .failure(let missing) = untokened else { Issue.record("ran without a token"); return }
        #expect(missing.code == .invalidConfiguration)
        #expect(missing.field == "bootstrap-token")
        #expect(harness.hub.requests("/v1/enroll").isEmpty)

        let foreign = await harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-2"))).task.value
        guard case .failure(let refused) = foreign else { Issue.record("enrolled with another cluster's token"); return }
        #expect(refused.code == .enrollmentRefused)
        #expect(openFiles(under: harness.stateDirectory).isEmpty)
        await harness.tearDown()
    }

    /// A missing CA file stops `run()` with an error naming the flag, before the state directory is created.
    @Test func missingCAFileChangesNothing() async throws {
        let (cluster, _) = SimulatedClusters.make()
        let directory = TemporaryDirectory()
        let configuration = AgentConfiguration(
            hubURL: "https://127.0.0.1:1", cluster: "edge-1", caFile: directory.path("missing.crt"), stateDirectory: directory.path("state"),
            bootstrapToken: "t")
        do throws(AgentError) {
            try await FleetAgent(configuration: configuration, kubernetes: cluster, logger: quietLogger).run()
            Issue.record("the agent ran without a CA file")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.field == "ca-file")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.root))
        #expect(await cluster.requestCount(Set(APIVerb.allCases)) == 0)
    }

    /// A policy set on the hub reaches the cluster through the held long poll — not a resync, which is an hour
    /// away — and the next report says it was applied.
    @Test func policyArrivesThroughTheLongPoll() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("the long poll to be held") { harness.hub.heldLongPolls == 1 }
        let generation = try await harness.hub.setPolicy(
            cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(schedule: "15 4 * * *")))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }
        let status = await running.status
        #expect(status.policySource == .longPoll)
        // Generation 0 (no policy yet: the operator's defaults), then the new one; the drift watch may wake one
        // more apply per object the operator creates under it (Config/cluster, ImagePruner/cluster), each a
        // write of nothing new. A resync (an hour away) would add none of these in time.
        #expect((2...4).contains(status.applies), "generation 0, then the new one: \(status.applies) applies")
        #expect(try await harness.replicas() == 2)
        #expect(try await harness.cluster.get(ImagePruner.self, name: RegistryNames.singleton).spec.schedule == "15 4 * * *")
        #expect(try AgentState(directory: harness.stateDirectory).loadDesired()?.generation == generation)
        try await waitUntil("a report of the applied generation") {
            try await harness.hub.storedReports(cluster: "edge-1").values.contains { $0.observedGeneration == generation }
        }
        _ = await running.stop()
        await harness.tearDown()
    }

    /// While the hub is down the agent keeps reconciling its policy and queues reports; when the hub is back
    /// every queued report arrives and each sequence is stored exactly once, with no gap.
    @Test func offlineReportsArriveExactlyOnce() async throws {
        let harness = try await AgentHarness()
        var configuration = harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1"))
        configuration.resyncInterval = 0.2
        let running = harness.start(configuration)
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }

        await harness.hub.stop()
        try await waitUntil("reports to queue up") { await running.status.queueLength >= 5 }
        #expect(await running.status.lastError != nil)
        try await harness.editReplicas(5)
        try await waitUntil("the cached policy to be reapplied without the hub") { try await harness.replicas() == 2 }

        try await harness.hub.start()
        try await waitUntil("the queue to drain") {
            let status = await running.status
            return status.queueLength == 0 && status.lastAckedSequence != nil
        }
        let status = await running.stop()
        #expect((try? status.get()) != nil)
        let stored = try await harness.hub.storedReports(cluster: "edge-1")
        let highest = try #require(stored.keys.max())
        #expect(Set(stored.keys) == Set(1...highest), "every sequence stored, none missing")
        #expect(stored.values.allSatisfy { $0.summarizedReports == nil })
        await harness.tearDown()
    }

    /// Restarted while the hub is unreachable, the agent applies its cached policy at once and reports later.
    @Test func cachedPolicyIsReconciledWithoutTheHub() async throws {
        let harness = try await AgentHarness()
        let first = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        try await waitUntil("the policy to be applied") { await first.status.appliedGeneration == generation }
        _ = await first.stop()
        await harness.hub.stop()
        try await harness.editReplicas(1)

        let second = harness.start(harness.configuration(token: nil))
        try await waitUntil("the cached policy to be applied") { await second.status.appliedGeneration == generation }
        #expect(await second.status.policySource == .cached)
        #expect(try await harness.replicas() == 3)
        try await waitUntil("reports to queue") { await second.status.queueLength >= 2 }
        try await harness.hub.start()
        try await waitUntil("the queue to drain") { await second.status.queueLength == 0 }
        _ = await second.stop()
        await harness.tearDown()
    }

    /// The certificate is not renewed at 70 % of its life and is renewed past 80 % (by the agent's clock): new key
    /// and certificate on disk, and later requests present the new certificate.
    ///
    /// The agent's loops wait on its clock, a manual one here: each wait below moves it on by 50 ms per look, as
    /// time passes for a running agent, and the jumps to 70 % and 85 % of the certificate's life take no real time.
    /// The agent's clock runs ahead of the hub's then, so a certificate the hub issues now is itself past 80 % by
    /// the agent's clock and the agent would renew again (after a backoff, saying its clock may be skewed); the
    /// wall time is set back to the hub's once the first renewal is in (its loops' waits measure elapsed time and
    /// go on).
    @Test func renewsAfterEightyPercentOfTheLife() async throws {
        let harness = try await AgentHarness(agentCertificateLifetime: 3600)
        let clock = ManualWallClock(Date())
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1"), clock: clock))
        func ticking(_ condition: @escaping () async throws -> Bool) -> () async throws -> Bool {
            { clock.advance(by: 0.05); return try await condition() }
        }
        try await waitUntil("enrollment", ticking { await running.status.lastAckedSequence != nil })
        let original = try #require(await running.status.certificateSerial)

        clock.advance(by: 0.7 * 3600)
        let acked = await running.status.lastAckedSequence ?? 0
        try await waitUntil("more reports at 70 %", ticking { (await running.status.lastAckedSequence ?? 0) >= acked + 3 })
        #expect(await running.status.renewals == 0)

        clock.advance(by: 0.15 * 3600)
        try await waitUntil("the renewal", ticking { await running.status.renewals >= 1 })
        clock.set(Date())
        try await waitUntil("the certificate to settle", ticking {
            let status = await running.status
            return status.certificateSerial != original && (try? AgentState(directory: harness.stateDirectory).loadCredential()?.certificate.serialHex) == status.certificateSerial
        })
        #expect(try permissions(of: AgentState(directory: harness.stateDirectory).keyPath) == 0o600)
        try await waitUntil("a report over the new certificate", ticking {
            // The serial the agent holds now (a renewal in flight when the clock was set back may still land).
            let serial = await running.status.certificateSerial
            return serial != original && harness.hub.requests("/v1/agent/reports").contains { $0.serial == serial }
        })
        #expect(harness.hub.requests("/v1/agent/renew").first?.serial == original)
        _ = await running.stop()
        await harness.tearDown()
    }

    /// `stop()` and task cancellation (what SIGTERM does) both end `run()` without waiting for the held 30 s
    /// long poll and release every file in the state directory.
    @Test(arguments: ["stop", "cancel"])
    func stoppingReleasesEverything(how: String) async throws {
        let harness = try await AgentHarness()
        var configuration = harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1"))
        configuration.longPollTimeout = 30
        let running = harness.start(configuration)
        try await waitUntil("the long poll to be held") { harness.hub.heldLongPolls == 1 }
        #expect(!openFiles(under: harness.stateDirectory).isEmpty, "the queue database is open while running")
        if how == "stop" { running.agent.stop() } else { running.task.cancel() }
        // 20 s: still well before the 30 s poll would end by itself, with room for a loaded machine.
        try await waitUntil("run() to return well before the 30 s long poll would", timeout: 20) { running.isFinished }
        let result = await running.task.value
        #expect((try? result.get()) != nil)
        #expect(openFiles(under: harness.stateDirectory).isEmpty)
        await harness.tearDown()
    }

    /// A hub that refuses the agent (its cluster was deleted: 401) is logged and retried with growing delays, never
    /// in a tight loop, and the agent keeps running.
    @Test func refusedAgentBacksOff() async throws {
        let harness = try await AgentHarness()
        var configuration = harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1"))
        configuration.retryBaseDelay = 0.2
        configuration.retryMaxDelay = 1
        let running = harness.start(configuration)
        try await waitUntil("the long poll to be held") { harness.hub.heldLongPolls == 1 }
        try await harness.hub.deleteCluster("edge-1")
        try await waitUntil("several refused long polls") {
            harness.hub.requests("/v1/agent/desired").filter { $0.status == 401 }.count >= 4
        }
        let refused = harness.hub.requests("/v1/agent/desired").filter { $0.status == 401 }.map(\.at)
        let gaps = zip(refused.dropFirst(), refused).map { $0.timeIntervalSince($1) }
        #expect(gaps.allSatisfy { $0 >= 0.1 }, "every retry waited at least half the base delay: \(gaps)")
        #expect(await running.status.lastError?.contains("401") == true)
        #expect(running.task.isCancelled == false)
        _ = await running.stop()
        await harness.tearDown()
    }
}
