import Foundation
import TestSupport

/// `llamaterm serve` running as a child process on an ephemeral port, stopped (SIGTERM) by `stop()`.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errors = Pipe()

    init(arguments: [String] = []) throws {
        process.executableURL = TestPaths.binary
        process.arguments = ["serve", "--model", TestPaths.defaultModel.path, "--port", "0", "--threads", "2"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        // The first line on standard output is "listening on http://127.0.0.1:PORT".
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        let handle = out.fileHandleForReading
        while !text.contains("\n") && Date() < deadline && process.isRunning {
            let d = handle.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, let colon = line.lastIndex(of: ":"),
              let p = Int(line[line.index(after: colon)...]) else {
            process.terminate()
            let err = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw PythonClientFailure(text: "llamaterm serve did not start: \(text) \(err)")
        }
        port = p
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
