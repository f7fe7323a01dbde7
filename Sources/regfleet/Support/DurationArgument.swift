import ArgumentParser
import RegistryModel

/// A duration flag in the one syntax every regfleet command uses: a Go duration (`90s`, `5m`, `1h30m`, `200ms`).
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible, Sendable, ExpressibleByStringLiteral {
    let duration: GoDuration

    init?(argument: String) {
        guard let parsed = try? GoDuration(parsing: argument) else { return nil }
        duration = parsed
    }

    init(stringLiteral value: String) {
        duration = (try? GoDuration(parsing: value)) ?? GoDuration(nanoseconds: 0)
    }

    var seconds: Double { duration.seconds }
    var description: String { duration.description }
    var defaultValueDescription: String { duration.description }
    static var defaultCompletionKind: CompletionKind { .default }
}
