import AsyncHTTPClient
import Foundation
import KubeClient
import Logging
import NIOCore
import NIOHTTP1
import RegistryModel

/// `KubernetesAPI` over HTTP(S) against a real API server (or `regfleet sim-apiserver`).
///
/// Requests carry the configured bearer token and/or client certificate. Failures arrive as
/// `KubeError` with the API server's reason, message and causes; 429 and 5xx answers and lost
/// connections are retried per `RetryPolicy`. Call `shutdown()` when done: it closes the
/// connections.
public final class RESTClient: KubernetesAPI {
    /// Where and how this client connects.
    public let configuration: KubeConfig
    let http: HTTPClient
    let retryPolicy: RetryPolicy
    let requestTimeout: TimeAmount
    /// How long the server keeps one watch open before the caller resumes with a new one.
    let watchTimeoutSeconds: Int
    let logger: Logger

    /// The largest response body accepted (a list of thousands of objects fits easily).
    static let maximumBodyBytes = 256 << 20

    /// A client for `configuration`; throws when its TLS material is unusable.
    public init(
        configuration: KubeConfig, retryPolicy: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(30),
        watchTimeout: Duration = .seconds(300), logger: Logger = Logger(label: "regfleet.kube-rest")
    ) throws(KubeConfigError) {
        let tls = try configuration.makeTLSConfiguration()
        self.configuration = configuration
        self.retryPolicy = retryPolicy
        self.requestTimeout = .nanoseconds(requestTimeout.nanoseconds)
        watchTimeoutSeconds = max(1, Int(watchTimeout.components.seconds))
        var logger = logger
        logger[metadataKey: "apiServer"] = .string(configuration.server.absoluteString)
        self.logger = logger
        // Every open watch holds an HTTP/1.1 connection, so the pool must allow more than the
        // watches the operator keeps open, or requests would queue behind them.
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // Failed connections are retried by `RetryPolicy`, bounded, not by the pool until the deadline.
        pool.retryConnectionEstablishment = false
        let httpConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)), connectionPool: pool)
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration, backgroundActivityLogger: logger)
    }

    /// Closes every connection; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: KubernetesAPI

    /// Reads one object (GET).
    public func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject {
        let request = APIRequest(
            method: .GET, path: resource.objectPath(namespace: namespace, name: name),
            operation: APIRequest.operation("get", resource, namespace: namespace, name: name), idempotent: true)
        return try object(resource, from: try await perform(request), operation: request.operation)
    }

    /// Lists one page (GET on the collection with labelSelector, limit and continue).
    public func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList {
        var query: [(String, String)] = []
        if let selector = options.labelSelector, !selector.requirements.isEmpty { query.append(("labelSelector", selector.description)) }
        if let limit = options.limit, limit > 0 { query.append(("limit", String(limit))) }
        if let token = options.continueToken, !token.isEmpty { query.append(("continue", token)) }
        let request = APIRequest(
            method: .GET, path: resource.collectionPath(namespace: namespace), query: query,
            operation: APIRequest.operation("list", resource, namespace: namespace, name: nil), idempotent: true)
        let data = try await perform(request)
        let body: ListBody
        do {
            body = try JSONCoding.decode(ListBody.self, from: data)
        } catch {
            throw Self.undecodable(error, operation: request.operation)
        }
        let items = try (body.items ?? []).map { item -> KubeObject in
            var tree = item
            RESTClient.fillTypeMeta(&tree, resource)
            do {
                return try KubeObject(tree: tree)
            } catch {
                throw Self.undecodable(error, operation: request.operation)
            }
        }
        let next = body.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
        return KubeObjectList(items: items, resourceVersion: body.metadata?.resourceVersion ?? "", continueToken: next)
    }

    /// Creates an object (POST to its collection).
    public func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        let namespace = object.metadata.namespace
        let request = APIRequest(
            method: .POST, path: resource.collectionPath(namespace: namespace), body: try Self.encode(object),
            operation: APIRequest.operation("create", resource, namespace: namespace, name: object.metadata.name), idempotent: false)
        return try self.object(resource, from: try await perform(request), operation: request.operation)
    }

    /// Replaces an object (PUT); a stale resourceVersion is a `conflict`.
    public func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await replace(resource, object, subresource: nil, verb: "update")
    }

    /// Replaces only `.status` (PUT on the status subresource).
    public func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await replace(resource, object, subresource: "status", verb: "updateStatus")
    }

    /// Applies an RFC 7386 merge patch (PATCH with `application/merge-patch+json`).
    public func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject {
        let request = APIRequest(
            method: .PATCH, path: resource.objectPath(namespace: namespace, name: name), body: try Self.encode(mergePatch),
            contentType: "application/merge-patch+json", operation: APIRequest.operation("patch", resource, namespace: namespace, name: name),
            idempotent: true)
        return try object(resource, from: try await perform(request), operation: request.operation)
    }

    /// Deletes an object (DELETE with a DeleteOptions body carrying the propagation policy).
    public func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws {
        let request = APIRequest(
            method: .DELETE, path: resource.objectPath(namespace: namespace, name: name), body: try Self.encode(DeleteOptionsBody(options)),
            operation: APIRequest.operation("delete", resource, namespace: namespace, name: name), idempotent: true)
        _ = try await perform(request)
    }

    private func replace(_ resource: ResourceType, _ object: KubeObject, subresource: String?, verb: String) async throws -> KubeObject {
        let namespace = object.metadata.namespace
        let name = object.metadata.name
        let request = APIRequest(
            method: .PUT, path: resource.objectPath(namespace: namespace, name: name, subresource: subresource), body: try Self.encode(object),
            operation: APIRequest.operation(verb, resource, namespace: namespace, name: name), idempotent: true)
        return try self.object(resource, from: try await perform(request), operation: request.operation)
    }

    // MARK: Bodies

    /// A list response: `metadata.resourceVersion`, `metadata.continue` and `items`.
    struct ListBody: Decodable {
        struct Metadata: Decodable {
            var resourceVersion: String?
            var `continue`: String?
        }
        var metadata: Metadata?
        var items: [JSONValue]?
    }

    /// `meta/v1` DeleteOptions as the API server expects it in a DELETE body.
    struct DeleteOptionsBody: Encodable {
        struct Preconditions: Encodable {
            var resourceVersion: String
        }
        var apiVersion = "v1"
        var kind = "DeleteOptions"
        var propagationPolicy: String
        var preconditions: Preconditions?
        var gracePeriodSeconds: Int?

        init(_ options: DeleteOptions) {
            propagationPolicy = options.propagationPolicy.rawValue
            preconditions = options.preconditionResourceVersion.map { Preconditions(resourceVersion: $0) }
            gracePeriodSeconds = options.gracePeriodSeconds
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONCoding.encode(value)
    }

    /// Decodes one object, filling apiVersion and kind when the server left them out.
    func object(_ resource: ResourceType, from data: Data, operation: String) throws -> KubeObject {
        do {
            var tree = try JSONCoding.decode(JSONValue.self, from: data)
            Self.fillTypeMeta(&tree, resource)
            return try KubeObject(tree: tree)
        } catch {
            throw Self.undecodable(error, operation: operation)
        }
    }

    /// Items of typed lists arrive without apiVersion and kind; bookmarks without a name.
    static func fillTypeMeta(_ tree: inout JSONValue, _ resource: ResourceType) {
        guard case .object(var members) = tree else { return }
        if (members["apiVersion"]?.stringValue ?? "").isEmpty { members["apiVersion"] = .string(resource.apiVersion) }
        if (members["kind"]?.stringValue ?? "").isEmpty { members["kind"] = .string(resource.kind) }
        var metadata = members["metadata"]?.objectValue ?? [:]
        if metadata["name"] == nil { metadata["name"] = .string("") }
        members["metadata"] = .object(metadata)
        tree = .object(members)
    }

    static func undecodable(_ error: any Error, operation: String) -> KubeError {
        KubeError(code: .serverError, status: 200, message: "the API server's response cannot be decoded: \(error)", operation: operation)
    }
}
