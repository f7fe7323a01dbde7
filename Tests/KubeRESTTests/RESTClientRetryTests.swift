import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Synchronization
import Testing

/// The retry policy over the wire: 429 waits for Retry-After, 5xx backs off with jitter, both a
/// bounded number of times; other errors and unsafe retries are not retried.
struct RESTClientRetryTests {
    /// Records the waits a retry policy asks for, and runs a hook on each.
    final class Sleeps: Sendable {
        private let recorded = Mutex<[Duration]>([])
        let hook: @Sendable (Int) async -> Void

        init(hook: @escaping @Sendable (Int) async -> Void = { _ in }) { self.hook = hook }

        var durations: [Duration] { recorded.withLock { $0 } }

        func policy(maxAttempts: Int = 5) -> RetryPolicy {
            RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(2), maxRetryAfter: .seconds(30)) { duration in
                let count = self.recorded.withLock {
                    $0.append(duration)
                    return $0.count
                }
                await self.hook(count)
            }
        }
    }

    /// 429 answers are retried after exactly the server's Retry-After, then the call succeeds.
    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let cluster = SimulatedCluster(name: "throttled", clock: ManualWallClock())
        let sleeps = Sleeps { count in if count == 2 { await cluster.clearAPIErrors() } }
        try await withWire(cluster: cluster, retryPolicy: sleeps.policy()) { wire in
            await cluster.injectAPIErrors(rate: 1, status: 429, verbs: [.get])
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("throttled"))
            let object = try await wire.client.get(.configMaps, namespace: "default", name: "throttled")
            #expect(object.metadata.name == "throttled")
            #expect(sleeps.durations == [.seconds(1), .seconds(1)])
        }
    }

    /// 500 answers are retried after jittered, growing backoffs within the policy's bounds.
    @Test func serverErrorsBackOff() async throws {
        let cluster = SimulatedCluster(name: "flaky", clock: ManualWallClock())
        let sleeps = Sleeps { count in if count == 3 { await cluster.clearAPIErrors() } }
        try await withWire(cluster: cluster, retryPolicy: sleeps.policy()) { wire in
            await cluster.injectAPIErrors(rate: 1, status: 500, verbs: [.list])
            let list = try await wire.client.list(.namespaces, namespace: nil, options: ListOptions())
            #expect(!list.items.isEmpty)
            let delays = sleeps.durations
            #expect(delays.count == 3)
            for (index, delay) in delays.enumerated() {
                let ceiling = Duration.milliseconds(100) * (1 << index)
                #expect(delay >= ceiling / 2 && delay <= ceiling, "retry \(index + 1) waited \(delay)")
            }
        }
    }

    /// Retries are bounded: after `maxAttempts` the server's error is thrown.
    @Test func retriesAreBounded() async throws {
        let sleeps = Sleeps()
        try await withWire(retryPolicy: sleeps.policy(maxAttempts: 3)) { wire in
            await wire.cluster.injectAPIErrors(rate: 1, status: 503, verbs: [.get])
            let error = await #expect(throws: KubeError.self) { try await wire.client.get(.namespaces, namespace: nil, name: "default") }
            #expect(error?.code == .serverError)
            #expect(error?.status == 503)
            #expect(sleeps.durations.count == 2)
        }
    }

    /// Answers a retry cannot cure (404, 409, 422, 403) are returned at once.
    @Test func clientErrorsAreNotRetried() async throws {
        let sleeps = Sleeps()
        try await withWire(retryPolicy: sleeps.policy()) { wire in
            await #expect(throws: KubeError.notFound(.configMaps, "absent")) {
                try await wire.client.get(.configMaps, namespace: "default", name: "absent")
            }
            await wire.cluster.injectAPIErrors(rate: 1, status: 409, verbs: [.update])
            await #expect(throws: KubeError(code: .conflict, status: 409, message: "")) {
                try await wire.client.update(.namespaces, Fixtures.namespace("default"))
            }
            #expect(sleeps.durations.isEmpty)
        }
    }

    /// A refused connection is retried for a read, but never for a create, which might have
    /// reached the server.
    @Test func lostConnectionsRetryOnlyIdempotentRequests() async throws {
        let port = try await unusedPort()
        let configuration = KubeConfig(server: URL(string: "http://127.0.0.1:\(port)")!, credential: .token("t"))
        let readSleeps = Sleeps()
        try await withClient(configuration, retryPolicy: readSleeps.policy(maxAttempts: 3)) { client in
            let error = await #expect(throws: KubeError.self) { try await client.get(.namespaces, namespace: nil, name: "default") }
            #expect(error?.code == .transport)
            #expect(error?.status == 0)
        }
        #expect(readSleeps.durations.count == 2)
        let createSleeps = Sleeps()
        try await withClient(configuration, retryPolicy: createSleeps.policy(maxAttempts: 3)) { client in
            await #expect(throws: KubeError.self) { try await client.create(.namespaces, Fixtures.namespace("new")) }
        }
        #expect(createSleeps.durations.isEmpty)
    }

    /// The jittered backoff stays within half and all of the capped exponential delay.
    @Test func backoffBounds() {
        let policy = RetryPolicy(baseDelay: .milliseconds(200), maxDelay: .seconds(1), maxRetryAfter: .seconds(5))
        for attempt in 1...8 {
            let ceiling = min(Duration.milliseconds(200) * (1 << (attempt - 1)), .seconds(1))
            let delay = policy.delay(afterAttempt: attempt, retryAfterSeconds: nil)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: 2) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: 600) == .seconds(5))
    }
}

/// A loopback port nothing listens on: bound by a server that is then stopped.
func unusedPort() async throws -> Int {
    let server = try await LiveAPIServer.start(cluster: SimulatedCluster(name: "port"), configuration: SimulatedAPIServerConfigurationDefaults.plain)
    let port = server.port
    await server.stop()
    return port
}
