/// A duration in Go's `time.ParseDuration` syntax (`60m`, `1h30m`, `1.5h`, `300ms`), the format
/// Kubernetes uses for `metav1.Duration` fields such as `keepYoungerThanDuration`.
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Length in nanoseconds.
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Whole seconds, rounding down.
    public init(seconds: Double) { self.nanoseconds = Int64(seconds * 1e9) }

    /// The duration in seconds.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Parses Go syntax; the error message quotes the input.
    public init(parsing text: String) throws(FieldError) {
        func invalid(_ why: String) -> FieldError {
            FieldError(path: "", message: "invalid duration \"\(text)\": \(why) (use Go syntax such as 60m, 1h30m or 90s)")
        }
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" {
            nanoseconds = 0
            return
        }
        guard !rest.isEmpty else { throw invalid("empty") }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isNumber || $0 == "." })
            guard !number.isEmpty, number != ".", let value = Double(number) else { throw invalid("expected a number") }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix(while: { !$0.isNumber && $0 != "." })
            guard !unitText.isEmpty else { throw invalid("missing unit after \(number)") }
            guard let unit = Self.units.first(where: { $0.0 == unitText }) else { throw invalid("unknown unit \"\(unitText)\"") }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.2e18 else { throw invalid("too large") }
        // Round, not truncate: decimal fractions are inexact in binary (1.15h is 4139999999999.9995ns as a Double).
        nanoseconds = Int64((negative ? -total : total).rounded())
    }

    /// Go's canonical form, e.g. `1h0m0s`, `1m30s`, `500ms`, `0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        if magnitude < 1_000_000_000 {
            if magnitude < 1_000 { return "\(sign)\(magnitude)ns" }
            if magnitude < 1_000_000 { return sign + Self.fraction(magnitude, 1_000) + "µs" }
            return sign + Self.fraction(magnitude, 1_000_000) + "ms"
        }
        let hours = magnitude / 3_600_000_000_000
        let minutes = (magnitude / 60_000_000_000) % 60
        let secondsPart = magnitude % 60_000_000_000
        var text = sign
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        text += Self.fraction(secondsPart, 1_000_000_000) + "s"
        return text
    }

    private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var remainder = value % unit
        guard remainder > 0 else { return "\(whole)" }
        var digits = ""
        var scale = unit / 10
        while remainder > 0 && scale > 0 {
            digits += "\(remainder / scale)"
            remainder %= scale
            scale /= 10
        }
        return "\(whole).\(digits)"
    }
}
