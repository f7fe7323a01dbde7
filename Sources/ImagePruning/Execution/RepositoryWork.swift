/// Runs one piece of work per repository with bounded concurrency, reporting progress, and
/// stops starting new work once a result says the registry as a whole has failed.
enum RepositoryWork {
    /// Results of the repositories that ran, by name; `stopped` when a fatal result cut the
    /// run short.
    static func run<Result: Sendable>(
        _ repositories: [String], concurrency: Int, phase: PruneProgress.Phase, progress: @Sendable (PruneProgress) -> Void,
        isFatal: @Sendable (Result) -> Bool, _ body: @escaping @Sendable (String) async -> Result
    ) async -> (results: [String: Result], stopped: Bool) {
        await withTaskGroup(of: (String, Result).self) { group in
            var results: [String: Result] = [:]
            var stopped = false
            var next = 0
            func startNext() {
                guard !stopped, next < repositories.count else { return }
                let name = repositories[next]
                next += 1
                group.addTask { (name, await body(name)) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            progress(PruneProgress(phase: phase, done: 0, total: repositories.count))
            while let (name, result) = await group.next() {
                results[name] = result
                progress(PruneProgress(phase: phase, done: results.count, total: repositories.count))
                if isFatal(result) { stopped = true }
                startNext()
            }
            return (results, stopped)
        }
    }
}
