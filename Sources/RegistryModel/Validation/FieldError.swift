/// One problem with one field of an input, named by its path (`spec.schedule`).
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Dotted path of the field, `[i]` for array elements; empty for the document as a whole.
    public var path: String
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error with `prefix` put in front of its path.
    public func prefixed(_ prefix: String) -> FieldError {
        guard !prefix.isEmpty else { return self }
        return FieldError(path: path.isEmpty ? prefix : (path.hasPrefix("[") ? prefix + path : "\(prefix).\(path)"), message: message)
    }
}

/// Every problem found in an input; validation never stops at the first one.
public struct ValidationErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found.
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }

    /// The first problem's path, for APIs that report a single `field`.
    public var firstPath: String? { errors.first?.path }

    /// The same errors with `prefix` put in front of their paths.
    public func prefixed(_ prefix: String) -> ValidationErrors {
        ValidationErrors(errors.map { $0.prefixed(prefix) })
    }
}

/// Collects field errors while a validator walks a value.
public struct FieldErrorCollector: Sendable {
    /// What was found so far.
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// Records one problem.
    public mutating func add(_ path: String, _ message: String) {
        errors.append(FieldError(path: path, message: message))
    }

    /// Records problems found by a nested validator under `prefix`.
    public mutating func merge(_ other: [FieldError], prefix: String = "") {
        errors.append(contentsOf: other.map { $0.prefixed(prefix) })
    }

    /// Throws when anything was recorded.
    public func check() throws(ValidationErrors) {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
