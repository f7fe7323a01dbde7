import Logging

/// A logger that drops everything, so test output shows only test results.
let quietLogger = Logger(label: "regfleet.tests", factory: { _ in SwiftLogNoOpLogHandler() })
