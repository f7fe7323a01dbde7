import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins API fault injection, latency and request counting.
@Suite struct SimulatedClusterFaultTests {
    /// Which of `count` gets fail on a cluster with the given seed and a 50 % error rate.
    private func failurePattern(seed: UInt64, count: Int = 40) async -> [Bool] {
        let cluster = SimulatedCluster(name: "faulty", clock: ManualWallClock(), options: SimulationOptions(seed: seed))
        await cluster.injectAPIErrors(rate: 0.5, status: 500)
        var pattern: [Bool] = []
        for _ in 0..<count {
            do {
                _ = try await cluster.get(.namespaces, namespace: nil, name: "default")
                pattern.append(false)
            } catch let error as KubeError {
                #expect(error.code == .serverError)
                #expect(error.status == 500)
                pattern.append(true)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        return pattern
    }

    /// Injected errors follow the seed: the same seed fails the same requests, another seed differs.
    @Test func injectedErrorsAreDeterministic() async throws {
        let first = await failurePattern(seed: 11)
        let again = await failurePattern(seed: 11)
        let other = await failurePattern(seed: 12)
        #expect(first == again)
        #expect(first != other)
        #expect(first.contains(true) && first.contains(false))
    }

    /// Each injectable status maps to the client-visible error a real server would send.
    @Test(arguments: [(429, KubeError.Code.tooManyRequests, 1 as Int?), (409, .conflict, nil), (503, .serverError, nil)])
    func injectedStatusShapesTheError(_ status: Int, _ code: KubeError.Code, _ retryAfter: Int?) async throws {
        let (cluster, _) = Fixture.cluster()
        await cluster.injectAPIErrors(rate: 1, status: status)
        let error = await #expect(throws: KubeError.self) { try await cluster.list(.pods, namespace: nil, options: ListOptions()) }
        #expect(error?.code == code)
        #expect(error?.status == status)
        #expect(error?.retryAfterSeconds == retryAfter)
        #expect(error?.operation == "list pods")
    }

    /// Errors are limited to the chosen verbs and resources, and change nothing.
    @Test func injectedErrorsRespectVerbsAndResources() async throws {
        let (cluster, _) = Fixture.cluster()
        await cluster.injectAPIErrors(rate: 1, status: 500, verbs: [.update], resources: [.configMaps])
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        _ = try await cluster.get(.configMaps, namespace: "default", name: "settings")
        var changed = created
        changed.fields["data"] = ["k": "new"]
        let error = await #expect(throws: KubeError.self) { try await cluster.update(.configMaps, changed) }
        #expect(error?.code == .serverError)
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "settings") == created)
        _ = try await cluster.create(.secrets, try KubeObject(Secret(metadata: ObjectMeta(name: "s", namespace: "default"))))
        await cluster.clearAPIErrors()
        _ = try await cluster.update(.configMaps, changed)
    }

    /// Latency is added to every client request.
    @Test func latencyDelaysRequests() async throws {
        let (cluster, _) = Fixture.cluster()
        await cluster.setLatency(.milliseconds(100))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await cluster.get(.namespaces, namespace: nil, name: "default")
        #expect(clock.now - start >= .milliseconds(100))
    }

    /// Every mutating request is counted, even one that changes nothing; reads are not mutating.
    @Test func mutatingRequestsAreCounted() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        _ = try await cluster.update(.configMaps, created)
        _ = try await cluster.get(.configMaps, namespace: "default", name: "settings")
        _ = try await cluster.list(.configMaps, namespace: nil, options: ListOptions())
        _ = try? await cluster.create(.configMaps, Fixture.configMap("settings"))
        #expect(await cluster.mutatingRequestCount == 3)
        #expect(await cluster.requestCount([.get, .list]) == 2)
        await cluster.resetRequestCounts()
        await cluster.step()
        #expect(await cluster.mutatingRequestCount == 0)
    }
}
