import Foundation
import ImagePruning
import Synchronization

/// Prune progress on standard error (`scanning 120/200 repositories`): one self-overwriting
/// line on a terminal, otherwise a plain line at every tenth of a phase so that CronJob logs
/// show a long run advancing without flooding.
final class PruneProgressLine: Sendable {
    private struct State {
        var lineOpen = false
        var lastTenth: [PruneProgress.Phase: Int] = [:]
    }
    private let isTerminal = isatty(FileHandle.standardError.fileDescriptor) == 1
    private let state = Mutex(State())

    /// Shows how far a run is.
    func show(_ progress: PruneProgress) {
        guard progress.total > 0 else { return }
        let text = "\(progress.phase.rawValue) \(progress.done)/\(progress.total) repositories"
        state.withLock { state in
            if isTerminal {
                state.lineOpen = true
                StandardError.write("\r\(text)\u{1B}[K")
                return
            }
            let tenth = progress.done * 10 / progress.total
            guard tenth > state.lastTenth[progress.phase, default: 0] else { return }
            state.lastTenth[progress.phase] = tenth
            StandardError.write("\(text)\n")
        }
    }

    /// Ends the terminal line so later output starts on a fresh one.
    func finish() {
        state.withLock { state in
            if state.lineOpen { StandardError.write("\n") }
            state.lineOpen = false
        }
    }
}
