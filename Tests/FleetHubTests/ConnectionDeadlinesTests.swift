@testable import FleetHub
import Testing

/// The connection timer's state machine, event by event, without a socket or a clock.
@Suite struct ConnectionDeadlinesTests {
    /// A TLS connection waits for the handshake, then a head, then the body; nothing is armed
    /// while the hub answers (a long poll), and idle starts when the response ends.
    @Test func keepAliveSequence() {
        var machine = ConnectionDeadlines(tls: true)
        #expect(machine.started() == .arm(.handshakeTimeout))
        #expect(machine.handshakeCompleted() == .arm(.requestHeadTimeout))
        #expect(machine.receivedHead() == .arm(.bodyTimeout))
        #expect(machine.receivedEnd() == .disarm)
        #expect(machine.sentResponseEnd() == .arm(.idleTimeout))
        #expect(machine.receivedHead() == .arm(.bodyTimeout))
    }

    /// Without TLS the first deadline is the request head.
    @Test func plainConnectionStartsWithTheHead() {
        #expect(ConnectionDeadlines(tls: false).started() == .arm(.requestHeadTimeout))
    }

    /// A response that ends before its request's body did (an early 413) closes the connection.
    @Test func earlyResponseCloses() {
        var machine = ConnectionDeadlines(tls: false)
        _ = machine.receivedHead()
        #expect(machine.sentResponseEnd() == .closeAfterWrite)
    }

    /// A pipelined second request being read does not close the connection when the first answer ends.
    @Test func pipelinedRequestKeepsTheConnection() {
        var machine = ConnectionDeadlines(tls: false)
        _ = machine.receivedHead()
        _ = machine.receivedEnd()
        _ = machine.receivedHead()
        #expect(machine.sentResponseEnd() == .none)
        #expect(machine.receivedEnd() == .disarm)
        #expect(machine.sentResponseEnd() == .arm(.idleTimeout))
    }

    /// `Connection: close` on a response closes after it is written.
    @Test func connectionCloseIsHonoured() {
        var machine = ConnectionDeadlines(tls: false)
        _ = machine.receivedHead()
        _ = machine.receivedEnd()
        machine.respondingWithClose()
        #expect(machine.sentResponseEnd() == .closeAfterWrite)
    }
}
