#if canImport(Glibc)
@preconcurrency import Glibc
#else
@preconcurrency import Darwin
#endif

/// Standard output settings.
enum StandardOutput {
    /// Flushes every line instead of every 4 KiB, so that a supervisor or a test reading the
    /// output through a pipe sees progress as it happens. Called once at start-up, before any
    /// other thread writes.
    static func makeLineBuffered() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
