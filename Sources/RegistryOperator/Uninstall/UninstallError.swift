/// An uninstall step that did not complete before its deadline, or a request that failed, with
/// what holds it (finalizers, conditions, remaining objects) so the user can act on it.
public struct UninstallError: Error, Sendable, CustomStringConvertible {
    /// The step, e.g. "delete CustomResourceDefinition configs.imageregistry.operator.alauda.io".
    public var step: String
    /// What went wrong.
    public var message: String
    /// What still blocks the step, one entry per object or condition.
    public var blocking: [String]

    public init(step: String, message: String, blocking: [String] = []) {
        self.step = step
        self.message = message
        self.blocking = blocking
    }

    public var description: String {
        let held = blocking.isEmpty ? "" : "; blocked by: " + blocking.joined(separator: "; ")
        return "uninstall: \(step): \(message)\(held)"
    }
}
