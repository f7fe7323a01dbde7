import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// The generated client's transport: one `HTTPClient` request per call, its body sent with the head as one
/// buffer and the answer read whole up to a bound.
///
/// swift-openapi-async-http-client streams every request body from an async sequence, so the head goes out
/// first and the body after a task hop; on a loaded machine that gap outlasted the hub's 500 ms body timeout
/// in tests, and the hub rightly cut the connection. The hub API's bodies are small JSON documents: sending
/// them whole is what the hand-written client did, and costs no stream.
struct HubClientTransport: ClientTransport {
    let client: HTTPClient
    let timeout: TimeAmount
    /// Larger request or answer bodies are refused rather than buffered.
    let maximumBytes: Int

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var outgoing = HTTPClientRequest(url: baseURL.absoluteString.trimmingSuffix("/") + (request.path ?? ""))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outgoing.headers.add(name: field.name.canonicalName, value: field.value) }
        if let body {
            outgoing.body = .bytes(ByteBuffer(bytes: try await Data(collecting: body, upTo: maximumBytes)))
        }
        let answer = try await client.execute(outgoing, timeout: timeout)
        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let bytes = try await answer.body.collect(upTo: maximumBytes)
        let response = HTTPResponse(status: .init(code: Int(answer.status.code)), headerFields: fields)
        return (response, request.method == .head ? nil : HTTPBody(Array(bytes.readableBytesView)))
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
