/// Caps the requests in flight, so that scanning thousands of manifests fans out freely in tasks
/// while the registry (and the HTTP connection pool) sees a bounded load.
actor RequestLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(limit: Int) {
        available = max(1, limit)
    }

    /// Waits for a free slot.
    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a slot, handing it straight to the longest waiter.
    func release() {
        guard head < waiters.count else {
            available += 1
            return
        }
        let next = waiters[head]
        head += 1
        if head > 1024, head * 2 > waiters.count {
            waiters.removeFirst(head)
            head = 0
        }
        next.resume()
    }
}
