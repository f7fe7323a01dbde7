import Foundation
import RegistryModel
import Synchronization
import Testing

/// Tests elsewhere move time with `ManualWallClock`; it must move only when told.
@Suite struct ManualWallClockTests {
    /// The clock stands still, advances by the given seconds, and can be set.
    @Test func movesOnlyWhenTold() {
        let start = Fixtures.time("2026-03-14T10:00:00Z")
        let clock = ManualWallClock(start)
        #expect(clock.now() == start)
        #expect(clock.now() == start)
        clock.advance(by: 90)
        #expect(clock.now() == start.addingTimeInterval(90))
        clock.set(start)
        #expect(clock.now() == start)
    }

    /// A sleeper wakes when `advance` has moved the clock its whole duration, not before; setting the wall
    /// time (even far ahead) does not wake it, as a monotonic clock ignores a wall-clock jump.
    @Test func sleepersWakeOnElapsedTimeOnly() async throws {
        let clock = ManualWallClock(Fixtures.time("2026-03-14T10:00:00Z"))
        let woke = Mutex(false)
        let sleeper = Task {
            try await clock.sleep(for: 10)
            woke.withLock { $0 = true }
        }
        try await Self.waitUntil { clock.sleeping == 1 }
        clock.set(Fixtures.time("2027-01-01T00:00:00Z"))
        clock.advance(by: 9.5)
        #expect(clock.sleeping == 1)
        #expect(woke.withLock { $0 } == false)
        clock.advance(by: 0.5)
        try await sleeper.value
        #expect(woke.withLock { $0 })
        #expect(clock.sleeping == 0)
    }

    /// Cancelling a sleeper ends its sleep at once with `CancellationError`, and it no longer counts as sleeping.
    @Test func cancelledSleeperThrows() async throws {
        let clock = ManualWallClock()
        let sleeper = Task { try await clock.sleep(for: 3600) }
        try await Self.waitUntil { clock.sleeping == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeping == 0)
        // A sleep of nothing returns at once.
        try await clock.sleep(for: 0)
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
