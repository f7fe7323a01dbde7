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
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw AgentError(code: .state, message: "\(directory) is not a directory", field: "state-dir") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AgentError(code: .state, message: "cannot create the state directory \(directory): \(error)", field: "state-dir")
        }
    }

    /// Writes `data` to `path` with exactly `mode`: into a new temporary file in the same directory (created
    /// `O_EXCL` with `mode`, `fchmod` past the umask, fsync), then renamed over `path`, then the directory synced.
    static func write(_ data: Data, to path: String, mode: mode_t = privateMode) throws(AgentError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(UInt64.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        defer { unlink(temporary) }
        let written = writeAll(data, to: descriptor) && fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        let writeError = errno
        close(descriptor)
        guard written else { throw failure("cannot write", temporary, errno: writeError) }
        guard rename(temporary, path) == 0 else { throw failure("cannot replace", path) }
        syncDirectory(directory)
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
        guard rename(source, destination) == 0 else { throw failure("cannot rename \(source) to", destination) }
        syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Removes `path` if it exists.
    static func remove(_ path: String) {
        unlink(path)
    }

    private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// Makes a new directory entry durable; best effort, since the file itself is already synced.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ action: String, _ path: String, errno code: Int32 = errno) -> AgentError {
        AgentError(code: .state, message: "\(action) \(path): \(String(cString: strerror(code)))")
    }
}

/// `write(2)`, named apart from `StateFile.write`.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}
