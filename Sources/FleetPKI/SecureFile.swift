import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations for key material and other private state (the PKI directory, the agent's state
/// directory): every file is born with its final mode (a key is never readable by others, not even
/// for an instant) and appears complete or not at all, so a crash leaves the old or the new contents.
public enum SecureFile {
    /// Owner read/write only, for private keys.
    public static let privateMode: mode_t = 0o600
    /// World-readable, for certificates.
    public static let publicMode: mode_t = 0o644

    /// True when something (a file, a directory, a dangling link) occupies `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Creates `directory` (and its parents) with mode 0700 when it is missing.
    public static func makeDirectory(_ directory: String) throws(PKIError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PKIError(code: .io, message: "\(directory) is not a directory", path: directory) }
            return
        }
        try PKIError.wrapping(.io, "cannot create the PKI directory \(directory)", path: directory) {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Writes `contents` to `path` with exactly `mode`: first into a new temporary file in the same directory
    /// (created `O_EXCL` with `mode`, then `fchmod` past the umask, then fsync), then moved into place —
    /// `rename` when `replace`, otherwise `link`, which fails with `alreadyExists` if `path` exists.
    static func write(_ contents: String, to path: String, mode: mode_t, replace: Bool) throws(PKIError) {
        try write(Data(contents.utf8), to: path, mode: mode, replace: replace)
    }

    /// Writes `data` to `path` with exactly `mode`, as `write(_:to:mode:replace:)` does for text.
    public static func write(_ data: Data, to path: String, mode: mode_t, replace: Bool) throws(PKIError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(UInt64.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        defer { unlink(temporary) }
        let written = writeAll(Array(data), to: descriptor) && fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        let writeError = errno
        close(descriptor)
        guard written else { throw failure("cannot write", temporary, errno: writeError) }
        if replace {
            guard rename(temporary, path) == 0 else { throw failure("cannot replace", path) }
        } else {
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw alreadyExists(path) }
                throw failure("cannot create", path)
            }
        }
        syncDirectory(directory)
    }

    /// Reads a UTF-8 file; `notFound` when it is missing, `io` when it cannot be read.
    static func read(_ path: String) throws(PKIError) -> String {
        guard exists(path) else { throw PKIError(code: .notFound, message: "\(path) does not exist", path: path) }
        return try PKIError.wrapping(.io, "cannot read \(path)", path: path) {
            try String(contentsOfFile: path, encoding: .utf8)
        }
    }

    /// Renames `source` over `destination` and syncs the directory.
    public static func move(_ source: String, to destination: String) throws(PKIError) {
        guard rename(source, destination) == 0 else { throw failure("cannot rename \(source) to", destination) }
        syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Removes a file this process created when a later step failed; a failure here leaves the file in place.
    public static func remove(_ path: String) {
        unlink(path)
    }

    /// The error for a file that would be overwritten without `force`.
    static func alreadyExists(_ path: String) -> PKIError {
        PKIError(code: .alreadyExists, message: "\(path) already exists and is replaced only with force", path: path)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// Makes the new directory entry durable; best effort, since the file itself is already synced.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ action: String, _ path: String, errno code: Int32 = errno) -> PKIError {
        PKIError(code: .io, message: "\(action) \(path): \(String(cString: strerror(code)))", path: path)
    }
}

/// `write(2)`, named apart from `SecureFile.write`.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}
