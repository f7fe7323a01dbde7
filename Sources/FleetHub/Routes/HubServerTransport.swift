import FleetAPI
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import RegistryModel

/// One served route, as the OpenAPI document describes it.
public struct RouteDescription: Sendable, Hashable {
    public var method: String
    /// The document's path template, `/v1/clusters/{name}`.
    public var path: String
    public var access: APIAccess
}

/// Serves the generated server interface (`APIProtocol.registerHandlers`) on a Hummingbird router.
///
/// What the generated code does not do happens here, before it runs, from the document's operation
/// table: the caller's access is checked against the operation's `security`; a JSON body is read up to
/// the operation's limit and decoded strictly into its model type (415, 413, 400 or 422 with the field);
/// the caller and the body's bytes travel to the handler in `RequestScope`. The generated code's own
/// failures (a query parameter that does not parse, say) become the hub's 400 error body.
final class HubServerTransport: ServerTransport {
    let router: Router<HubRequestContext>
    private(set) var routes: [RouteDescription] = []
    /// The same routes for `UnmatchedRouteMiddleware`, which reads them while serving.
    let table = RouteTable()
    /// Which operations this listener serves, and with what access (the dashboard listener serves a few
    /// of them to anyone).
    private let serve: (APIOperation) -> APIAccess?
    private let bodyLimit: (APIOperation) -> Int
    /// Operations served without the generated code's decoding and encoding, after the same access and query
    /// checks: the report route, where decoding every report a second time cost a quarter of ingestion's
    /// throughput (`regfleet bench hub`). The closure reads the body itself (with the operation's limit) and
    /// calls `HubAPI`'s handler in the caller's `RequestScope`. Set before the handlers are registered.
    var direct: [String: @Sendable (Request, Caller, _ limit: Int) async throws -> Response] = [:]

    init(router: Router<HubRequestContext>, bodyLimit: @escaping (APIOperation) -> Int, serve: @escaping (APIOperation) -> APIAccess? = { $0.access }) {
        self.router = router
        self.bodyLimit = bodyLimit
        self.serve = serve
    }

    struct UndocumentedOperation: Error, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var description: String { "the generated server registered \(method) \(path), which the operation table does not hold: run scripts/generate-api.sh" }
    }

    func register(
        _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard let operation = APIOperation.named(method: method, path: path) else { throw UndocumentedOperation(method: method, path: path) }
        guard let access = serve(operation) else { return }
        let limit = bodyLimit(operation)
        let direct = self.direct[operation.id]
        let routerPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? ":\($0.dropFirst().dropLast())" : String($0) }.joined(separator: "/")
        routes.append(RouteDescription(method: method.rawValue, path: path, access: access))
        table.add(method: method.rawValue, path: routerPath)
        router.on(RouterPath(routerPath), method: method) { request, context in
            try Self.check(access, context.caller)
            // Parsing the query costs the hot report route, which declares no parameter to check.
            if !operation.query.isEmpty { try Self.checkQuery(request.uri.queryParameters, of: operation) }
            if let direct { return try await direct(request, context.caller, limit) }
            var request = request
            var scope = RequestScope(caller: context.caller, body: nil)
            if let type = operation.jsonBody { scope.body = try await request.strictJSONBody(type, limit: limit).bytes }
            var parameters: [String: Substring] = [:]
            for (name, value) in context.parameters { parameters[String(name)] = value }
            let (response, answer) = try await RequestScope.$current.withValue(scope) {
                do {
                    return try await handler(request.head, scope.body.map { HTTPBody($0) }, ServerRequestMetadata(pathParameters: parameters))
                } catch let error as ServerError {
                    throw Self.hubError(error)
                }
            }
            var buffer = ByteBuffer()
            if let answer {
                for try await chunk in answer { buffer.writeBytes(chunk) }
            }
            return Response(status: response.status, headers: response.headerFields, body: .init(byteBuffer: buffer))
        }
    }

    static func check(_ access: APIAccess, _ caller: Caller) throws {
        switch (access, caller) {
        case (.anyone, _), (.admin, .admin), (.agent, .agent): return
        case (_, .anonymous): throw HubError(.unauthenticated, "a client certificate is required")
        case (.admin, .agent): throw HubError(.forbidden, "\(caller) may not call admin routes")
        case (.agent, _): throw HubError(.forbidden, "agent routes are for cluster certificates; \(caller) is not an agent")
        }
    }

    /// A query parameter whose value is not of the kind the document says is 400 naming it.
    static func checkQuery(_ query: Parameters, of operation: APIOperation) throws(HubError) {
        for (name, value) in query {
            if let parameter = operation.query.first(where: { $0.name == name }), let problem = parameter.problem(with: value) {
                throw HubError(.badRequest, problem, field: parameter.name)
            }
        }
    }

    /// What the client hears when the generated code fails: the handler's own error as it threw it; a
    /// request the generated code could not read (a query parameter that does not parse, an Accept that
    /// allows none of the answer's types) as the hub's error body with the status the runtime chose.
    static func hubError(_ error: ServerError) -> any Error {
        if error.underlyingError is HubError || (error.operationInput != nil && error.operationOutput == nil) {
            return error.underlyingError
        }
        let code: HubError.Code =
            switch error.httpStatus {
            case .notAcceptable: .notAcceptable
            case .unsupportedMediaType: .unsupportedMediaType
            // Before the input is built, a failure is the request's (a date the transcoder refused, say).
            case _ where error.operationInput == nil: .badRequest
            default: .internalError
            }
        if let decoding = error.underlyingError as? DecodingError {
            let field = StrictJSON.fieldError(from: decoding)
            return HubError(code, "parameter \(field.path): \(field.message)", field: field.path.isEmpty ? nil : field.path)
        }
        return HubError(code, error.causeDescription)
    }
}

/// What the transport hands a handler besides the generated input: who called, and the request body's
/// bytes (already strictly decoded once), which report ingestion stores as they came.
struct RequestScope: Sendable {
    var caller: Caller
    var body: Data?

    @TaskLocal static var current = RequestScope(caller: .anonymous, body: nil)
}
