import Foundation
import RegistryModel

/// When a cluster may be changed by a rollout: from every start time of `schedule` (cron, in `timeZone`) for
/// `duration`. Outside every window of a cluster its rollout waves wait, and say so.
public struct MaintenanceWindow: Codable, Hashable, Sendable {
    /// Five-field cron of the window's start times, read in `timeZone`.
    public var schedule: String
    /// Go duration such as `4h` or `90m`: how long the window stays open after each start.
    public var duration: String
    /// IANA time zone name such as `Europe/Berlin`; UTC when absent.
    public var timeZone: String?

    public init(schedule: String, duration: String, timeZone: String? = nil) {
        self.schedule = schedule
        self.duration = duration
        self.timeZone = timeZone
    }

    /// Longest window: a year.
    public static let maximumDuration = GoDuration(seconds: 8760 * 3600)

    func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        do {
            _ = try CronSchedule(schedule)
        } catch {
            collector.add("schedule", error.message)
        }
        do {
            let parsed = try GoDuration(parsing: duration)
            if parsed.nanoseconds <= 0 { collector.add("duration", "must be positive, got \(duration)") }
            if parsed > Self.maximumDuration { collector.add("duration", "must be at most 8760h (a year), got \(duration)") }
        } catch {
            collector.add("duration", error.message)
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            collector.add("timeZone", "unknown time zone \"\(timeZone)\": use an IANA name such as UTC or Europe/Berlin")
        }
        return collector.errors
    }

    /// The window as parsed, or nil when it is invalid (validation refuses those before they are stored).
    func parsed() -> (cron: CronSchedule, seconds: TimeInterval, zone: TimeZone)? {
        guard let cron = try? CronSchedule(schedule), let length = try? GoDuration(parsing: duration),
            let zone = TimeZone(identifier: timeZone ?? "UTC")
        else { return nil }
        return (cron, length.seconds, zone)
    }

    /// Whether the window is open at `date`: some start lies in `(date − duration, date]`.
    public func isOpen(at date: Date) -> Bool {
        guard let (cron, seconds, zone) = parsed() else { return false }
        // The cron reads wall-clock time in the zone: evaluate it on the zone's wall clock written as UTC.
        let wall = date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date)))
        guard let start = cron.next(after: wall.addingTimeInterval(-seconds)) else { return false }
        return start <= wall
    }

    /// The next time the window opens after `date`.
    public func nextOpening(after date: Date) -> Date? {
        guard let (cron, _, zone) = parsed() else { return nil }
        let wall = date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date)))
        guard let start = cron.next(after: wall) else { return nil }
        return start.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: start)))
    }
}

/// Whether a cluster may be changed now, as its maintenance windows and the freezes over it say.
public enum ChangeGate: Hashable, Sendable {
    case open
    /// A freeze holds the cluster.
    case frozen(freeze: String, reason: String?)
    /// The cluster has windows and none is open; `nextOpening` is the soonest start.
    case outsideWindow(nextOpening: Date?)

    /// The gate of a cluster with `windows` under `freezes` (already those that select it) at `now`.
    public static func evaluate(windows: [MaintenanceWindow], freezes: [ChangeFreeze], now: Date) -> ChangeGate {
        if let freeze = freezes.first(where: { $0.isActive(at: now) }) { return .frozen(freeze: freeze.name, reason: freeze.reason) }
        guard !windows.isEmpty, !windows.contains(where: { $0.isOpen(at: now) }) else { return .open }
        return .outsideWindow(nextOpening: windows.compactMap { $0.nextOpening(after: now) }.min())
    }

    /// Why a change waits, for people; nil when it need not.
    public var waitingReason: String? {
        switch self {
        case .open: return nil
        case .frozen(let freeze, let reason): return "frozen by \(freeze)" + (reason.map { ": \($0)" } ?? "")
        case .outsideWindow(let next):
            return "waiting for a maintenance window" + (next.map { " (next opens \(RFC3339.format($0)))" } ?? "")
        }
    }
}
