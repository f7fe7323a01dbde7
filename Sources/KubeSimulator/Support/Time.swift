import Foundation
import RegistryModel

extension Date {
    /// This instant rounded down to the second: API server timestamps have second precision.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }

    /// The RFC 3339 form a status field stores.
    var json: JSONValue { .string(RFC3339.format(wholeSeconds)) }
}

extension Duration {
    /// The length in seconds, as `Date` arithmetic needs it.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

extension JSONValue {
    /// The RFC 3339 timestamp stored here, if any.
    var dateValue: Date? { stringValue.flatMap(RFC3339.parse) }
}
