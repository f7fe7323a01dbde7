import Foundation

/// The one media type the hub reads request bodies as.
///
/// Matching `Content-Type` by prefix let `application/jsonp`, `application/json-patch+json` and
/// `application/json; charset=utf-16` through as plain JSON. This parses the header as a media
/// type (RFC 9110 §8.3.1): exactly `application/json`, case-insensitive, whose only accepted
/// parameter is `charset=utf-8` (RFC 8259 §8.1: JSON between systems is UTF-8).
enum JSONMediaType {
    /// Nil when `header` names JSON in UTF-8; otherwise why it does not.
    static func problem(with header: String) -> String? {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let essence = parts.removeFirst().lowercased()
        guard essence == "application/json" else { return "request body must be application/json, got \(header)" }
        for parameter in parts {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "charset" else {
                return "unsupported media type parameter \"\(parameter)\": only charset=utf-8 is accepted"
            }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            guard value == "utf-8" else { return "request body must be UTF-8 JSON, got charset \(pair[1])" }
        }
        return nil
    }
}
