import Foundation
import Glibc
import Synchronization

/// A child process started with posix_spawn, not Foundation's `Process`.
///
/// Foundation's `Process.run()` on Linux (Swift 6.3.1) over-reads `/proc/self/fd` entries while it looks for
/// the highest open descriptor and crashes intermittently when the test process holds many descriptors
/// (swiftlang/swift-corelibs-foundation#5472); the CLI suites start hundreds of processes from a process
/// full of sockets. This spawns directly. Its pipes are made and marked close-on-exec under one lock that
/// every spawn of ours takes, so no other child inherits an end (which would hold a pipe open past its
/// writer's exit); each child end is dup2'd onto the child's standard stream and closed in the parent.
final class SpawnedChild: Sendable {
    let pid: pid_t
    /// The parent's ends: the child's standard output and error, and its standard input when one was asked for.
    let standardOutput: FileHandle
    let standardError: FileHandle
    let standardInput: FileHandle?
    private let exit = Mutex<ExitStatus?>(nil)

    /// How a child ended.
    struct ExitStatus: Sendable {
        /// The exit code, or 128 + the signal's number when a signal ended it.
        var code: Int32
        var signaled: Bool
    }

    /// Held while pipes are made and a child is spawned.
    private static let spawning = Mutex<Void>(())

    /// Starts `executable` with `arguments` in `directory` (through /bin/sh's `cd`, which posix_spawn has no
    /// portable action for), with pipes for its standard output and error (and input, when `withInput`).
    init(executable: String, arguments: [String], environment: [String: String], directory: String, withInput: Bool) throws {
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        (pid, standardOutput, standardError, standardInput) = try Self.spawning.withLock { _ in
            let out = try Self.pipe()
            let err = try Self.pipe()
            let input = withInput ? try Self.pipe() : nil
            let stdin = input?.read
            let stdout = out.write
            let stderr = err.write
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) } else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
            posix_spawn_file_actions_adddup2(&actions, stderr, 2)
            let cArguments = argv.map { strdup($0) } + [nil]
            let cEnvironment = envp.map { strdup($0) } + [nil]
            defer {
                cArguments.forEach { free($0) }
                cEnvironment.forEach { free($0) }
            }
            var child: pid_t = 0
            let result = posix_spawn(&child, "/bin/sh", &actions, nil, cArguments, cEnvironment)
            // The child has its copies (or there is no child): the parent keeps only its own ends.
            for fd in [out.write, err.write, input?.read].compactMap({ $0 }) { close(fd) }
            guard result == 0 else {
                for fd in [out.read, err.read, input?.write].compactMap({ $0 }) { close(fd) }
                throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
            }
            return (
                child, FileHandle(fileDescriptor: out.read, closeOnDealloc: true), FileHandle(fileDescriptor: err.read, closeOnDealloc: true),
                input.map { FileHandle(fileDescriptor: $0.write, closeOnDealloc: true) }
            )
        }
    }

    /// A pipe with both ends close-on-exec.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// The exit status once the child has ended (reaping it), nil while it runs.
    var exitStatus: ExitStatus? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = status & 0x7f
            known = signal == 0 ? ExitStatus(code: (status >> 8) & 0xff, signaled: false) : ExitStatus(code: 128 + signal, signaled: true)
            return known
        }
    }

    var isRunning: Bool { exitStatus == nil }

    func signal(_ number: Int32) {
        guard isRunning else { return }
        kill(pid, number)
    }
}
