import Foundation
import Hummingbird
import KubeClient
import NIOCore
import RegistryModel

/// JSON responses in the API server's formats.
enum APIResponse {
    /// A `Status` failure body with the error's HTTP status (and Retry-After for 429).
    static func failure(_ error: KubeError, resource: ResourceType? = nil, name: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        let status = HTTPResponse.Status(code: error.status == 0 ? 500 : error.status)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: encoded(KubeStatus(error, resource: resource, name: name))))
    }

    /// 200 with a JSON body.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: encoded(value)))
    }

    /// 401, as the API server answers a request without valid credentials.
    static var unauthorized: Response {
        failure(KubeError(code: .unauthorized, status: 401, message: "Unauthorized"))
    }

    /// The JSON bytes of a value (a value that cannot be encoded is a programming error; it
    /// becomes an empty object rather than a crash).
    static func encoded(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONCoding.encode(value)) ?? Data("{}".utf8))
    }
}
