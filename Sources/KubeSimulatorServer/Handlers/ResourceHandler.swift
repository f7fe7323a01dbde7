import Foundation
import Hummingbird
import HummingbirdCore
import KubeClient
import KubeSimulator
import Logging
import NIOCore
import RegistryModel

/// Serves the resource paths of the REST API from a `SimulatedCluster`: the HTTP method and
/// path decide the verb, the authorizer decides whether the user may, and the cluster does it.
struct ResourceHandler: Sendable {
    let cluster: SimulatedCluster
    let authorizer: RBACAuthorizer?
    let defaultWatchTimeout: Duration

    /// One parsed resource request.
    struct Target: Sendable {
        var resource: ResourceType
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    func handle(_ request: Request, context: APIServerRequestContext, user: UserInfo, target: Target) async -> Response {
        let query = request.uri.queryParameters
        let verb: String
        switch (request.method, target.name) {
        case (.get, nil): verb = ["1", "true"].contains(query["watch"] ?? "") ? "watch" : "list"
        case (.get, .some): verb = "get"
        case (.post, nil) where target.subresource == nil: verb = "create"
        case (.put, .some): verb = "update"
        case (.patch, .some): verb = "patch"
        case (.delete, .some): verb = "delete"
        default:
            return APIResponse.failure(
                KubeError(code: .methodNotAllowed, status: 405, message: "the server does not allow this method on the requested resource"),
                resource: target.resource)
        }
        let resource = target.resource
        if resource.namespaced && target.namespace == nil && (target.name != nil || verb == "create") {
            return APIResponse.failure(
                KubeError(code: .notFound, status: 404, message: "the server could not find the requested resource"), resource: resource)
        }
        do {
            let fieldName = try Self.fieldSelectorName(query["fieldSelector"].map(String.init))
            let attributes = RequestAttributes(
                verb: verb, resource: resource, subresource: target.subresource, namespace: resource.namespaced ? target.namespace : nil,
                name: target.name ?? fieldName ?? "")
            if let authorizer, let denied = await authorizer.authorize(user, attributes) { throw denied }
            switch verb {
            case "get":
                return APIResponse.json(try await cluster.get(resource, namespace: target.namespace, name: target.name ?? ""))
            case "list":
                return try await list(target, query: query, fieldName: fieldName)
            case "watch":
                return try await watch(target, query: query, fieldName: fieldName)
            case "create":
                var object = try await Self.object(from: request, context: context)
                try Self.place(&object, target: target)
                try await checkEscalation(user, resource, object)
                return APIResponse.json(try await cluster.create(resource, object), status: .created)
            case "update":
                var object = try await Self.object(from: request, context: context)
                try Self.place(&object, target: target)
                if target.subresource == "status" { return APIResponse.json(try await cluster.updateStatus(resource, object)) }
                try await checkEscalation(user, resource, object)
                return APIResponse.json(try await cluster.update(resource, object))
            case "patch":
                return try await patch(request, context: context, user: user, target: target)
            default:
                return try await delete(request, context: context, target: target)
            }
        } catch let error as KubeError {
            return APIResponse.failure(error, resource: resource, name: target.name)
        } catch {
            return APIResponse.failure(KubeError(code: .serverError, status: 500, message: "Internal error occurred: \(error)"), resource: resource)
        }
    }

    private func list(_ target: Target, query: FlatDictionary<Substring, Substring>, fieldName: String?) async throws -> Response {
        var options = ListOptions(labelSelector: try Self.labelSelector(query["labelSelector"].map(String.init)))
        if let text = query["limit"], !text.isEmpty {
            guard let limit = Int(text), limit >= 0 else { throw Self.badRequest("limit must be a non-negative integer, got \"\(text)\"") }
            options.limit = limit
        }
        if let token = query["continue"], !token.isEmpty { options.continueToken = String(token) }
        let list = try await cluster.list(target.resource, namespace: target.namespace, options: options)
        let items = list.items.filter { fieldName == nil || $0.metadata.name == fieldName }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(list.resourceVersion)]
        if let next = list.continueToken { metadata["continue"] = .string(next) }
        let body: JSONValue = [
            "apiVersion": .string(target.resource.apiVersion), "kind": .string("\(target.resource.kind)List"), "metadata": .object(metadata),
            "items": .array(items.map(\.tree)),
        ]
        return APIResponse.json(body)
    }

    private func watch(_ target: Target, query: FlatDictionary<Substring, Substring>, fieldName: String?) async throws -> Response {
        var timeout = defaultWatchTimeout
        if let text = query["timeoutSeconds"], !text.isEmpty {
            guard let seconds = Int(text), seconds >= 0 else {
                throw Self.badRequest("timeoutSeconds must be a non-negative integer, got \"\(text)\"")
            }
            if seconds > 0 { timeout = .seconds(seconds) }
        }
        let options = WatchOptions(
            resourceVersion: query["resourceVersion"].map(String.init),
            labelSelector: try Self.labelSelector(query["labelSelector"].map(String.init)),
            name: fieldName)
        let headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-cache, private"]
        do {
            let events = try await cluster.watch(target.resource, namespace: target.namespace, options: options)
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: WatchBody.stream(events, timeout: timeout)))
        } catch let error as KubeError where error.code == .gone {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: WatchBody.errorLine(error)))
        }
    }

    private func patch(_ request: Request, context: APIServerRequestContext, user: UserInfo, target: Target) async throws -> Response {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.hasPrefix("application/merge-patch+json") else {
            throw KubeError(
                code: .badRequest, status: 415,
                message: "the body of the request was in an unknown format - accepted media types include: application/merge-patch+json")
        }
        let patch = try await Self.json(from: request, context: context)
        let resource = target.resource
        let name = target.name ?? ""
        if target.subresource == "status" || (authorizer != nil && Self.isRBAC(resource)) {
            let current = try await cluster.get(resource, namespace: target.namespace, name: name)
            let patched: KubeObject
            do {
                patched = try KubeObject(tree: current.tree.applyingMergePatch(patch))
            } catch {
                throw Self.badRequest("the patched object cannot be decoded: \(error)")
            }
            if target.subresource == "status" { return APIResponse.json(try await cluster.updateStatus(resource, patched)) }
            try await checkEscalation(user, resource, patched)
        }
        return APIResponse.json(try await cluster.patch(resource, namespace: target.namespace, name: name, mergePatch: patch))
    }

    private func delete(_ request: Request, context: APIServerRequestContext, target: Target) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var options = DeleteOptions()
        var policy = request.uri.queryParameters["propagationPolicy"].map(String.init)
        if body.readableBytes > 0 {
            let tree: JSONValue
            do {
                tree = try JSONCoding.decode(JSONValue.self, from: Data(body.readableBytesView))
            } catch {
                throw Self.badRequest("the DeleteOptions body cannot be decoded: \(error)")
            }
            policy = tree["propagationPolicy"]?.stringValue ?? policy
            options.preconditionResourceVersion = tree[path: ["preconditions", "resourceVersion"]]?.stringValue
            options.gracePeriodSeconds = tree["gracePeriodSeconds"]?.intValue.map { Int($0) }
        }
        if let policy {
            guard let parsed = PropagationPolicy(rawValue: policy) else {
                throw KubeError.invalid(
                    target.resource, target.name ?? "",
                    causes: [
                        KubeError.Cause(field: "propagationPolicy", message: "Unsupported value: \"\(policy)\"", reason: "FieldValueNotSupported")
                    ])
            }
            options.propagationPolicy = parsed
        }
        let name = target.name ?? ""
        try await cluster.delete(target.resource, namespace: target.namespace, name: name, options: options)
        let details = KubeStatus.Details(name: name, group: target.resource.group, kind: target.resource.plural)
        return APIResponse.json(KubeStatus(status: "Success", code: 200, reason: nil, message: nil, details: details))
    }

    private func checkEscalation(_ user: UserInfo, _ resource: ResourceType, _ object: KubeObject) async throws {
        guard let authorizer, Self.isRBAC(resource) else { return }
        if let denied = await authorizer.checkEscalation(user, resource: resource, object: object) { throw denied }
    }

    private static func isRBAC(_ resource: ResourceType) -> Bool {
        [.roles, .clusterRoles, .roleBindings, .clusterRoleBindings].contains(resource)
    }

    // MARK: Request parsing

    /// Fills the namespace and name from the path when the body leaves them out, and refuses a body
    /// that names another object than the path.
    static func place(_ object: inout KubeObject, target: Target) throws {
        if target.resource.namespaced, let namespace = target.namespace {
            let given = object.metadata.namespace ?? ""
            guard given.isEmpty || given == namespace else {
                throw badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object.metadata.namespace = namespace
        }
        if let name = target.name {
            guard object.metadata.name.isEmpty || object.metadata.name == name else {
                throw badRequest("the name of the object (\(object.metadata.name)) does not match the name on the URL (\(name))")
            }
            object.metadata.name = name
        }
    }

    static func object(from request: Request, context: APIServerRequestContext) async throws -> KubeObject {
        let tree = try await json(from: request, context: context)
        do {
            return try KubeObject(tree: tree)
        } catch {
            throw badRequest("the object in the request body cannot be decoded: \(error)")
        }
    }

    static func json(from request: Request, context: APIServerRequestContext) async throws -> JSONValue {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw KubeError(code: .badRequest, status: 413, message: "the request body is larger than \(context.maxUploadSize) bytes")
        }
        do {
            return try JSONCoding.decode(JSONValue.self, from: Data(body.readableBytesView))
        } catch {
            throw badRequest("the request body is not JSON: \(error)")
        }
    }

    static func labelSelector(_ text: String?) throws -> LabelSelector? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try LabelSelector(parsing: text)
        } catch {
            throw badRequest("unable to parse requirement: \(error.message)")
        }
    }

    /// The name of a `metadata.name=NAME` field selector, the only field selector served.
    static func fieldSelectorName(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first?.trimmingCharacters(in: .whitespaces)
        guard parts.count == 2, key == "metadata.name" else {
            throw badRequest("field label not supported: \(key ?? text) (only metadata.name is served)")
        }
        return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "="))
    }

    static func badRequest(_ message: String) -> KubeError {
        KubeError(code: .badRequest, status: 400, message: message)
    }
}
