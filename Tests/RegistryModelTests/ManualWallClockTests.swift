import Foundation
import RegistryModel
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
}
