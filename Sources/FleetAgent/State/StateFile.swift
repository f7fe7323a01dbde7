import FleetPKI
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations for the agent's state directory: every file is born with its final mode (a key is never
/// readable by others, not even for an instant) and is replaced atomically, so a crash leaves the old or the new
/// contents, never a mix.
enum StateFile {
    /// Owner read/write only: keys and everything else the agent keeps.
    static let privateMode: mode_t = 0o600

    /// True when something occupies `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }

    /// Creates `directory` (and parents) with mode 0700 when missing; throws when a file is in the way.
    static func makeDirectory(_ directory: String) throws(AgentError) {
        do {
            try SecureFile.makeDirectory(directory)
        } catch {
            throw AgentError(code: .state, message: error.message, field: "state-dir")
        }
    }

    /// Writes `data` to `path` with exactly `mode`, atomically (FleetPKI's `SecureFile`).
    static func write(_ data: Data, to path: String, mode: mode_t = privateMode) throws(AgentError) {
        do {
            try SecureFile.write(data, to: path, mode: mode, replace: true)
        } catch {
            throw AgentError(code: .state, message: error.message)
        }
    }

    /// Creates an empty file with `mode` when nothing is at `path` (SQLite then keeps that mode for its journal).
    static func createPrivate(_ path: String, mode: mode_t = privateMode) throws(AgentError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create", path) }
        close(descriptor)
    }

    /// Reads a file, or nil when it does not exist.
    static func read(_ path: String) throws(AgentError) -> Data? {
        guard exists(path) else { return nil }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AgentError(code: .state, message: "cannot read \(path): \(error)")
        }
    }

    /// Reads a UTF-8 file, or nil when it does not exist.
    static func readText(_ path: String) throws(AgentError) -> String? {
        guard let data = try read(path) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else { throw AgentError(code: .state, message: "\(path) is not UTF-8 text") }
        return text
    }

    /// Renames `source` over `destination` and syncs the directory.
    static func move(_ source: String, to destination: String) throws(AgentError) {
        do {
            try SecureFile.move(source, to: destination)
        } catch {
            throw AgentError(code: .state, message: error.message)
        }
    }

    /// Removes `path` if it exists.
    static func remove(_ path: String) {
        SecureFile.remove(path)
    }

    private static func failure(_ action: String, _ path: String, errno code: Int32 = errno) -> AgentError {
        AgentError(code: .state, message: "\(action) \(path): \(String(cString: strerror(code)))")
    }
}
