import Foundation

/// What `/proc/PID` says about a process at one moment: resident memory, CPU time used, bytes it caused to be
/// written to storage. Differences of two samples give CPU load and bytes written over the interval.
public struct ProcessSample: Sendable {
    /// When it was taken (monotonic).
    public var at: ContinuousClock.Instant
    /// `VmRSS` in bytes.
    public var residentBytes: Int
    /// User plus system CPU seconds so far.
    public var cpuSeconds: Double
    /// `write_bytes` of `/proc/PID/io`: bytes sent to the storage layer (page cache write-back included).
    public var writtenBytes: Int

    /// Reads `/proc/pid`; nil when the process is gone or /proc is not there.
    public static func take(pid: Int32) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
        let rssKiB = field(status, "VmRSS:") ?? 0
        // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th.
        let afterName = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
        let ticks = afterName.count > 12 ? (Double(afterName[11]) ?? 0) + (Double(afterName[12]) ?? 0) : 0
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(at: .now, residentBytes: rssKiB * 1024, cpuSeconds: ticks / max(hertz, 1), writtenBytes: field(io, "write_bytes:") ?? 0)
    }

    /// The sum over `pids` (the replicas of one hub); nil when any of them is gone.
    public static func take(pids: [Int32]) -> ProcessSample? {
        var total = ProcessSample(at: .now, residentBytes: 0, cpuSeconds: 0, writtenBytes: 0)
        for pid in pids {
            guard let sample = take(pid: pid) else { return nil }
            total.residentBytes += sample.residentBytes
            total.cpuSeconds += sample.cpuSeconds
            total.writtenBytes += sample.writtenBytes
        }
        return total
    }

    /// CPU used between `earlier` and this sample, as a percentage of one core.
    public func cpuPercent(since earlier: ProcessSample) -> Double {
        let wall = (at - earlier.at) / .seconds(1)
        return wall > 0 ? (cpuSeconds - earlier.cpuSeconds) / wall * 100 : 0
    }

    private static func field(_ text: String, _ name: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        // "VmRSS:\t  51234 kB": the separator is a tab and spaces.
        return line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
    }
}

/// The whole machine's CPU time from `/proc/stat`: busy and idle ticks summed over every core.
struct MachineCPUSample: Sendable {
    var at: ContinuousClock.Instant
    var busySeconds: Double

    static func take() -> MachineCPUSample? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return nil }
        // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return nil }
        let busy = ticks.enumerated().filter { ![3, 4].contains($0.offset) }.map(\.element).reduce(0, +)
        return MachineCPUSample(at: .now, busySeconds: busy / max(Double(sysconf(Int32(_SC_CLK_TCK))), 1))
    }

    /// Cores kept busy on average between `earlier` and this sample.
    func busyCores(since earlier: MachineCPUSample) -> Double {
        let wall = (at - earlier.at) / .seconds(1)
        return wall > 0 ? (busySeconds - earlier.busySeconds) / wall : 0
    }
}
