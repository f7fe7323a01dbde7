import FleetHub
import Synchronization
import Testing

/// Waits finished so far, shared by the waiting tasks.
private final class FinishedCount: Sendable {
    let value = Mutex(0)
}

@Suite struct PolicyNotifierTests {
    /// A wait whose timeout fires before the wait is registered still ends (a zero timeout used to
    /// leave the long poll hanging forever, about once in a few thousand).
    @Test func zeroTimeoutsAlwaysEnd() async throws {
        let notifier = PolicyNotifier()
        notifier.publish(cluster: "edge", generation: 1)
        let finished = FinishedCount()
        let waits = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<2_000 {
                            #expect(await notifier.wait(cluster: "edge", after: 1, timeout: .zero) == nil)
                            finished.value.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
        try await waitUntil(timeout: .seconds(60)) { finished.value.withLock { $0 } == 8_000 }
        await waits.value
        #expect(notifier.heldCount == 0)
    }

    /// A publish still wakes a held wait with the new generation.
    @Test func publishWakesAWaiter() async throws {
        let notifier = PolicyNotifier()
        let waiter = Task { await notifier.wait(cluster: "edge", after: 0, timeout: .seconds(30)) }
        try await waitUntil { notifier.heldCount == 1 }
        notifier.publish(cluster: "edge", generation: 2)
        #expect(await waiter.value == 2)
        #expect(notifier.heldCount == 0)
    }
}
