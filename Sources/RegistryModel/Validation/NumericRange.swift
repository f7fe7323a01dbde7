/// The ranges numbers from outside must fall in before anything stores, sums or applies them.
///
/// Kubernetes stores `replicas`, `keepTagRevisions`, the job-history limits and the request
/// queue sizes as int32: a larger value that the hub accepted would be refused only later, by the
/// cluster's API server, when the operator applies it. Counters and byte totals that the hub sums
/// fleet-wide get a bound that leaves room for the sums (see `SaturatingSum`).
public enum NumericRange {
    /// Kubernetes' `int32`.
    public static let int32Max = Int(Int32.max)
    /// Bound for counts in a prune report (repositories, manifests, blobs): 2^40.
    public static let countMax = 1 << 40
    /// Bound for bytes in one prune report: 2^53 bytes (8 PiB), exactly representable as a
    /// double, so totals stay exact in JSON readers that parse numbers as doubles.
    public static let bytesMax: Int64 = 1 << 53

    /// Kubernetes' words for a value outside `0...maximum`, or nil when it is inside.
    public static func nonNegative<T: BinaryInteger>(_ value: T, maximum: T) -> String? {
        if value < 0 { return "must be greater than or equal to 0, got \(value)" }
        if value > maximum { return "must be less than or equal to \(maximum), got \(value)" }
        return nil
    }

    /// The int32 check for a non-negative Kubernetes field.
    public static func nonNegativeInt32(_ value: Int) -> String? {
        nonNegative(value, maximum: int32Max)
    }
}

/// Sums that never trap: a total over stored rows clamps at the type's maximum instead of
/// crashing the process (a poisoned row must not make every later read die).
public enum SaturatingSum {
    /// `values` added up, clamped to `Int64.max` (and `Int64.min`).
    public static func of<S: Sequence>(_ values: S) -> Int64 where S.Element == Int64 {
        values.reduce(Int64(0)) { adding($0, $1) }
    }

    /// `values` added up, clamped to `Int.max` (and `Int.min`).
    public static func of<S: Sequence>(_ values: S) -> Int where S.Element == Int {
        values.reduce(0) { adding($0, $1) }
    }

    /// `lhs + rhs`, clamped.
    public static func adding<T: FixedWidthInteger & SignedInteger>(_ lhs: T, _ rhs: T) -> T {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? T.max : T.min
    }
}
