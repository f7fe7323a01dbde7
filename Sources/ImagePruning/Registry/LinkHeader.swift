import Foundation

/// RFC 8288 `Link` headers as Registry v2 paginates with them:
/// `</v2/_catalog?last=team%2Fapp&n=100>; rel="next"`.
enum LinkHeader {
    /// The path and query of the `rel="next"` target, or nil on the last page.
    static func nextPath(_ values: [String]) -> String? {
        for value in values {
            for link in value.split(separator: ",") {
                let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
                let isNext = parts.dropFirst().contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return pair.count == 2 && pair[0].lowercased() == "rel" && pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == "next"
                }
                if isNext { return pathAndQuery(String(target.dropFirst().dropLast())) }
            }
        }
        return nil
    }

    /// The path and query of a URL that may be absolute, so that follow-up requests always go to
    /// the configured registry (and never carry credentials elsewhere).
    static func pathAndQuery(_ target: String) -> String? {
        guard let components = URLComponents(string: target), !components.percentEncodedPath.isEmpty else { return nil }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }
}
