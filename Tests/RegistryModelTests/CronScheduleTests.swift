import Foundation
import RegistryModel
import Testing

/// `CronSchedule` must fire when a Kubernetes CronJob would, and refuse what a CronJob refuses.
@Suite struct CronScheduleTests {
    /// A schedule, a starting instant and the first run strictly after it (nil: never).
    struct Next: Sendable, CustomTestStringConvertible {
        let name: String
        let expression: String
        let after: String
        let expected: String?
        var testDescription: String { name }
    }

    // 2026-03-14 is a Saturday.
    private static let nextCases: [Next] = [
        Next(name: "every minute", expression: "* * * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T10:08:00Z"),
        Next(name: "strictly after a matching minute", expression: "* * * * *", after: "2026-03-14T10:07:00Z", expected: "2026-03-14T10:08:00Z"),
        Next(name: "hourly", expression: "0 * * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T11:00:00Z"),
        Next(name: "@hourly", expression: "@hourly", after: "2026-03-14T10:00:00Z", expected: "2026-03-14T11:00:00Z"),
        Next(name: "daily at midnight", expression: "0 0 * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "@daily", expression: "@daily", after: "2026-03-14T23:59:59Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "@midnight", expression: "@midnight", after: "2026-03-14T00:00:00Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "daily later today", expression: "30 14 * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T14:30:00Z"),
        Next(name: "daily, time passed today", expression: "30 2 * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-15T02:30:00Z"),
        Next(name: "same hour, later minute", expression: "45 10 * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T10:45:00Z"),
        Next(name: "weekly, Sunday as 0", expression: "0 0 * * 0", after: "2026-03-14T10:00:00Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "weekly, Sunday as 7", expression: "0 0 * * 7", after: "2026-03-14T10:00:00Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "weekly, Sunday by name", expression: "0 0 * * SUN", after: "2026-03-14T10:00:00Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "@weekly", expression: "@weekly", after: "2026-03-15T00:00:00Z", expected: "2026-03-22T00:00:00Z"),
        Next(name: "weekday range by name", expression: "0 9 * * mon-fri", after: "2026-03-14T10:00:00Z", expected: "2026-03-16T09:00:00Z"),
        Next(name: "weekday range ending at 7", expression: "0 9 * * 5-7", after: "2026-03-16T10:00:00Z", expected: "2026-03-20T09:00:00Z"),
        Next(name: "month by name", expression: "0 0 1 jan *", after: "2026-03-14T10:00:00Z", expected: "2027-01-01T00:00:00Z"),
        Next(name: "month range by name", expression: "0 0 1 Jun-Aug *", after: "2026-07-01T00:00:00Z", expected: "2026-08-01T00:00:00Z"),
        Next(name: "step from star", expression: "*/15 * * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T10:15:00Z"),
        Next(name: "step past the hour", expression: "*/15 * * * *", after: "2026-03-14T10:45:00Z", expected: "2026-03-14T11:00:00Z"),
        Next(name: "stepped range", expression: "5-20/5 * * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T10:10:00Z"),
        Next(name: "stepped range wraps to next hour", expression: "5-20/5 * * * *", after: "2026-03-14T10:20:00Z", expected: "2026-03-14T11:05:00Z"),
        Next(name: "start with step", expression: "10/20 * * * *", after: "2026-03-14T10:31:00Z", expected: "2026-03-14T10:50:00Z"),
        Next(name: "list of minutes", expression: "0,30 * * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T10:30:00Z"),
        Next(name: "list of hours", expression: "0 6,18 * * *", after: "2026-03-14T10:07:30Z", expected: "2026-03-14T18:00:00Z"),
        Next(name: "day of month only", expression: "0 0 1 * *", after: "2026-03-14T10:00:00Z", expected: "2026-04-01T00:00:00Z"),
        Next(name: "both restricted: the 15th wins", expression: "0 0 15 * fri", after: "2026-03-14T10:00:00Z", expected: "2026-03-15T00:00:00Z"),
        Next(name: "both restricted: Friday wins", expression: "0 0 13 * fri", after: "2026-03-14T10:00:00Z", expected: "2026-03-20T00:00:00Z"),
        Next(name: "weekday restricted, day star: AND", expression: "0 0 * * fri", after: "2026-03-14T10:00:00Z", expected: "2026-03-20T00:00:00Z"),
        Next(name: "31st skips short months", expression: "0 0 31 * *", after: "2026-03-31T01:00:00Z", expected: "2026-05-31T00:00:00Z"),
        Next(name: "end of this month", expression: "0 0 31 * *", after: "2026-03-14T10:00:00Z", expected: "2026-03-31T00:00:00Z"),
        Next(name: "leap day", expression: "0 0 29 2 *", after: "2026-03-14T10:00:00Z", expected: "2028-02-29T00:00:00Z"),
        Next(name: "end of year", expression: "59 23 31 12 *", after: "2026-12-31T23:59:00Z", expected: "2027-12-31T23:59:00Z"),
        Next(name: "@monthly", expression: "@monthly", after: "2026-03-14T10:00:00Z", expected: "2026-04-01T00:00:00Z"),
        Next(name: "@yearly", expression: "@yearly", after: "2026-03-14T10:00:00Z", expected: "2027-01-01T00:00:00Z"),
        Next(name: "@annually", expression: "@annually", after: "2026-03-14T10:00:00Z", expected: "2027-01-01T00:00:00Z"),
        Next(name: "February 30th never comes", expression: "0 0 30 2 *", after: "2026-03-14T10:00:00Z", expected: nil),
        Next(name: "April 31st never comes", expression: "0 0 31 4 *", after: "2026-03-14T10:00:00Z", expected: nil),
    ]

    /// `next(after:)` returns the first matching minute strictly after the given instant.
    @Test(arguments: nextCases)
    func nextRun(_ testCase: Next) throws {
        let schedule = try CronSchedule(testCase.expression)
        #expect(schedule.next(after: Fixtures.time(testCase.after)) == testCase.expected.map(Fixtures.time))
    }

    /// A schedule text that a CronJob refuses, and the exact message users see.
    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let expression: String
        let detail: String
        var testDescription: String { name }
    }

    private static let invalidCases: [Invalid] = [
        Invalid(name: "minute 61", expression: "61 * * * *", detail: "minute value 61 is out of range 0-59"),
        Invalid(name: "hour 24", expression: "0 24 * * *", detail: "hour value 24 is out of range 0-23"),
        Invalid(name: "day 0", expression: "0 0 0 * *", detail: "day-of-month value 0 is out of range 1-31"),
        Invalid(name: "month 13", expression: "0 0 * 13 *", detail: "month value 13 is out of range 1-12"),
        Invalid(name: "weekday 8", expression: "0 0 * * 8", detail: "day-of-week value 8 is out of range 0-7"),
        Invalid(name: "four fields", expression: "* * * *", detail: "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        Invalid(name: "six fields", expression: "0 * * * * *", detail: "expected 5 fields (minute hour day-of-month month day-of-week), got 6"),
        Invalid(name: "empty", expression: "", detail: "expected 5 fields (minute hour day-of-month month day-of-week), got 0"),
        Invalid(name: "unknown shorthand", expression: "@every 5m", detail: "expected 5 fields (minute hour day-of-month month day-of-week), got 2"),
        Invalid(name: "zero step", expression: "*/0 * * * *", detail: #"minute step "0" must be a positive integer"#),
        Invalid(name: "non-numeric step", expression: "*/x * * * *", detail: #"minute step "x" must be a positive integer"#),
        Invalid(name: "two slashes", expression: "1/2/3 * * * *", detail: #"minute field "1/2/3" has more than one '/'"#),
        Invalid(name: "reversed range", expression: "30-10 * * * *", detail: #"minute range "30-10" ends before it starts"#),
        Invalid(name: "three-part range", expression: "1-2-3 * * * *", detail: #"minute range "1-2-3" is malformed"#),
        Invalid(name: "negative number", expression: "-5 * * * *", detail: #"minute value "" is not a number"#),
        Invalid(name: "unknown month name", expression: "0 0 * foo *", detail: #"month value "foo" is not a number"#),
        Invalid(name: "weekday name in month field", expression: "0 0 * mon *", detail: #"month value "mon" is not a number"#),
        Invalid(name: "unknown weekday name", expression: "0 0 * * noday", detail: #"day-of-week value "noday" is not a number"#),
        Invalid(name: "empty list element", expression: "1,,2 * * * *", detail: "empty list element in minute field"),
    ]

    /// Invalid expressions fail with `invalid cron expression "<text>": <what is wrong>`.
    @Test(arguments: invalidCases)
    func invalidExpressionIsRefused(_ testCase: Invalid) {
        #expect(throws: FieldError(path: "", message: "invalid cron expression \"\(testCase.expression)\": \(testCase.detail)")) {
            try CronSchedule(testCase.expression)
        }
    }

    /// The schedule prints as the text it was parsed from, shorthand and all.
    @Test func descriptionIsTheExpression() throws {
        #expect(try CronSchedule("@daily").description == "@daily")
        #expect(try CronSchedule("*/5 1-3 * * mon").description == "*/5 1-3 * * mon")
    }

    /// `latest(after:upTo:)` finds the newest missed run and counts every missed run.
    @Test func latestCountsMissedRuns() throws {
        let hourly = try CronSchedule("0 * * * *")
        let latest = hourly.latest(after: Fixtures.time("2026-03-14T10:07:30Z"), upTo: Fixtures.time("2026-03-14T13:30:00Z"))
        #expect(latest?.time == Fixtures.time("2026-03-14T13:00:00Z"))
        #expect(latest?.missed == 3)
    }

    /// A run exactly at `upTo` counts; nothing in the window gives nil.
    @Test func latestWindowBounds() throws {
        let hourly = try CronSchedule("0 * * * *")
        let atBoundary = hourly.latest(after: Fixtures.time("2026-03-14T10:00:00Z"), upTo: Fixtures.time("2026-03-14T11:00:00Z"))
        #expect(atBoundary?.time == Fixtures.time("2026-03-14T11:00:00Z"))
        #expect(atBoundary?.missed == 1)
        #expect(hourly.latest(after: Fixtures.time("2026-03-14T10:00:00Z"), upTo: Fixtures.time("2026-03-14T10:59:59Z")) == nil)
        #expect(try CronSchedule("0 0 30 2 *").latest(after: Fixtures.time("2026-01-01T00:00:00Z"), upTo: Fixtures.time("2026-12-31T00:00:00Z")) == nil)
    }

    /// The count stops at `limit` so that a long outage cannot make the search unbounded.
    @Test func latestStopsAtLimit() throws {
        let everyMinute = try CronSchedule("* * * * *")
        let latest = everyMinute.latest(after: Fixtures.time("2026-03-14T00:00:00Z"), upTo: Fixtures.time("2026-03-15T00:00:00Z"), limit: 10)
        #expect(latest?.missed == 10)
        #expect(latest?.time == Fixtures.time("2026-03-14T00:10:00Z"))
    }

    /// A schedule to stagger and what it must become.
    struct Stagger: Sendable, CustomTestStringConvertible {
        let name: String
        let expression: String
        let minute: Int
        let hour: Int?
        let expected: String
        var testDescription: String { name }
    }

    private static let staggerCases: [Stagger] = [
        Stagger(name: "daily gets minute and hour", expression: "0 0 * * *", minute: 17, hour: 3, expected: "17 3 * * *"),
        Stagger(name: "shorthand is expanded", expression: "@daily", minute: 5, hour: 2, expected: "5 2 * * *"),
        Stagger(name: "weekly keeps its weekday", expression: "@weekly", minute: 5, hour: 2, expected: "5 2 * * 0"),
        Stagger(name: "values wrap", expression: "0 0 * * *", minute: 75, hour: 26, expected: "15 2 * * *"),
        Stagger(name: "no hour keeps the hour", expression: "30 4 * * *", minute: 10, hour: nil, expected: "10 4 * * *"),
        Stagger(name: "hourly keeps every hour", expression: "@hourly", minute: 42, hour: 7, expected: "42 * * * *"),
        Stagger(name: "several hours are kept", expression: "0 */6 * * *", minute: 10, hour: 2, expected: "10 */6 * * *"),
    ]

    /// `staggered` moves the minute (and a single hour) and keeps the rest of the schedule.
    @Test(arguments: staggerCases)
    func staggered(_ testCase: Stagger) throws {
        let schedule = try CronSchedule.staggered(testCase.expression, minute: testCase.minute, hour: testCase.hour)
        #expect(schedule.expression == testCase.expected)
        #expect(schedule == (try CronSchedule(testCase.expected)))
    }

    /// Staggering an invalid expression reports the original problem.
    @Test func staggeringInvalidExpressionThrows() {
        #expect(throws: FieldError(path: "", message: #"invalid cron expression "61 * * * *": minute value 61 is out of range 0-59"#)) {
            try CronSchedule.staggered("61 * * * *", minute: 1, hour: 1)
        }
    }
}
