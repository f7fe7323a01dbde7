import Foundation

/// A failure of the fleet PKI: a bad identity, CSR, PEM or name, or a file that cannot be written.
///
/// Equality compares `code` only, so callers (the hub's error mapping, tests) can match
/// `PKIError.Code.invalidCSR` whatever the message.
public struct PKIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidIdentity, noIdentity, invalidName, invalidCSR, invalidPEM, invalidCertificate, invalidCertificateAuthority,
                invalidLifetime, alreadyExists, notFound, io, signingFailed
        }
        fileprivate let base: Base
        /// The code's name, e.g. `invalidCSR`.
        public var description: String { base.rawValue }

        /// A fleet identity URI or name that is malformed (scheme, trust domain, role or DNS-1123 name).
        public static let invalidIdentity = Code(base: .invalidIdentity)
        /// A certificate that carries no fleet identity URI SAN.
        public static let noIdentity = Code(base: .noIdentity)
        /// A server name (DNS name or IP literal) that cannot go into a certificate.
        public static let invalidName = Code(base: .invalidName)
        /// A CSR that does not parse, is not signed by its own key, or uses a key other than P-256.
        public static let invalidCSR = Code(base: .invalidCSR)
        /// PEM text that does not hold the expected certificate or key.
        public static let invalidPEM = Code(base: .invalidPEM)
        /// Bytes that are not a DER X.509 certificate.
        public static let invalidCertificate = Code(base: .invalidCertificate)
        /// A CA certificate that is not a CA, or whose private key does not match it.
        public static let invalidCertificateAuthority = Code(base: .invalidCertificateAuthority)
        /// A certificate lifetime that is not positive.
        public static let invalidLifetime = Code(base: .invalidLifetime)
        /// A PKI file that exists and would be overwritten without `force`.
        public static let alreadyExists = Code(base: .alreadyExists)
        /// A PKI file that is missing.
        public static let notFound = Code(base: .notFound)
        /// A file system call failed.
        public static let io = Code(base: .io)
        /// Building or signing a certificate or CSR failed inside the X.509 library.
        public static let signingFailed = Code(base: .signingFailed)
    }

    /// What went wrong, as a category.
    public var code: Code
    /// A sentence naming the value or file at fault.
    public var message: String
    /// The file involved, when there is one.
    public var path: String?

    /// Creates an error; `message` should name the value or file at fault.
    public init(code: Code, message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Compares codes only.
    public static func == (lhs: PKIError, rhs: PKIError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The message, which already names the value or file.
    public var description: String { message }
}

extension PKIError {
    /// Runs `body`, turning any non-PKI error it throws into a `PKIError` with `code` and `message` plus the cause.
    static func wrapping<T>(
        _ code: Code, _ message: @autoclosure () -> String, path: String? = nil, _ body: () throws -> T
    ) throws(PKIError) -> T {
        do {
            return try body()
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(code: code, message: "\(message()): \(userFacing(error))", path: path)
        }
    }

    /// A dependency's error as words for an API answer: swift-asn1 and swift-certificates put
    /// the source file and line of the throw into their descriptions, which tell a client nothing
    /// and leak the build's paths.
    static func userFacing(_ error: any Error) -> String {
        var text = "\(error)"
        while let range = text.range(of: #"\s*(at\s+)?\S*/[^\s/]+\.swift:\d+"#, options: .regularExpression) {
            text.removeSubrange(range)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
