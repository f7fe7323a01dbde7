import Foundation

/// A CA and a server certificate for 127.0.0.1, made at run time with the `openssl` command
/// (checked-in certificates expire), in a fresh temporary directory.
struct TestCertificates {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.crt").path }
    var serverCertificateFile: String { directory.appendingPathComponent("server.crt").path }
    var serverKeyFile: String { directory.appendingPathComponent("server.key").path }

    /// Generates the files; fails with openssl's output when it cannot.
    static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-tls-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        let extensions = directory.appendingPathComponent("san.ext")
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(to: extensions, atomically: true, encoding: .utf8)
        try openssl(
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=regfleet test CA",
             "-keyout", directory.appendingPathComponent("ca.key").path, "-out", certificates.caFile], in: directory)
        try openssl(
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", certificates.serverKeyFile,
             "-out", directory.appendingPathComponent("server.csr").path], in: directory)
        try openssl(
            ["x509", "-req", "-in", directory.appendingPathComponent("server.csr").path, "-CA", certificates.caFile, "-CAkey",
             directory.appendingPathComponent("ca.key").path, "-CAcreateserial", "-days", "2", "-extfile", extensions.path, "-out",
             certificates.serverCertificateFile], in: directory)
        return certificates
    }

    /// Removes the files.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func openssl(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? "") failed: \(text)"])
        }
    }
}
