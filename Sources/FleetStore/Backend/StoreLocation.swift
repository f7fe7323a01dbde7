import Foundation

/// Where the hub keeps its state, as `regfleet hub --database` names it.
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    /// A SQLite file: the embedded default, one hub process.
    case sqlite(path: String)
    /// A PostgreSQL database that several hub replicas share.
    case postgres(PostgresSettings)

    /// A `postgres://` or `postgresql://` URL is PostgreSQL; anything else is a file path.
    /// `password` (read from a file or the environment) replaces one in the URL, so the secret
    /// never has to be on a command line.
    public static func parse(_ text: String, password: String? = nil) throws(StoreError) -> StoreLocation {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else {
            guard !text.isEmpty else { throw StoreError.invalidLocation("the database location is empty") }
            return .sqlite(path: text)
        }
        return .postgres(try PostgresSettings(url: text, password: password))
    }

    /// The location without any password: what logs and `/readyz` show.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let settings): settings.description
        }
    }
}

/// How to reach a PostgreSQL database, parsed from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full]`.
public struct PostgresSettings: Hashable, Sendable, CustomStringConvertible {
    /// How the connection is encrypted, with libpq's names.
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        /// Plain TCP (loopback, a trusted network).
        case disable
        /// Encrypted, the server's certificate not verified.
        case require
        /// Encrypted, the certificate verified against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Connections this hub keeps to the database at most.
    public var maximumConnections: Int
    /// How long one store call may wait for the database before it fails as `unavailable`.
    public var operationTimeout: Duration

    /// Creates settings directly (tests, benchmarks).
    public init(
        host: String, port: Int = 5432, username: String, password: String? = nil, database: String, tls: TLSMode = .disable,
        maximumConnections: Int = 16, operationTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.maximumConnections = maximumConnections
        self.operationTimeout = operationTimeout
    }

    /// Parses the URL; every refusal names what is wrong.
    public init(url text: String, password: String? = nil) throws(StoreError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["postgres", "postgresql"].contains(scheme)
        else { throw StoreError.invalidLocation("\(Self.redacted(text)) is not a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidLocation("\(Self.redacted(text)) names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidLocation("\(Self.redacted(text)) names no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidLocation("\(Self.redacted(text)) names no database (postgres://USER@HOST/DATABASE)")
        }
        self.init(host: host, port: components.port ?? 5432, username: user, password: password ?? components.password, database: database)
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw StoreError.invalidLocation(
                        "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(item.value ?? "")\"")
                }
                tls = mode
            case "pool_max":
                guard let value = item.value.flatMap(Int.init), (1...256).contains(value) else {
                    throw StoreError.invalidLocation("pool_max must be an integer from 1 to 256")
                }
                maximumConnections = value
            case "connect_timeout":
                guard let value = item.value.flatMap(Int.init), (1...300).contains(value) else {
                    throw StoreError.invalidLocation("connect_timeout must be a number of seconds from 1 to 300")
                }
                operationTimeout = .seconds(value)
            default:
                throw StoreError.invalidLocation("unknown database URL parameter \"\(item.name)\" (known: sslmode, pool_max, connect_timeout)")
            }
        }
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)" + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// `text` with anything between `:` and `@` of the authority replaced, for error messages.
    static func redacted(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let schemeEnd = text.range(of: "://")?.upperBound,
            let colon = text[schemeEnd..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
