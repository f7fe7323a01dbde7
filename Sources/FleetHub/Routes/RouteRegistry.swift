import Hummingbird

/// Who may call a route.
public enum RouteAccess: String, Sendable, Hashable {
    /// No client certificate needed.
    case anyone
    /// An agent certificate; the cluster comes from it.
    case agent
    /// An admin certificate.
    case admin
}

/// One registered route, as the OpenAPI document must describe it.
public struct RouteDescription: Sendable, Hashable {
    public var method: String
    public var path: String
    public var access: RouteAccess
}

/// Registers routes on a router and remembers them, so that a test can hold the OpenAPI document
/// and the router to the same list. Access is checked before the handler runs.
public final class RouteRegistry {
    let router: Router<HubRequestContext>
    public private(set) var routes: [RouteDescription] = []
    /// The same routes for `UnmatchedRouteMiddleware`, which reads them while serving.
    let table = RouteTable()

    init(router: Router<HubRequestContext>) { self.router = router }

    /// Adds a route at a full path (`/v1/clusters/{name}` is written `/v1/clusters/:name`).
    func add(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess,
        handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Response
    ) {
        routes.append(RouteDescription(method: method.rawValue, path: path, access: access))
        table.add(method: method.rawValue, path: path)
        router.on(RouterPath(path), method: method) { request, context in
            try Self.check(access, context.caller)
            return try await handler(request, context)
        }
    }

    static func check(_ access: RouteAccess, _ caller: Caller) throws {
        switch (access, caller) {
        case (.anyone, _), (.admin, .admin), (.agent, .agent): return
        case (_, .anonymous): throw HubError(.unauthenticated, "a client certificate is required")
        case (.admin, .agent): throw HubError(.forbidden, "\(caller) may not call admin routes")
        case (.agent, _): throw HubError(.forbidden, "agent routes are for cluster certificates; \(caller) is not an agent")
        }
    }
}
