import Foundation

/// A standard five-field cron schedule (`minute hour day-of-month month day-of-week`), the format a
/// Kubernetes CronJob accepts, plus the `@hourly`/`@daily`/… shorthands. Times are UTC.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The text it was parsed from.
    public let expression: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { expression }

    /// Parses a schedule, throwing a message that names the bad field.
    public init(_ expression: String) throws(FieldError) {
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        let expanded: String
        switch trimmed.lowercased() {
        case "@yearly", "@annually": expanded = "0 0 1 1 *"
        case "@monthly": expanded = "0 0 1 * *"
        case "@weekly": expanded = "0 0 * * 0"
        case "@daily", "@midnight": expanded = "0 0 * * *"
        case "@hourly": expanded = "0 * * * *"
        default: expanded = trimmed
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw Self.invalid(expression, "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        self.expression = expression
        minutes = try Self.parseField(fields[0], name: "minute", range: 0...59, names: [:], whole: expression)
        hours = try Self.parseField(fields[1], name: "hour", range: 0...23, names: [:], whole: expression)
        daysOfMonth = try Self.parseField(fields[2], name: "day-of-month", range: 1...31, names: [:], whole: expression)
        months = try Self.parseField(fields[3], name: "month", range: 1...12, names: Self.monthNames, whole: expression)
        var weekdays = try Self.parseField(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames, whole: expression)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = !(fields[2] == "*" || fields[2] == "?")
        dayOfWeekRestricted = !(fields[4] == "*" || fields[4] == "?")
    }

    /// The error users see, in the form `invalid cron expression "61 * * * *": …`.
    static func invalid(_ expression: String, _ detail: String) -> FieldError {
        FieldError(path: "", message: "invalid cron expression \"\(expression)\": \(detail)")
    }

    private static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    private static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func parseField(
        _ field: String, name: String, range: ClosedRange<Int>, names: [String: Int], whole: String
    ) throws(FieldError) -> Set<Int> {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw invalid(whole, "empty list element in \(name) field") }
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard stepParts.count <= 2 else { throw invalid(whole, "\(name) field \"\(part)\" has more than one '/'") }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed > 0 else {
                    throw invalid(whole, "\(name) step \"\(stepParts[1])\" must be a positive integer")
                }
                step = parsed
            }
            let base = stepParts[0]
            var low: Int
            var high: Int
            if base == "*" || base == "?" {
                low = range.lowerBound
                high = range.upperBound
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard bounds.count <= 2 else { throw invalid(whole, "\(name) range \"\(base)\" is malformed") }
                low = try value(bounds[0], name: name, range: range, names: names, whole: whole)
                high = bounds.count == 2 ? try value(bounds[1], name: name, range: range, names: names, whole: whole) : low
                if bounds.count == 1 && stepParts.count == 2 { high = range.upperBound }
                guard low <= high else { throw invalid(whole, "\(name) range \"\(base)\" ends before it starts") }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    private static func value(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String: Int], whole: String
    ) throws(FieldError) -> Int {
        if let named = names[text.lowercased()] { return named }
        guard let number = Int(text) else { throw invalid(whole, "\(name) value \"\(text)\" is not a number") }
        guard range.contains(number) else {
            throw invalid(whole, "\(name) value \(number) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth.contains(day)
        let dowMatch = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    /// The first scheduled time strictly after `date`, or nil if none within eight years (e.g.
    /// `0 0 30 2 *`).
    public func next(after date: Date) -> Date? {
        let calendar = Self.utc
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date.addingTimeInterval(60))
        guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day)) else { return nil }
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        for dayIndex in 0..<(366 * 8) {
            let parts = calendar.dateComponents([.month, .day, .weekday], from: day)
            if months.contains(parts.month!), dayMatches(day: parts.day!, weekday: parts.weekday! - 1) {
                let firstDay = dayIndex == 0
                for hour in sortedHours where !firstDay || hour >= start.hour! {
                    for minute in sortedMinutes where !(firstDay && hour == start.hour!) || minute >= start.minute! {
                        return day.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = following
        }
        return nil
    }

    /// The latest scheduled time in `(after, upTo]`, counting how many were passed (a CronJob
    /// controller starts only the latest missed run).
    public func latest(after: Date, upTo: Date, limit: Int = 1000) -> (time: Date, missed: Int)? {
        var latest: Date?
        var count = 0
        var cursor = after
        while let candidate = next(after: cursor), candidate <= upTo, count < limit {
            latest = candidate
            count += 1
            cursor = candidate
        }
        return latest.map { ($0, count) }
    }

    /// A copy with the minute and hour fields replaced, used to stagger pruners across a fleet.
    public static func staggered(_ expression: String, minute: Int, hour: Int?) throws(FieldError) -> CronSchedule {
        let parsed = try CronSchedule(expression)
        var fields = parsed.canonicalFields
        fields[0] = String(minute % 60)
        if let hour, parsed.hours.count == 1 { fields[1] = String(hour % 24) }
        return try CronSchedule(fields.joined(separator: " "))
    }

    /// The five fields with shorthands expanded.
    var canonicalFields: [String] {
        switch expression.trimmingCharacters(in: .whitespaces).lowercased() {
        case "@yearly", "@annually": return ["0", "0", "1", "1", "*"]
        case "@monthly": return ["0", "0", "1", "*", "*"]
        case "@weekly": return ["0", "0", "*", "*", "0"]
        case "@daily", "@midnight": return ["0", "0", "*", "*", "*"]
        case "@hourly": return ["0", "*", "*", "*", "*"]
        default: return expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
    }
}

extension CronSchedule {
    /// The same schedule moved to a minute (and, for once-a-day style schedules, an hour within
    /// `hourWindow` after the original) chosen by a stable hash of `key`, so a fleet's pruners
    /// spread out instead of all hitting shared storage at the same moment.
    public static func spread(_ expression: String, key: String, hourWindow: Int = 4) throws(FieldError) -> CronSchedule {
        let parsed = try CronSchedule(expression)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let minute = Int(hash % 60)
        let hour = parsed.hours.count == 1 ? (parsed.hours.first! + Int((hash / 60) % UInt64(max(hourWindow, 1)))) % 24 : nil
        return try staggered(expression, minute: minute, hour: hour)
    }
}
