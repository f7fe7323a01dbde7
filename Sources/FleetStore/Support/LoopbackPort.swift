import Foundation
import Synchronization

/// Loopback ports for servers that stop and start again on the same port (a restarted PostgreSQL,
/// a hub restarted in a test, where agents look for it).
///
/// A port the kernel hands out for `bind(0)` lies in its ephemeral range, the range it also takes
/// outgoing connections' source ports from. Once such a server stops, the next outgoing connection
/// may get its port (and with a connection pool busy, one soon does), and the restart then fails
/// with "address in use". A port below that range is never a source port, so it stays free until
/// someone binds it on purpose.
public enum LoopbackPort {
    /// A port below the ephemeral range that nobody listens on right now, picked at random so
    /// other processes rarely meet it, and never handed out twice by this process (its servers
    /// may be down between a stop and a start); throws `unavailable` when none could be found.
    public static func restartable() throws(StoreError) -> Int {
        let lowest = 10_000
        let ceiling = max(lowest + 1_000, ephemeralRangeStart())
        for _ in 0..<200 {
            let port = Int.random(in: lowest..<ceiling)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if isFree(port) { return port }
        }
        throw StoreError(code: .unavailable, message: "no free loopback port between \(lowest) and \(ceiling)")
    }

    /// Every port `restartable()` returned in this process.
    private static let handedOut = Mutex<Set<Int>>([])

    /// The first port of `/proc/sys/net/ipv4/ip_local_port_range` (32768 by default).
    static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }

    /// Whether binding 127.0.0.1:`port` succeeds now.
    static func isFree(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }
}
