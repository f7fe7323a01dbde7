import Foundation
import RegistryModel
import Synchronization

/// `created` times of image configs by config digest, shared by every repository of a run:
/// storage is content-addressed, so a config seen in one repository need not be fetched again.
final class ImageConfigTimes: Sendable {
    private struct Entry {
        var created: Date?
    }
    private let entries = Mutex<[String: Entry]>([:])

    /// The config's `created`, fetched through `client` the first time a digest is asked for.
    func created(configDigest: String, repository: String, client: RegistryV2Client) async throws -> Date? {
        if let entry = entries.withLock({ $0[configDigest] }) { return entry.created }
        let body = try await client.blob(repository: repository, digest: configDigest)
        let created = Self.parseCreated(body)
        entries.withLock { $0[configDigest] = Entry(created: created) }
        return created
    }

    /// `created` of an image config; nil when absent or not a time (artifacts, attestations).
    static func parseCreated(_ body: Data) -> Date? {
        struct Config: Decodable { var created: String? }
        guard let text = (try? JSONDecoder().decode(Config.self, from: body))?.created else { return nil }
        return RFC3339.parse(text) ?? RFC3339.parse(truncatingFraction(text))
    }

    /// Go writes nanoseconds (`…:30.123456789Z`); keeps milliseconds so the standard parser reads it.
    static func truncatingFraction(_ text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
        let rest = text[text.index(after: dot)...].dropFirst(digits.count)
        let kept = String(digits.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)
        return String(text[..<dot]) + "." + kept + rest
    }
}
