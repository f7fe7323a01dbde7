import Hummingbird

/// Serves connections taken from the reserve (accepted while `maxConnections` were open) only
/// for admins and the health routes; everyone else gets 503 with `Retry-After` and the
/// connection is closed, so it goes back to the reserve at once.
struct ConnectionReserveMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let governor: ConnectionGovernor
    static let healthPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let channel = context.channel, governor.isReserve(channel) else { return try await next(request, context) }
        if case .admin = context.caller { return try await next(request, context) }
        if Self.healthPaths.contains(request.uri.path) { return try await next(request, context) }
        var response = try HubError(.unavailable, "the hub is at its connection limit (\(governor.limits.maxConnections)); retry shortly")
            .response(from: request, context: context)
        response.headers[.retryAfter] = "5"
        response.headers[.connection] = "close"
        return response
    }
}
