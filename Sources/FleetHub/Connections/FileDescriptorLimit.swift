#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's open-file limit, which every connection counts against.
///
/// Many systems start processes with a soft limit of 1024 descriptors; a hub holding thousands
/// of agents' connections needs more, and when accept(2) fails with EMFILE the listener spins
/// instead of serving. The hub raises its soft limit to the hard one at start and keeps its
/// connection cap below what the limit allows.
public enum FileDescriptorLimit {
    /// Descriptors kept free for the database, the PKI files and logging.
    public static let headroom = 256

    /// Raises the soft limit to the hard limit; returns the soft limit now in force.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }
}

extension ConnectionLimits {
    /// These limits with `maxConnections` lowered, if needed, so that `hardCap` (for each of
    /// `listeners`) plus the headroom fits in `descriptors`; nil when they already fit.
    public func fitted(toDescriptors descriptors: Int, listeners: Int) -> ConnectionLimits? {
        let available = (descriptors - FileDescriptorLimit.headroom) / max(1, listeners)
        guard hardCap > available else { return nil }
        var fitted = self
        fitted.maxConnections = max(1, available - reservedConnections)
        return fitted
    }
}
