import Foundation
import Hummingbird
import Logging

/// Outermost middleware: times every request for `/metrics` by route pattern and status, and makes
/// sure nothing but a `HubError` leaves the hub — anything else is logged with its details and
/// answered as an opaque 500.
struct RequestObserverMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HubMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = { context.endpointPath ?? "unmatched" }
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: route(), method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - started)
            return response
        } catch let error as HubError {
            metrics.recordRequest(route: route(), method: request.method.rawValue, status: error.status.code, duration: ContinuousClock.now - started)
            if error.code == .internalError { context.logger.error("request failed", metadata: ["error": "\(error)"]) }
            throw error
        } catch let error as any HTTPResponseError {
            metrics.recordRequest(route: route(), method: request.method.rawValue, status: error.status.code, duration: ContinuousClock.now - started)
            throw error
        } catch {
            metrics.recordRequest(route: route(), method: request.method.rawValue, status: 500, duration: ContinuousClock.now - started)
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw HubError(.internalError, "internal error")
        }
    }
}
