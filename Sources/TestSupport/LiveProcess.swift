import Foundation

/// A `llamaterm` child whose standard input stays open and whose output is collected as it
/// comes, for tests that interrupt or kill it mid-reply.
public final class LiveProcess: @unchecked Sendable {
    public let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private let done = DispatchGroup()

    /// Starts the binary under test with `arguments`.
    public init(_ arguments: [String]) throws {
        process.executableURL = TestPaths.binary
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        for (pipe, isOut) in [(output, true), (errors, false)] {
            done.enter()
            DispatchQueue.global().async {
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    self.lock.lock()
                    if isOut { self.out.append(chunk) } else { self.err.append(chunk) }
                    self.lock.unlock()
                }
                self.done.leave()
            }
        }
    }

    /// Writes to its standard input.
    public func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }
    public func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits (at most 60 s) until standard output holds `bytes` bytes, and returns it.
    public func waitForOutput(bytes: Int) throws -> String {
        for _ in 0..<6000 {
            lock.lock()
            let n = out.count
            lock.unlock()
            if n >= bytes { return stdoutText }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no output from llamaterm chat: \(stderrText)"])
    }

    /// Waits until it exits and its output is read; returns its exit status.
    public func wait() -> Int32 {
        process.waitUntilExit()
        done.wait()
        closeInput()
        return process.terminationStatus
    }

    public var stdoutText: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    public var stderrText: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }
}
