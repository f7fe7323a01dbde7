/// An operator management state. Kept as an open string so that a wrong value decodes and is then
/// reported by validation with its field path, instead of failing the whole document.
public struct ManagementState: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    /// The operator creates and updates the runtime.
    public static let managed: ManagementState = "Managed"
    /// The operator deletes the runtime (and Managed storage).
    public static let removed: ManagementState = "Removed"
    /// The operator touches nothing.
    public static let unmanaged: ManagementState = "Unmanaged"
    /// Upstream accepts this but does nothing with it; we refuse it.
    public static let force: ManagementState = "Force"

    /// The states a Config accepts.
    public static let registryStates: [ManagementState] = [.managed, .removed, .unmanaged]
    /// The states storage accepts.
    public static let storageStates: [ManagementState] = [.managed, .unmanaged]
}

/// Registry and pruner log levels.
public enum LogLevels {
    public static let all = ["Normal", "Debug", "Trace", "TraceAll"]
}
