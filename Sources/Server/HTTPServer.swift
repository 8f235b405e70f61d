import Foundation
import Remote

/// A request as the server received it: its head and its whole body.
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    public var method: String { head.method }
    public var path: String { head.path }
}

/// A small HTTP/1.1 server on POSIX sockets: one thread accepts, one thread per connection reads
/// requests (keep-alive, Content-Length or chunked bodies) and calls `handler`, which answers
/// through a `ResponseWriter` (whole bodies with Content-Length, or chunked streams).
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest, ResponseWriter) -> Void

    /// Limits and timeouts.
    public struct Limits: Sendable {
        public var maxBodyBytes = 8 << 20
        /// Seconds an idle keep-alive connection (or a slow request) may wait.
        public var readTimeout: Double = 30
        /// Seconds a write may wait for the client to read.
        public var writeTimeout: Double = 30
        public init() {}
    }

    public let host: String
    private let requestedPort: Int
    private let handler: Handler
    private let limits: Limits
    private let lock = NSLock()
    private var listener: TCPSocket?
    private var stopped = false
    private var connections: [ObjectIdentifier: TCPSocket] = [:]

    public init(host: String = "127.0.0.1", port: Int, limits: Limits = Limits(), handler: @escaping Handler) {
        self.host = host
        self.requestedPort = port
        self.limits = limits
        self.handler = handler
    }

    /// The port it listens on (after `start`).
    public private(set) var port: Int = 0

    /// Binds and starts accepting connections on a background thread.
    public func start() throws {
        let l = try TCPSocket.listen(host: host, port: requestedPort)
        port = l.localPort
        lock.lock()
        listener = l
        lock.unlock()
        let t = Thread { [self] in acceptLoop(l) }
        t.name = "llamaterm.server.accept"
        t.start()
    }

    /// Stops accepting and closes open connections.
    public func stop() {
        lock.lock()
        stopped = true
        let l = listener
        let open = Array(connections.values)
        lock.unlock()
        l?.cancel()
        for c in open { c.cancel() }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop(_ l: TCPSocket) {
        while !isStopped {
            let client: TCPSocket?
            do { client = try l.accept(timeout: 0.5) } catch {
                if isStopped { break }
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            guard let client else { continue }
            lock.lock()
            connections[ObjectIdentifier(client)] = client
            lock.unlock()
            let t = Thread { [self] in
                serve(client)
                lock.lock()
                connections[ObjectIdentifier(client)] = nil
                lock.unlock()
                client.close()
            }
            t.name = "llamaterm.server.connection"
            t.start()
        }
        l.close()
    }

    private func serve(_ socket: TCPSocket) {
        let reader = SocketReader(socket: socket, timeout: limits.readTimeout)
        while !isStopped {
            let lines: [String]
            do {
                guard let l = try reader.readHead() else { return }
                lines = l
            } catch SocketReader.HeadFailure.tooLarge {
                ResponseWriter(socket: socket, limits: limits, keepAlive: false).sendError(431, "the request head is too large")
                return
            } catch {
                return  // timeout, reset or a truncated head: nothing to answer
            }
            let writer0 = ResponseWriter(socket: socket, limits: limits, keepAlive: false)
            let head: HTTPRequestHead
            do { head = try HTTPHeadParser.request(lines) } catch {
                writer0.sendError(400, "malformed request: \(error)")
                return
            }
            guard head.version == "HTTP/1.1" || head.version == "HTTP/1.0" else {
                writer0.sendError(505, "only HTTP/1.0 and HTTP/1.1 are supported")
                return
            }
            if head.headers["Expect"]?.lowercased() == "100-continue" {
                try? socket.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), timeout: limits.writeTimeout)
            }
            var body: [UInt8] = []
            do {
                let framing = try HTTPBodyReader.framing(of: head.headers, defaultsToEmpty: true)
                if case .length(let n) = framing, n > limits.maxBodyBytes {
                    writer0.sendError(413, "the request body is larger than \(limits.maxBodyBytes) bytes")
                    return
                }
                var r = HTTPBodyReader(reader: reader, framing: framing)
                body = try r.readAll(limit: limits.maxBodyBytes)
            } catch {
                writer0.sendError(400, "cannot read the request body: \(error)")
                return
            }
            let writer = ResponseWriter(socket: socket, limits: limits, keepAlive: head.keepAlive, isHEAD: head.method == "HEAD")
            handler(HTTPServerRequest(head: head, body: body), writer)
            if !writer.responded { writer.sendError(500, "the handler sent no response") }
            if !writer.keepsConnection { return }
        }
    }
}

/// Answers one request: `send` (a whole body) or `startStream`/`write`/`finish` (chunked).
public final class ResponseWriter: @unchecked Sendable {
    private let socket: TCPSocket
    private let limits: HTTPServer.Limits
    private let wantsKeepAlive: Bool
    private let isHEAD: Bool
    /// True once a status line went out.
    public private(set) var responded = false
    /// True once a write failed (the client went away).
    public private(set) var clientGone = false
    private var streaming = false
    private var streamFinished = false

    init(socket: TCPSocket, limits: HTTPServer.Limits, keepAlive: Bool, isHEAD: Bool = false) {
        self.socket = socket
        self.limits = limits
        self.wantsKeepAlive = keepAlive
        self.isHEAD = isHEAD
    }

    /// True when the connection can take another request.
    var keepsConnection: Bool { wantsKeepAlive && !clientGone && (!streaming || streamFinished) }

    private func write(_ bytes: [UInt8]) -> Bool {
        if clientGone { return false }
        do { try socket.write(bytes, timeout: limits.writeTimeout) } catch { clientGone = true; socket.cancel() }
        return !clientGone
    }

    private func headers(_ extra: [(String, String)]) -> HTTPHeaders {
        var h = HTTPHeaders(extra)
        h.add("Server", "llamaterm")
        h.add("Connection", wantsKeepAlive ? "keep-alive" : "close")
        return h
    }

    /// Sends a whole response with Content-Length.
    public func send(status: Int, contentType: String, body: [UInt8], headers extra: [(String, String)] = []) {
        guard !responded else { return }
        responded = true
        var h = headers(extra)
        h.add("Content-Type", contentType)
        h.add("Content-Length", String(body.count))
        _ = write(HTTPResponseHead(status: status, headers: h).serialized + (isHEAD ? [] : body))
    }

    /// Sends a JSON value.
    public func sendJSON(status: Int = 200, _ value: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        send(status: status, contentType: "application/json", body: Array(data))
    }

    /// Sends `{"error": message, "error_type": type}` (TGI's error shape; OpenAI routes pass their own).
    public func sendError(_ status: Int, _ message: String, type: String? = nil) {
        var obj: [String: Any] = ["error": message]
        obj["error_type"] = type ?? HTTPStatus.reason(status).lowercased().replacingOccurrences(of: " ", with: "_")
        sendJSON(status: status, obj)
    }

    /// Starts a chunked response; false when the client is gone.
    @discardableResult
    public func startStream(status: Int = 200, contentType: String, headers extra: [(String, String)] = []) -> Bool {
        guard !responded else { return false }
        responded = true
        streaming = true
        var h = headers(extra + [("Cache-Control", "no-cache")])
        h.add("Content-Type", contentType)
        h.add("Transfer-Encoding", "chunked")
        return write(HTTPResponseHead(status: status, headers: h).serialized)
    }

    /// Writes one chunk; false when the client is gone.
    @discardableResult
    public func write(chunk: [UInt8]) -> Bool {
        guard streaming, !streamFinished, !chunk.isEmpty else { return !clientGone }
        return write(Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10])
    }

    /// Writes a server-sent event (`data: ...` and a blank line).
    @discardableResult
    public func writeEvent(data: String) -> Bool {
        write(chunk: Array("data: \(data)\n\n".utf8))
    }

    /// Ends a chunked response.
    public func finish() {
        guard streaming, !streamFinished else { return }
        streamFinished = true
        _ = write([48, 13, 10, 13, 10])
    }

    /// Ends a stream abruptly (no final chunk) so the client sees a truncated reply.
    public func abort() {
        clientGone = true
        socket.cancel()
    }
}
