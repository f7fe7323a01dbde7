import ArgumentParser
import FleetStore
import Foundation

/// `--database` and its password, shared by `regfleet hub` and `regfleet hub backup`.
///
/// The URL may come from the flag, the config file or `REGFLEET_DATABASE`; the password from
/// `--database-password-file`, `REGFLEET_DATABASE_PASSWORD` or the URL itself — so a Secret can
/// provide it without it ever appearing in `ps`.
enum DatabaseOption {
    static func location(flag: String?, passwordFile: String?, default fallback: String) throws -> StoreLocation {
        let environment = ProcessInfo.processInfo.environment
        let text = flag ?? environment["REGFLEET_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        var password = environment["REGFLEET_DATABASE_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw ValidationError("--database-password-file: cannot read \(passwordFile)")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        do {
            return try StoreLocation.parse(text, password: password)
        } catch {
            throw ValidationError("--database: \(error.message)")
        }
    }
}
