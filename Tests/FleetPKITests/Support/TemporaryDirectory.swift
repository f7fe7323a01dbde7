import Foundation

/// Runs `body` with a fresh, unique directory path (not yet created) and removes it afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetpki-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    return try await body(root + "/pki")
}

/// The permission bits of `path`, e.g. `0o600`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The bytes of `path`, to prove a file did not change.
func contents(of path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}
