import Logging
import ServiceLifecycle

/// Hands memory back to the system after a burst of long polls ends.
///
/// Each held long poll keeps buffers and a task; when thousands end together (agents restarting,
/// a network blip) glibc's allocator keeps the freed pages in its arenas, so the hub's resident
/// size stays at its peak (69 → 235 MB after 2,000 polls, measured from outside). Every
/// `interval`, if the number of held polls has fallen by at least `threshold` from the highest
/// seen since the last trim, `malloc_trim(0)` returns the free pages. The check is one counter
/// read; the trim runs only after such a drop.
struct MemoryTrimService: Service {
    let notifier: PolicyNotifier
    let logger: Logger
    var interval: Duration = .seconds(30)
    var threshold = 256

    func run() async throws {
        await cancelWhenGracefulShutdown { await loop() }
    }

    private func loop() async {
        var peak = notifier.heldCount
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let held = notifier.heldCount
            peak = max(peak, held)
            guard peak - held >= threshold else { continue }
            #if os(Linux)
            _ = glibcMallocTrim(0)
            #endif
            logger.debug("returned free memory after long polls ended", metadata: ["longPollsBefore": "\(peak)", "longPollsNow": "\(held)"])
            peak = held
        }
    }
}

#if os(Linux)
/// glibc's `malloc_trim(3)`; Swift's Glibc module does not export `<malloc.h>`.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
