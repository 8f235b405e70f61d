import Foundation
import Remote

/// A raw socket server for failure tests: accepts connections on 127.0.0.1 (ephemeral port),
/// reads each request's head and body, then hands the socket to `script` to answer however the
/// test wants (or not at all).
final class FakeServer: @unchecked Sendable {
    let port: Int
    private let listener: TCPSocket
    private let lock = NSLock()
    private var _connections = 0
    private var _closedByClient = 0
    private var _requests: [String] = []
    private var stopped = false

    /// Connections accepted so far.
    var connections: Int { lock.lock(); defer { lock.unlock() }; return _connections }
    /// Connections on which the client closed its side while the script was still waiting.
    var closedByClient: Int { lock.lock(); defer { lock.unlock() }; return _closedByClient }
    /// The request bodies received.
    var requests: [String] { lock.lock(); defer { lock.unlock() }; return _requests }

    init(script: @escaping @Sendable (_ connection: Int, _ socket: TCPSocket, _ server: FakeServer) -> Void) throws {
        listener = try TCPSocket.listen(host: "127.0.0.1", port: 0)
        port = listener.localPort
        let t = Thread { [self] in
            while !isStopped {
                guard let c = try? listener.accept(timeout: 0.2) else { continue }
                lock.lock(); _connections += 1; let n = _connections; lock.unlock()
                Thread { [self] in
                    if let body = readRequest(c) {
                        lock.lock(); _requests.append(body); lock.unlock()
                        script(n, c, self)
                    }
                    c.close()
                }.start()
            }
            listener.close()
        }
        t.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    func stop() {
        lock.lock(); stopped = true; lock.unlock()
    }

    private func readRequest(_ c: TCPSocket) -> String? {
        var data: [UInt8] = []
        while true {
            guard let piece = try? c.read(timeout: 5), !piece.isEmpty else { return nil }
            data += piece
            if let end = find(data, [13, 10, 13, 10]) {
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                var length = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                while data.count < end + 4 + length {
                    guard let more = try? c.read(timeout: 5), !more.isEmpty else { return nil }
                    data += more
                }
                return String(decoding: data[(end + 4)...], as: UTF8.self)
            }
        }
    }

    private func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }

    /// Writes text (ignoring a gone client).
    static func send(_ c: TCPSocket, _ text: String) {
        try? c.write(Array(text.utf8), timeout: 2)
    }

    /// Waits until the client closes the connection (or `seconds` pass); records a close.
    func waitForClientClose(_ c: TCPSocket, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            do {
                let b = try c.read(timeout: 0.1)
                if b.isEmpty { lock.lock(); _closedByClient += 1; lock.unlock(); return }
            } catch TCPSocket.SocketFailure.timedOut {
                continue
            } catch {
                lock.lock(); _closedByClient += 1; lock.unlock(); return
            }
        }
    }
}

/// A status line and headers for an event stream without Content-Length (ends at close).
let sseHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"

/// A TGI token event.
func tgiToken(_ text: String, id: Int = 5) -> String {
    let escaped = String(data: try! JSONSerialization.data(withJSONObject: [text], options: []), encoding: .utf8)!.dropFirst().dropLast()
    return "data: {\"index\":1,\"token\":{\"id\":\(id),\"text\":\(escaped),\"logprob\":0,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
}

/// What a remote stream produced: the text, the finish, the error.
struct Collected {
    var text = ""
    var finish: RemoteFinish?
    var error: Error?
    var remoteError: RemoteError? { error as? RemoteError }
}

func collect(_ stream: AsyncThrowingStream<RemoteEvent, Error>) async -> Collected {
    var c = Collected()
    do {
        for try await e in stream {
            switch e {
            case .text(let t): c.text += t
            case .finished(let f): c.finish = f
            }
        }
    } catch { c.error = error }
    return c
}
