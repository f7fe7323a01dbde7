import AsyncHTTPClient
import Foundation
import KubeClient
import NIOCore
import RegistryModel

/// Watches: one long GET with `watch=1` whose body is a stream of newline-delimited JSON events.
extension RESTClient {
    /// Streams changes after `options.resourceVersion` (with bookmarks). The server ends the
    /// stream after the watch timeout or when the connection drops; the caller then resumes from
    /// the last resourceVersion it saw. A version the server no longer has fails with `gone`,
    /// either at once or as an ERROR event in the stream.
    public func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error>
    {
        var query: [(String, String)] = [("watch", "1"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", String(watchTimeoutSeconds))]
        if let version = options.resourceVersion, !version.isEmpty { query.append(("resourceVersion", version)) }
        if let selector = options.labelSelector, !selector.requirements.isEmpty { query.append(("labelSelector", selector.description)) }
        if let name = options.name { query.append(("fieldSelector", "metadata.name=\(name)")) }
        let request = APIRequest(
            method: .GET, path: resource.collectionPath(namespace: namespace), query: query,
            operation: APIRequest.operation("watch", resource, namespace: namespace, name: options.name), idempotent: true)
        let response = try await send(request, deadline: .now() + .seconds(Int64(watchTimeoutSeconds) + 60))
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        let logger = logger
        let task = Task {
            var decoder = WatchStreamDecoder(resource: resource, operation: request.operation)
            do {
                for try await buffer in response.body {
                    for event in try decoder.append(buffer.readableBytesView) { continuation.yield(event) }
                }
                for event in try decoder.finish() { continuation.yield(event) }
                continuation.finish()
            } catch let error as KubeError {
                continuation.finish(throwing: error)
            } catch {
                // The connection ended mid-stream: like a server-side close, the caller resumes.
                logger.debug("watch connection ended", metadata: ["operation": "\(request.operation)", "error": "\(error)"])
                continuation.finish()
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Splits a watch response body into lines and decodes each into a `WatchEvent`; an ERROR event
/// becomes the `KubeError` its Status describes (410 Gone for a version that is too old).
struct WatchStreamDecoder {
    let resource: ResourceType
    let operation: String
    private var pending: [UInt8] = []

    /// One line longer than this is refused rather than buffered without bound.
    static let maximumLineBytes = 64 << 20

    init(resource: ResourceType, operation: String) {
        self.resource = resource
        self.operation = operation
    }

    /// Adds received bytes; returns the events of every line they complete.
    mutating func append(_ bytes: some Collection<UInt8>) throws(KubeError) -> [WatchEvent] {
        pending.append(contentsOf: bytes)
        var events: [WatchEvent] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let event = try decode(pending[start..<newline]) { events.append(event) }
            start = pending.index(after: newline)
        }
        pending.removeSubrange(pending.startIndex..<start)
        if pending.count > Self.maximumLineBytes {
            throw KubeError(
                code: .serverError, status: 200, message: "a watch event is larger than \(Self.maximumLineBytes) bytes", operation: operation)
        }
        return events
    }

    /// The event of a last line that had no newline.
    mutating func finish() throws(KubeError) -> [WatchEvent] {
        defer { pending.removeAll() }
        return try decode(pending[...]).map { [$0] } ?? []
    }

    private func decode(_ line: ArraySlice<UInt8>) throws(KubeError) -> WatchEvent? {
        guard line.contains(where: { !Self.isWhitespace($0) }) else { return nil }
        let tree: JSONValue
        do {
            tree = try JSONCoding.decode(JSONValue.self, from: Data(line))
        } catch {
            throw RESTClient.undecodable(error, operation: operation)
        }
        guard let type = tree["type"]?.stringValue, var object = tree["object"] else {
            throw KubeError(code: .serverError, status: 200, message: "a watch event lacks its type or object", operation: operation)
        }
        if type == "ERROR" {
            guard let status = try? JSONCoding.value(KubeStatus.self, from: object) else {
                throw KubeError(code: .serverError, status: 500, message: "the watch failed with an unreadable error", operation: operation)
            }
            throw status.error(httpStatus: status.code ?? 500, operation: operation)
        }
        guard let eventType = WatchEvent.EventType(rawValue: type) else {
            throw KubeError(code: .serverError, status: 200, message: "unknown watch event type \"\(type)\"", operation: operation)
        }
        RESTClient.fillTypeMeta(&object, resource)
        do {
            return WatchEvent(type: eventType, object: try KubeObject(tree: object))
        } catch {
            throw RESTClient.undecodable(error, operation: operation)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
