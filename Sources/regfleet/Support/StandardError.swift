import Foundation

/// Standard error, for what a person should read but a pipe or `$(…)` must not capture.
enum StandardError {
    /// Writes `text` as is (add the newline yourself).
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
