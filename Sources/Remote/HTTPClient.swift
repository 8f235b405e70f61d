import Foundation

/// How long a request may wait, in seconds.
public struct RemoteTimeouts: Sendable, Hashable {
    /// Connecting to the server.
    public var connect: Double
    /// From sending the request to the first byte of the answer (the server may queue the request
    /// and evaluate a long prompt first).
    public var firstByte: Double
    /// Between two pieces of a streamed answer.
    public var betweenTokens: Double

    public init(connect: Double = 10, firstByte: Double = 300, betweenTokens: Double = 60) {
        self.connect = connect
        self.firstByte = firstByte
        self.betweenTokens = betweenTokens
    }
}

/// One HTTP/1.1 exchange on its own connection (`Connection: close`): send the request, read the
/// head, then read the body as it arrives. Blocking: run it on its own thread. `cancel()` from
/// any thread aborts it by shutting the socket down.
public final class HTTPExchange: @unchecked Sendable {
    public let url: ServerURL
    public let timeouts: RemoteTimeouts
    private let lock = NSLock()
    private var socket: TCPSocket?
    private var cancelled = false

    public init(url: ServerURL, timeouts: RemoteTimeouts) {
        self.url = url
        self.timeouts = timeouts
    }

    /// Aborts the exchange (now or as soon as it connects).
    public func cancel() {
        lock.lock()
        cancelled = true
        let s = socket
        lock.unlock()
        s?.cancel()
    }

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    /// The label errors name the server by: the URL of the endpoint.
    public func label(_ path: String) -> String { "\(url)\(path)" }

    /// Sends `method path` with a JSON (or other) `body` and returns the response head and a
    /// reader for its body (whose waits use the between-tokens timeout). Throws `RemoteError`, or
    /// `CancellationError` after `cancel()`.
    public func send(method: String, path: String, headers extra: [(String, String)] = [], body: [UInt8] = [],
                     contentType: String = "application/json") throws -> (HTTPResponseHead, HTTPBodyReader) {
        let label = label(path)
        if isCancelled { throw CancellationError() }
        let sock = try TCPSocket.connect(host: url.host, port: url.port, timeout: timeouts.connect, label: label)
        lock.lock()
        socket = sock
        let wasCancelled = cancelled
        lock.unlock()
        if wasCancelled { sock.cancel(); throw CancellationError() }
        var headers = HTTPHeaders([("Host", url.hostHeader), ("User-Agent", "llamaterm"), ("Accept", "*/*"), ("Connection", "close")])
        if method != "GET" || !body.isEmpty {
            headers.add("Content-Type", contentType)
            headers.add("Content-Length", String(body.count))
        }
        for (n, v) in extra { headers.add(n, v) }
        let head = HTTPRequestHead(method: method, target: url.path(path), headers: headers)
        do {
            try sock.write(head.serialized + body, timeout: timeouts.connect)
        } catch {
            throw map(error, label: label, received: false)
        }
        let reader = SocketReader(socket: sock, timeout: timeouts.firstByte)
        let response: HTTPResponseHead
        do {
            guard let lines = try reader.readHead() else {
                throw RemoteError.truncated(url: label, detail: "the server closed the connection without answering")
            }
            response = try HTTPHeadParser.response(lines)
        } catch let e as RemoteError {
            throw e
        } catch {
            throw map(error, label: label, received: reader.receivedAny)
        }
        reader.timeout = timeouts.betweenTokens
        let framing: HTTPBodyReader.Framing
        do {
            framing = method == "HEAD" || response.status == 204 || response.status == 304
                ? .length(0) : try HTTPBodyReader.framing(of: response.headers, defaultsToEmpty: false)
        } catch {
            throw map(error, label: label, received: true)
        }
        return (response, HTTPBodyReader(reader: reader, framing: framing))
    }

    /// The next piece of a body, with errors mapped to `RemoteError` (`received` says whether any
    /// of the reply had arrived, for the timeout's wording).
    public func next(_ body: inout HTTPBodyReader, path: String, received: Bool) throws -> [UInt8]? {
        do { return try body.next() } catch { throw map(error, label: label(path), received: received) }
    }

    /// A whole small body as text (for error answers and non-streamed replies).
    public func readAll(_ body: inout HTTPBodyReader, path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        do { return try body.readAll(limit: limit) } catch { throw map(error, label: label(path), received: true) }
    }

    /// Closes the connection.
    public func close() {
        lock.lock()
        let s = socket
        socket = nil
        lock.unlock()
        s?.close()
    }

    /// Socket and framing failures as `RemoteError` (cancellation as `CancellationError`).
    public func map(_ error: Error, label: String, received: Bool) -> Error {
        if isCancelled { return CancellationError() }
        switch error {
        case let e as RemoteError: return e
        case let e as TCPSocket.SocketFailure:
            switch e {
            case .timedOut:
                return RemoteError.responseTimeout(url: label, seconds: received ? timeouts.betweenTokens : timeouts.firstByte, received: received)
            case .cancelled: return CancellationError()
            case .closedByPeer: return RemoteError.connectionLost(url: label, message: "connection reset by the server")
            case .failed(let m): return RemoteError.connectionLost(url: label, message: m)
            }
        case let e as SocketReader.HeadFailure:
            switch e {
            case .truncated: return RemoteError.truncated(url: label, detail: "inside the response head")
            case .tooLarge: return RemoteError.malformedResponse(url: label, detail: "the response head is too large")
            }
        case let e as HTTPHeadParser.Failure:
            if case .malformed(let m) = e { return RemoteError.malformedResponse(url: label, detail: m) }
        case let e as HTTPBodyReader.Failure:
            switch e {
            case .truncated(let m): return RemoteError.truncated(url: label, detail: m)
            case .malformed(let m): return RemoteError.malformedResponse(url: label, detail: m)
            }
        default: break
        }
        return RemoteError.connectionLost(url: label, message: "\(error)")
    }
}

/// The error text in a server's error body: `{"error": "..."}` (TGI), `{"error": {"message":
/// "..."}}` (OpenAI), `{"message": "..."}` or `{"detail": ...}`, else the body's text.
public func serverErrorMessage(_ body: [UInt8]) -> String {
    if let obj = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
        if let s = obj["error"] as? String { return s }
        if let e = obj["error"] as? [String: Any], let m = e["message"] as? String { return m }
        if let m = obj["message"] as? String { return m }
        if let d = obj["detail"] as? String { return d }
        if let d = obj["detail"], let data = try? JSONSerialization.data(withJSONObject: d), let s = String(data: data, encoding: .utf8) { return s }
    }
    var text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.count > 500 { text = String(text.prefix(500)) + "..." }
    return text.replacingOccurrences(of: "\n", with: " ")
}
