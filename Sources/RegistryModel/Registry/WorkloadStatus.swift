import Foundation

/// Readiness of one runtime object (image-registry, image-api-server, node-ca, the APIService,
/// the CronJob).
public struct WorkloadStatus: Codable, Hashable, Sendable {
    public var kind: String
    public var name: String
    public var present: Bool
    public var ready: Bool
    public var desired: Int?
    public var readyCount: Int?
    public var message: String?

    public init(kind: String, name: String, present: Bool, ready: Bool, desired: Int? = nil, readyCount: Int? = nil, message: String? = nil) {
        self.kind = kind
        self.name = name
        self.present = present
        self.ready = ready
        self.desired = desired
        self.readyCount = readyCount
        self.message = message
    }
}
