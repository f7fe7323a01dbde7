import ArgumentParser
import Foundation
import RegistryModel

/// `regfleet config get-contexts|current-context|use-context|set-context|delete-context|view`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Contexts: which hub the admin commands talk to, and as whom.",
        discussion: "The file is $REGFLEET_CONFIG, else $XDG_CONFIG_HOME/regfleet/config.yaml, else ~/.config/regfleet/config.yaml. --context, --hub, --pki-dir and the REGFLEET_* variables override it.",
        subcommands: [GetContexts.self, CurrentContext.self, UseContext.self, SetContext.self, DeleteContext.self, View.self])

    struct GetContexts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-contexts", abstract: "The contexts; * marks the current one.")

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        func run() throws {
            let config = try CLIConfig.load()
            if !output.isTable { return print(try DocumentFile.render(config.contexts, as: output)) }
            print(
                TextTable.render(
                    header: ["CURRENT", "NAME", "HUB", "CREDENTIAL"],
                    rows: config.contexts.map { context in
                        [
                            context.name == config.currentContext ? "*" : "", context.name, context.hub,
                            context.pkiDir.map { "\($0) (admin \(context.admin ?? "admin"))" } ?? context.cert ?? "-",
                        ]
                    }))
        }
    }

    struct CurrentContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "current-context", abstract: "The current context's name.")

        func run() throws {
            guard let name = try CLIConfig.load().currentContext else {
                throw ValidationFailure("no current context is set in \(CLIConfig.path); choose one with regfleet config use-context NAME")
            }
            print(name)
        }
    }

    struct UseContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use-context", abstract: "Make a context the current one.")

        @Argument(help: "Context name.")
        var name: String

        func run() throws {
            var config = try CLIConfig.load()
            _ = try config.selectedContext(flag: name, path: CLIConfig.path)
            config.currentContext = name
            try config.save()
            print("switched to context \"\(name)\"")
        }
    }

    struct SetContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-context", abstract: "Create a context, or change the fields given of an existing one.",
            discussion: "Paths are stored absolute. The first context created becomes the current one.")

        @Argument(help: "Context name.")
        var name: String

        @Option(name: .long, help: "Hub URL (https://…).")
        var hub: String?
        @Option(name: .long, help: "PKI directory with ca.crt and admin-NAME.crt/.key.")
        var pkiDir: String?
        @Option(name: .long, help: "Admin name whose certificate to use.")
        var admin: String?
        @Option(name: .long, help: "CA certificate file (instead of --pki-dir).")
        var caFile: String?
        @Option(name: .long, help: "Admin client certificate file (instead of --pki-dir).")
        var cert: String?
        @Option(name: .long, help: "Admin client key file (instead of --pki-dir).")
        var key: String?

        func run() throws {
            var config = try CLIConfig.load()
            let absolute = { (path: String?) in path.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
            var context = config.context(named: name)
            if context == nil {
                guard let hub else { throw ValidationFailure("a new context needs --hub URL") }
                context = CLIConfig.Context(name: name, hub: hub)
            }
            guard var updated = context else { return }
            if let hub { updated.hub = hub }
            if let value = absolute(pkiDir) { updated.pkiDir = value }
            if let admin { updated.admin = admin }
            if let value = absolute(caFile) { updated.caFile = value }
            if let value = absolute(cert) { updated.cert = value }
            if let value = absolute(key) { updated.key = value }
            try HubConnectionOptions.requireHTTPS(updated.hub)
            if let index = config.contexts.firstIndex(where: { $0.name == name }) {
                config.contexts[index] = updated
            } else {
                config.contexts.append(updated)
            }
            if config.currentContext == nil { config.currentContext = name }
            try config.save()
            print("context \"\(name)\" set" + (config.currentContext == name ? " (current)" : ""))
        }
    }

    struct DeleteContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete-context", abstract: "Remove a context.")

        @Argument(help: "Context name.")
        var name: String

        func run() throws {
            var config = try CLIConfig.load()
            guard config.context(named: name) != nil else { throw ValidationFailure("no context \"\(name)\" in \(CLIConfig.path)") }
            config.contexts.removeAll { $0.name == name }
            if config.currentContext == name { config.currentContext = nil }
            try config.save()
            print("context \"\(name)\" deleted")
        }
    }

    struct View: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the config file.")

        @Option(name: [.short, .long], help: "Output: yaml or json.")
        var output: OutputFormat = .yaml

        func run() throws {
            print(try DocumentFile.render(try CLIConfig.load(), as: output.isTable ? .yaml : output))
        }
    }
}
