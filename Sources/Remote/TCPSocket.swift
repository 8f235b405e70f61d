import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking TCP socket driven by `poll`, with timeouts on every wait and `cancel()` from any
/// thread (it shuts the socket down, which wakes a blocked wait at once). Used by the HTTP client
/// and the server; blocking calls belong on their own threads, never on Swift's cooperative pool.
public final class TCPSocket: @unchecked Sendable {
    /// What a wait ended with.
    public enum SocketFailure: Error, Sendable, Equatable {
        case timedOut
        case cancelled
        case closedByPeer
        case failed(String)
    }

    private let lock = NSLock()
    private var fd: Int32
    private var cancelled = false

    /// Wraps an open descriptor (made non-blocking here).
    public init(descriptor: Int32) {
        fd = descriptor
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// True once `cancel()` was called.
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    /// Aborts every wait on this socket now and later (safe from any thread, any number of times).
    public func cancel() {
        lock.lock()
        cancelled = true
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
    }

    /// Closes the descriptor (idempotent).
    public func close() {
        lock.lock()
        if fd >= 0 {
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
            fd = -1
        }
        lock.unlock()
    }

    private var descriptor: Int32 { lock.lock(); defer { lock.unlock() }; return fd }

    // MARK: Connecting and listening

    /// Connects to `host:port` (name or address), trying each resolved address until one answers.
    /// Throws `RemoteError` (refused, timeout, cannot connect) naming `label`.
    public static func connect(host: String, port: Int, timeout: Double, label: String) throws -> TCPSocket {
        let (rc, list) = resolve(host: host, port: port, passive: false)
        guard rc == 0, let first = list else {
            let why = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw RemoteError.cannotConnect(url: label, message: "cannot resolve host \"\(host)\": \(why)")
        }
        defer { freeaddrinfo(list) }
        var lastError: RemoteError = .cannotConnect(url: label, message: "no usable address for \(host)")
        let deadline = Date().addingTimeInterval(timeout)
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if s < 0 { continue }
            let sock = TCPSocket(descriptor: s)
            let r = Glibc_connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if r == 0 { return sock }
            let e = errno
            if e != EINPROGRESS {
                lastError = e == ECONNREFUSED ? .connectionRefused(url: label) : .cannotConnect(url: label, message: Self.errorText(e))
                continue
            }
            let remaining = deadline.timeIntervalSinceNow
            do {
                try sock.wait(for: Int16(POLLOUT), timeout: max(0, remaining))
            } catch SocketFailure.timedOut {
                lastError = .connectTimeout(url: label, seconds: timeout)
                continue
            } catch {
                lastError = .cannotConnect(url: label, message: "\(error)")
                continue
            }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return sock }
            lastError = err == ECONNREFUSED ? .connectionRefused(url: label) : .cannotConnect(url: label, message: Self.errorText(err))
        }
        throw lastError
    }

    /// `getaddrinfo` for a TCP stream to (or, `passive`, on) `host:port`: its return code and the
    /// address list (the caller frees it).
    private static func resolve(host: String, port: Int, passive: Bool) -> (Int32, UnsafeMutablePointer<addrinfo>?) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        if passive { hints.ai_flags = AI_PASSIVE }
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        return (rc, list)
    }

    /// A listening socket on `host:port` (`port` 0 picks a free port; see `localPort`).
    public static func listen(host: String, port: Int, backlog: Int32 = 64) throws -> TCPSocket {
        let (rc, list) = resolve(host: host, port: port, passive: true)
        guard rc == 0, let ai = list else {
            throw RemoteError.socket(operation: "listening on \(host):\(port)", message: rc == 0 ? "no address" : String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
        guard s >= 0 else { throw RemoteError.socket(operation: "socket()", message: errorText(errno)) }
        let sock = TCPSocket(descriptor: s)
        var one: Int32 = 1
        _ = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            throw RemoteError.socket(operation: "binding \(host):\(port)", message: errorText(errno))
        }
        guard Glibc_listen(s, backlog) == 0 else {
            throw RemoteError.socket(operation: "listening on \(host):\(port)", message: errorText(errno))
        }
        return sock
    }

    /// The local port (after `listen` with port 0).
    public var localPort: Int {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let r = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &len) }
        }
        guard r == 0 else { return 0 }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        }
        return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
    }

    /// Waits up to `timeout` seconds for a connection; nil on timeout.
    public func accept(timeout: Double) throws -> TCPSocket? {
        do { try wait(for: Int16(POLLIN), timeout: timeout) } catch SocketFailure.timedOut { return nil }
        let c = Glibc_accept(descriptor, nil, nil)
        if c < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED { return nil }
            throw SocketFailure.failed(Self.errorText(errno))
        }
        return TCPSocket(descriptor: c)
    }

    // MARK: Reading and writing

    /// Waits until the socket is ready for `events`; throws `timedOut`, `cancelled` or `failed`.
    /// Waits in slices so a cancel that raced the shutdown is still seen promptly.
    public func wait(for events: Int16, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if isCancelled { throw SocketFailure.cancelled }
            let d = descriptor
            if d < 0 { throw SocketFailure.cancelled }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw SocketFailure.timedOut }
            var p = pollfd(fd: d, events: events, revents: 0)
            let slice = Int32(min(remaining, 0.25) * 1000) + 1
            let r = poll(&p, 1, slice)
            if r < 0 {
                if errno == EINTR { continue }
                throw SocketFailure.failed(Self.errorText(errno))
            }
            if isCancelled { throw SocketFailure.cancelled }
            if r > 0 { return }
        }
    }

    /// Reads what is available (at most `max` bytes), waiting up to `timeout` seconds for the first
    /// byte. Returns an empty array at end of stream. Throws `SocketFailure`.
    public func read(max: Int = 65536, timeout: Double) throws -> [UInt8] {
        while true {
            try wait(for: Int16(POLLIN), timeout: timeout)
            var buffer = [UInt8](repeating: 0, count: max)
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, max, 0) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 {
                if isCancelled { throw SocketFailure.cancelled }
                return []
            }
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { continue }
            if isCancelled { throw SocketFailure.cancelled }
            if e == ECONNRESET { throw SocketFailure.closedByPeer }
            throw SocketFailure.failed(Self.errorText(e))
        }
    }

    /// Writes all of `bytes`, waiting up to `timeout` seconds each time the peer is not reading.
    public func write(_ bytes: [UInt8], timeout: Double) throws {
        var offset = 0
        while offset < bytes.count {
            if isCancelled { throw SocketFailure.cancelled }
            let n = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n; continue }
            let e = errno
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK || e == EINTR) {
                try wait(for: Int16(POLLOUT), timeout: timeout)
                continue
            }
            if isCancelled { throw SocketFailure.cancelled }
            if e == EPIPE || e == ECONNRESET { throw SocketFailure.closedByPeer }
            throw SocketFailure.failed(Self.errorText(e))
        }
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

// The C calls whose names clash with this type's methods.
@inline(__always) private func Glibc_connect(_ s: Int32, _ a: UnsafePointer<sockaddr>!, _ l: socklen_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.connect(s, a, l)
    #else
    Darwin.connect(s, a, l)
    #endif
}
@inline(__always) private func Glibc_listen(_ s: Int32, _ b: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.listen(s, b)
    #else
    Darwin.listen(s, b)
    #endif
}
@inline(__always) private func Glibc_accept(_ s: Int32, _ a: UnsafeMutablePointer<sockaddr>?, _ l: UnsafeMutablePointer<socklen_t>?) -> Int32 {
    #if canImport(Glibc)
    Glibc.accept(s, a, l)
    #else
    Darwin.accept(s, a, l)
    #endif
}
