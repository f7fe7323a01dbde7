/// The connection flags are accepted before the subcommand too (`regfleet --context prod cluster ls`), as
/// kubectl's global flags are: ArgumentParser reads options only after the subcommand that declares them, so
/// the ones before the first subcommand move to the end.
enum GlobalArguments {
    /// Options that take a value and that every admin command declares (HubConnectionOptions).
    static let options: Set<String> = ["--context", "--hub", "--pki-dir", "--admin", "--ca-file", "--cert", "--key"]

    static func reordered(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while let option = option(at: index, in: arguments) {
            leading += option
            index += option.count
        }
        return Array(arguments[min(index, arguments.count)...]) + leading
    }

    /// The connection options anywhere in `words`, with their values (what shell completion connects with).
    static func connectionOptions(in words: [String]) -> [String] {
        var found: [String] = []
        var index = 0
        while index < words.count {
            if let option = option(at: index, in: words) {
                found += option
                index += option.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// The connection option at `index` with its value (`--hub URL` or `--hub=URL`); nil for anything else.
    private static func option(at index: Int, in words: [String]) -> [String]? {
        guard index < words.count else { return nil }
        let word = words[index]
        guard options.contains(word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word) else { return nil }
        return word.contains("=") ? [word] : Array(words[index..<min(index + 2, words.count)])
    }
}
