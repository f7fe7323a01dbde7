import AsyncHTTPClient
import ConnectionErrors
import Foundation
import KubeClient
import NIOCore
import NIOHTTP1
import RegistryModel

/// Sending requests: authentication headers, the retry loop, and turning non-2xx answers and
/// connection failures into `KubeError`.
extension RESTClient {
    /// Sends `request` and returns the body of its 2xx answer.
    func perform(_ request: APIRequest) async throws -> Data {
        let response = try await send(request, deadline: .now() + requestTimeout)
        do {
            return Data(try await response.body.collect(upTo: Self.maximumBodyBytes).readableBytesView)
        } catch {
            throw Self.transportError(error, operation: request.operation, server: configuration.server)
        }
    }

    /// Sends `request`, retrying per the policy, and returns the first 2xx response with its body
    /// still to be read (a watch streams it).
    func send(_ request: APIRequest, deadline: NIODeadline) async throws -> HTTPClientResponse {
        var attempt = 1
        while true {
            do {
                let response = try await sendOnce(request, deadline: deadline)
                if (200..<300).contains(response.status.code) { return response }
                throw try await Self.statusError(response, operation: request.operation, server: configuration.server)
            } catch let error as KubeError {
                guard attempt < retryPolicy.maxAttempts, Self.shouldRetry(error, idempotent: request.idempotent) else { throw error }
                let retryAfter = error.code == .tooManyRequests || error.code == .serverError ? error.retryAfterSeconds : nil
                let delay = retryPolicy.delay(afterAttempt: attempt, retryAfterSeconds: retryAfter)
                logger.debug(
                    "retrying API request",
                    metadata: ["operation": "\(request.operation)", "attempt": "\(attempt)", "error": "\(error.message)", "delay": "\(delay)"])
                try await retryPolicy.sleep(delay)
                attempt += 1
            }
        }
    }

    private func sendOnce(_ request: APIRequest, deadline: NIODeadline) async throws -> HTTPClientResponse {
        var http = HTTPClientRequest(url: request.url(on: configuration.server))
        http.method = request.method
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "regfleet/\(RegistryFleetVersion.current)")
        if let credential = configuration.credential {
            let token: String
            do {
                token = try credential.bearerToken()
            } catch {
                throw KubeError(code: .configuration, status: 0, message: error.description, operation: request.operation)
            }
            http.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType)
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            return try await self.http.execute(http, deadline: deadline, logger: logger)
        } catch {
            throw Self.transportError(error, operation: request.operation, server: configuration.server)
        }
    }

    /// 429 and 5xx always (the server did not act, or asks to come back); a lost connection only
    /// when sending the request twice is harmless.
    static func shouldRetry(_ error: KubeError, idempotent: Bool) -> Bool {
        switch error.code {
        case .tooManyRequests, .serverError: return true
        case .timeout, .transport: return idempotent
        default: return false
        }
    }

    /// The error of a non-2xx answer, from its `Status` body when it has one.
    static func statusError(_ response: HTTPClientResponse, operation: String, server: URL) async throws -> KubeError {
        let code = Int(response.status.code)
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw transportError(error, operation: operation, server: server)
        }
        let data = Data(body.readableBytesView)
        if let status = try? JSONCoding.decode(KubeStatus.self, from: data), status.kind == "Status" {
            return status.error(httpStatus: code, retryAfterSeconds: retryAfter, operation: operation)
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return KubeError(
            code: KubeError.code(forStatus: code, reason: nil), status: code,
            message: text.isEmpty ? "HTTP \(code) \(response.status.reasonPhrase)" : "HTTP \(code): \(text)", retryAfterSeconds: retryAfter,
            operation: operation)
    }

    /// A request that got no answer: a timeout or a connection failure, described by `ConnectionFailure`.
    static func transportError(_ error: any Error, operation: String, server: URL) -> any Error {
        if error is CancellationError || error is KubeError { return error }
        if let client = error as? HTTPClientError {
            if client == .cancelled { return CancellationError() }
            if [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(client) {
                return KubeError(code: .timeout, status: 0, message: "the API server did not answer in time (\(client))", operation: operation)
            }
        }
        return KubeError(code: .transport, status: 0, message: "cannot reach the API server: \(ConnectionFailure.describe(error, url: server.absoluteString))", operation: operation)
    }
}
