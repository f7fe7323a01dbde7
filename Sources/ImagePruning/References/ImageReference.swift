/// An image reference parsed with the Docker reference grammar (distribution's `reference`
/// package): `[domain/]path[:tag][@digest]`, where the first component is a domain only when
/// it contains `.` or `:`, is `localhost`, or has upper-case letters; otherwise the image is on
/// Docker Hub (`docker.io`, `library/` for one-component paths).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// `host[:port]` as written, lower-cased; `docker.io` when none was written.
    public var domain: String
    /// The repository within the registry, e.g. `team/app`.
    public var path: String
    /// The tag as written; nil when none was (a digest reference, or `latest` implied).
    public var tag: String?
    /// `algorithm:hex`, when the reference pins a digest.
    public var digest: String?

    public init(domain: String, path: String, tag: String? = nil, digest: String? = nil) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// The tag that selects the image: the written one, `latest` when there is neither tag nor
    /// digest, nil for a pure digest reference (the digest wins when both are given, as when a
    /// container runtime pulls).
    public var effectiveTag: String? {
        if digest != nil { return nil }
        return tag ?? "latest"
    }

    public var description: String {
        "\(domain)/\(path)" + (tag.map { ":\($0)" } ?? "") + (digest.map { "@\($0)" } ?? "")
    }

    /// Parses a reference; the error message says which part is wrong.
    public init(parsing text: String) throws(RegistryError) {
        func invalid(_ why: String) -> RegistryError {
            RegistryError(code: .invalidReference, message: "invalid image reference \"\(text)\": \(why)")
        }
        guard !text.isEmpty else { throw invalid("empty") }
        var remainder = Substring(text)
        var digest: String?
        if let at = remainder.firstIndex(of: "@") {
            let digestText = String(remainder[remainder.index(after: at)...])
            guard Self.isValidDigest(digestText) else { throw invalid("bad digest \"\(digestText)\"") }
            digest = digestText
            remainder = remainder[..<at]
        }
        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            let tagText = String(remainder[remainder.index(after: colon)...])
            guard Self.isValidTag(tagText) else { throw invalid("bad tag \"\(tagText)\"") }
            tag = tagText
            remainder = remainder[..<colon]
        }
        guard !remainder.isEmpty else { throw invalid("no repository name") }
        guard remainder.count <= 255 else { throw invalid("repository name longer than 255 characters") }
        var domain = "docker.io"
        var path = String(remainder)
        if let slash = remainder.firstIndex(of: "/") {
            let first = remainder[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                guard Self.isValidDomain(first) else { throw invalid("bad registry host \"\(first)\"") }
                domain = first.lowercased()
                path = String(remainder[remainder.index(after: slash)...])
            }
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for component in components {
            guard Self.isValidPathComponent(component) else {
                if component.lowercased() != component { throw invalid("repository name must be lowercase") }
                throw invalid("bad path component \"\(component)\"")
            }
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        if domain == "docker.io" && components.count == 1 { path = "library/" + path }
        self.init(domain: domain, path: path, tag: tag, digest: digest)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count && !isAlphanumeric(bytes[end]) { end += 1 }
            let separator = String(decoding: bytes[index..<end], as: UTF8.self)
            let allDashes = separator.allSatisfy { $0 == "-" }
            guard separator == "." || separator == "_" || separator == "__" || allDashes else { return false }
            index = end
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`
    static func isValidTag(_ tag: String) -> Bool {
        func isWord(_ character: Character) -> Bool { character.isASCII && (character.isLetter || character.isNumber || character == "_") }
        guard let first = tag.first, isWord(first), tag.count <= 128 else { return false }
        return tag.allSatisfy { isWord($0) || $0 == "." || $0 == "-" }
    }

    /// `component(.component)*[:port]` with components `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`,
    /// or a bracketed IPv6 address with an optional port.
    static func isValidDomain(_ domain: Substring) -> Bool {
        var host = domain
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
            let rest = host[host.index(after: close)...]
            return rest.isEmpty || (rest.hasPrefix(":") && isValidPort(rest.dropFirst()))
        }
        if let colon = host.lastIndex(of: ":") {
            guard isValidPort(host[host.index(after: colon)...]) else { return false }
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            func isAlphanumeric(_ character: Character) -> Bool { character.isASCII && (character.isLetter || character.isNumber) }
            return isAlphanumeric(first) && isAlphanumeric(last) && label.allSatisfy { isAlphanumeric($0) || $0 == "-" }
        }
    }

    private static func isValidPort(_ port: Substring) -> Bool {
        !port.isEmpty && port.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `algorithm:hex`; sha256/384/512 need their exact length of lower-case hex.
    static func isValidDigest(_ digest: String) -> Bool {
        let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let expectedLength: [Substring: Int] = ["sha256": 64, "sha384": 96, "sha512": 128]
        guard let length = expectedLength[parts[0]] else { return false }
        let hex = parts[1]
        return hex.count == length && hex.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
