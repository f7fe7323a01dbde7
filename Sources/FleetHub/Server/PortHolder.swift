import Foundation

/// Who holds a TCP port, for the error of a hub that cannot listen ("address already in use, held by
/// regfleet (pid 4242)"): the listening socket's inode from /proc/net/tcp{,6}, then the process with a
/// descriptor on it. Linux only; nil when /proc does not say (another user's process, a container).
enum PortHolder {
    static func describe(port: Int) -> String? {
        let inodes = Set(["/proc/net/tcp", "/proc/net/tcp6"].flatMap { listeningInodes(in: $0, port: port) })
        guard !inodes.isEmpty, let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for pid in pids where pid.allSatisfy(\.isNumber) {
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in fds {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                    target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast()))
                else { continue }
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                return "\(name ?? "a process") (pid \(pid))"
            }
        }
        return nil
    }

    /// Inodes of sockets listening (state 0A) on `port` in one /proc/net table.
    private static func listeningInodes(in table: String, port: Int) -> [String] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return [] }
        let digits = String(port, radix: 16, uppercase: true)
        let hexPort = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[1].hasSuffix(":" + hexPort), fields[3] == "0A" else { return nil }
            return String(fields[9])
        }
    }
}
