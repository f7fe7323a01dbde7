/// The text form of store events in a PostgreSQL `NOTIFY` payload: one event per line,
/// `p CLUSTER GENERATION`, `d CLUSTER`, `e CLUSTER` or `r SERIAL`. Cluster names are DNS labels
/// and serials hex, so neither holds a space or a newline.
enum StoreEventCoding {
    /// PostgreSQL refuses payloads of 8000 bytes or more; stay clear of it.
    static let payloadLimit = 7800

    /// `events` as payloads, each under the limit.
    static func payloads(_ events: [StoreEvent]) -> [String] {
        var payloads: [String] = []
        var current = ""
        for line in events.compactMap(line) {
            if !current.isEmpty, current.utf8.count + line.utf8.count + 1 > payloadLimit {
                payloads.append(current)
                current = ""
            }
            current += current.isEmpty ? line : "\n" + line
        }
        if !current.isEmpty { payloads.append(current) }
        return payloads
    }

    /// The events of one payload; lines that do not parse are skipped (a newer replica's event
    /// kinds, during a rolling upgrade).
    static func decode(_ payload: String) -> [StoreEvent] {
        payload.split(separator: "\n").flatMap { line -> [StoreEvent] in
            let fields = line.split(separator: " ").map(String.init)
            switch (fields.first, fields.count) {
            case ("p", 3): return Int64(fields[2]).map { [.policyChanged(cluster: fields[1], generation: $0)] } ?? []
            case ("d", 2): return [.clusterDeleted(cluster: fields[1])]
            case ("e", 2): return [.clusterEnrolled(cluster: fields[1])]
            case ("r", 2): return [.serialsRevoked([fields[1]])]
            default: return []
            }
        }
    }

    private static func line(_ event: StoreEvent) -> String? {
        switch event {
        case .policyChanged(let cluster, let generation): "p \(cluster) \(generation)"
        case .clusterDeleted(let cluster): "d \(cluster)"
        case .clusterEnrolled(let cluster): "e \(cluster)"
        case .serialsRevoked(let serials): serials.isEmpty ? nil : serials.map { "r \($0)" }.joined(separator: "\n")
        case .resynchronize: nil
        }
    }
}
