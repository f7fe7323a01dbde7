import Foundation
import KubeClient
import NIOCore
import RegistryModel
import ServiceLifecycle

/// The body of a watch response: one JSON event per line, as the API server streams them. It ends
/// when the simulated watch ends (a dropped watch), after the watch timeout, or when the server
/// shuts down gracefully; a failure is sent as a final ERROR event carrying a `Status`.
enum WatchBody {
    static func stream(_ events: AsyncThrowingStream<WatchEvent, any Error>, timeout: Duration) -> AsyncThrowingStream<ByteBuffer, any Error> {
        let (output, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let forward = Task {
            await withGracefulShutdownHandler {
                do {
                    for try await event in events {
                        continuation.yield(line(["type": .string(event.type.rawValue), "object": event.object.tree]))
                    }
                } catch let error as KubeError {
                    continuation.yield(errorLine(error))
                } catch {
                    continuation.yield(errorLine(KubeError(code: .serverError, status: 500, message: "the watch failed: \(error)")))
                }
                continuation.finish()
            } onGracefulShutdown: {
                continuation.finish()
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            continuation.finish()
        }
        continuation.onTermination = { _ in
            forward.cancel()
            timer.cancel()
        }
        return output
    }

    /// A watch that fails before it starts (410 for a version that is too old) is still a 200
    /// response, with one ERROR event, as kube-apiserver sends it.
    static func errorLine(_ error: KubeError) -> ByteBuffer {
        line(["type": "ERROR", "object": (try? JSONCoding.tree(KubeStatus(error))) ?? .null])
    }

    private static func line(_ value: JSONValue) -> ByteBuffer {
        var buffer = APIResponse.encoded(value)
        buffer.writeString("\n")
        return buffer
    }
}
