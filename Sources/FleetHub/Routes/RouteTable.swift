import Synchronization

/// The registered route patterns and their methods, readable while requests are served, so that
/// a request that matches no route can be told whether the path exists with other methods.
public final class RouteTable: Sendable {
    private let patterns = Mutex<[(segments: [Substring], method: String)]>([])

    func add(method: String, path: String) {
        let segments = path.split(separator: "/")
        patterns.withLock { $0.append((segments, method)) }
    }

    /// The methods registered for paths that `path` matches (a `:name` segment matches any one
    /// segment), sorted; empty when no route has this path.
    func methods(matching path: String) -> [String] {
        let requested = path.split(separator: "/")
        let methods = patterns.withLock { patterns in
            patterns.filter { pattern in
                pattern.segments.count == requested.count
                    && zip(pattern.segments, requested).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)
        }
        return Set(methods).sorted()
    }
}
