import Foundation
import RegistryModel
import Yams

/// The admin CLI's config file: named contexts (a hub URL and how to authenticate to it) and the current
/// one, in the manner of a kubeconfig. At `$REGFLEET_CONFIG`, else `$XDG_CONFIG_HOME/regfleet/config.yaml`,
/// else `~/.config/regfleet/config.yaml`. Flags and environment variables override what a context says.
struct CLIConfig: Codable, Equatable {
    var currentContext: String?
    var contexts: [Context]

    /// One hub and the admin credential for it. Relative paths are read relative to the config file.
    struct Context: Codable, Equatable {
        var name: String
        var hub: String
        var pkiDir: String?
        var admin: String?
        var caFile: String?
        var cert: String?
        var key: String?
    }

    init(currentContext: String? = nil, contexts: [Context] = []) {
        self.currentContext = currentContext
        self.contexts = contexts
    }

    /// Where the config file is.
    static var path: String {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        if let path = environment["REGFLEET_CONFIG"] { return path }
        let base = environment["XDG_CONFIG_HOME"] ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("regfleet/config.yaml")
    }

    /// The file at `path`; empty when there is none. A file that does not parse is an error naming it.
    static func load(from path: String = CLIConfig.path) throws -> CLIConfig {
        guard FileManager.default.fileExists(atPath: path) else { return CLIConfig() }
        return try DocumentFile.load(CLIConfig.self, path: path)
    }

    /// Writes the file (private to the user: it names credentials), creating its directory.
    func save(to path: String = CLIConfig.path) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let text = try DocumentFile.render(self, as: .yaml)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ValidationFailure("cannot write the config file \(path): \(error.localizedDescription)")
        }
    }

    func context(named name: String) -> Context? { contexts.first { $0.name == name } }

    /// The context chosen by `--context`, `$REGFLEET_CONTEXT` or the file's current context; nil when none is
    /// chosen. A name that is not in the file is an error.
    func selectedContext(flag: String?, path: String) throws -> Context? {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        guard let name = flag ?? environment["REGFLEET_CONTEXT"] ?? currentContext else { return nil }
        guard let context = context(named: name) else {
            let known = contexts.map(\.name)
            throw ValidationFailure(
                "no context \"\(name)\" in \(path)" + (known.isEmpty ? "; create one with regfleet config set-context \(name) --hub URL --pki-dir DIR" : " (it has \(known.joined(separator: ", ")))"))
        }
        return context
    }

    /// `path` as written in the file, made absolute against the file's directory.
    static func resolve(_ path: String?, relativeTo file: String) -> String? {
        guard let path else { return nil }
        if path.hasPrefix("/") { return path }
        return ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
    }
}
