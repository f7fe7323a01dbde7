/// The connection flags are accepted before the subcommand too (`regfleet --context prod cluster ls`), as
/// kubectl's global flags are: ArgumentParser reads options only after the subcommand that declares them, so
/// the ones before the first subcommand move to the end.
enum GlobalArguments {
    /// Options that take a value and that every admin command declares (HubConnectionOptions).
    static let options: Set<String> = ["--context", "--hub", "--pki-dir", "--admin", "--ca-file", "--cert", "--key"]

    static func reordered(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard options.contains(name) else { break }
            if argument.contains("=") {
                leading.append(argument)
                index += 1
            } else {
                leading += arguments[index..<min(index + 2, arguments.count)]
                index += 2
            }
        }
        return Array(arguments[min(index, arguments.count)...]) + leading
    }
}
