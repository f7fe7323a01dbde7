import Hummingbird

/// Answers requests that match no route in the API's error shape: 405 with `Allow` when the
/// path exists with other methods (RFC 9110 §15.5.6), otherwise 404. The router's own answer
/// is an empty-bodied 404 for both.
struct UnmatchedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(matching: request.uri.path)
            guard !allowed.isEmpty else {
                throw HubError(.notFound, "no route \(request.method.rawValue) \(request.uri.path)")
            }
            var response = try HubError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allowed.joined(separator: ", "))")
                .response(from: request, context: context)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
