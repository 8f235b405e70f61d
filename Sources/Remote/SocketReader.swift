import Foundation

/// Buffered reading from a socket: message heads line by line, bodies by length, by chunk or to
/// the end. Every wait is bounded by `timeout` seconds.
public final class SocketReader: @unchecked Sendable {
    public let socket: TCPSocket
    /// Seconds to wait for the next bytes.
    public var timeout: Double
    private var buffer: [UInt8] = []
    private var position = 0
    /// True once the peer closed its side.
    public private(set) var reachedEnd = false
    /// True once any byte arrived.
    public private(set) var receivedAny = false

    public init(socket: TCPSocket, timeout: Double) {
        self.socket = socket
        self.timeout = timeout
    }

    /// Bytes already read but not consumed.
    public var buffered: Int { buffer.count - position }

    /// Reads more bytes into the buffer; false at end of stream.
    @discardableResult
    func fill() throws -> Bool {
        if reachedEnd { return false }
        let bytes = try socket.read(timeout: timeout)
        if bytes.isEmpty { reachedEnd = true; return false }
        receivedAny = true
        if position > 0 && position == buffer.count { buffer.removeAll(keepingCapacity: true); position = 0 }
        buffer.append(contentsOf: bytes)
        return true
    }

    /// A message head: the lines up to the blank line (CRLF or LF endings). Nil when the stream
    /// ended before any byte of a head (a closed keep-alive connection). Throws `HeadFailure`.
    public func readHead(maxBytes: Int = 64 * 1024) throws -> [String]? {
        var lines: [String] = []
        var total = 0
        while true {
            guard let line = try readLine(maxBytes: maxBytes - total) else {
                if lines.isEmpty && total == 0 { return nil }
                throw HeadFailure.truncated
            }
            total += line.count + 2
            if line.isEmpty {
                if lines.isEmpty { continue }  // tolerate stray CRLF between messages
                return lines
            }
            lines.append(line)
        }
    }

    public enum HeadFailure: Error, Equatable { case truncated, tooLarge }

    /// One line without its ending; nil at end of stream with nothing pending.
    func readLine(maxBytes: Int) throws -> String? {
        var scanned = 0  // bytes after `position` already searched
        while true {
            if let nl = buffer[(position + scanned)...].firstIndex(of: 10) {
                var end = nl
                if end > position && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = nl + 1
                return line
            }
            scanned = buffer.count - position
            if buffer.count - position > maxBytes { throw HeadFailure.tooLarge }
            if try !fill() {
                if position == buffer.count { return nil }
                throw HeadFailure.truncated
            }
        }
    }

    /// Exactly `count` bytes; throws `HeadFailure.truncated` when the stream ends first.
    public func readExact(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count {
            if try !fill() { throw HeadFailure.truncated }
        }
        let out = Array(buffer[position..<position + count])
        position += count
        return out
    }

    /// Whatever is available, at most `max` bytes (waits for at least one); empty at end of stream.
    public func readSome(max: Int = 65536) throws -> [UInt8] {
        if position == buffer.count {
            if try !fill() { return [] }
        }
        let n = Swift.min(max, buffer.count - position)
        let out = Array(buffer[position..<position + n])
        position += n
        return out
    }
}

/// Reads a message body in pieces as they arrive, however it is framed.
public struct HTTPBodyReader: Sendable {
    public enum Framing: Sendable, Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    /// What went wrong reading the body.
    public enum Failure: Error, Equatable {
        /// The stream ended early (`detail` says where).
        case truncated(String)
        /// The framing is broken.
        case malformed(String)
    }

    public let framing: Framing
    private let reader: SocketReader
    private var remaining: Int
    private var done = false
    private var inChunk = false

    public init(reader: SocketReader, framing: Framing) {
        self.reader = reader
        self.framing = framing
        if case .length(let n) = framing { remaining = n } else { remaining = 0 }
        if case .length(0) = framing { done = true }
    }

    /// The framing a message's headers declare (`Transfer-Encoding: chunked`, `Content-Length`),
    /// or `untilClose` for a response with neither (`defaultsToEmpty` for requests).
    public static func framing(of headers: HTTPHeaders, defaultsToEmpty: Bool) throws -> Framing {
        if let te = headers["Transfer-Encoding"] {
            guard te.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked" else {
                throw Failure.malformed("unsupported Transfer-Encoding \"\(te)\"")
            }
            return .chunked
        }
        if let cl = headers["Content-Length"] {
            guard let n = Int(cl.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw Failure.malformed("bad Content-Length \"\(cl)\"")
            }
            return .length(n)
        }
        return defaultsToEmpty ? .length(0) : .untilClose
    }

    /// The next piece of the body; nil when it is complete.
    public mutating func next() throws -> [UInt8]? {
        if done { return nil }
        switch framing {
        case .length:
            let piece = try reader.readSome(max: remaining)
            if piece.isEmpty { throw Failure.truncated("\(remaining) of the announced bytes never arrived") }
            remaining -= piece.count
            if remaining == 0 { done = true }
            return piece
        case .untilClose:
            let piece = try reader.readSome()
            if piece.isEmpty { done = true; return nil }
            return piece
        case .chunked:
            if !inChunk {
                let line: String?
                do { line = try reader.readLine(maxBytes: 4096) } catch { throw Failure.truncated("inside a chunk header") }
                guard let line else { throw Failure.truncated("the final (zero-length) chunk never arrived") }
                let sizeText = line.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
                guard let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw Failure.malformed("bad chunk size \"\(line.prefix(40))\"")
                }
                if size == 0 {
                    // Trailers, then the blank line.
                    while true {
                        guard let t = try? reader.readLine(maxBytes: 8192) else { break }
                        if t.isEmpty { break }
                    }
                    done = true
                    return nil
                }
                remaining = size
                inChunk = true
            }
            let piece = try reader.readSome(max: remaining)
            if piece.isEmpty { throw Failure.truncated("in the middle of a chunk") }
            remaining -= piece.count
            if remaining == 0 {
                inChunk = false
                let end: String?
                do { end = try reader.readLine(maxBytes: 16) } catch { throw Failure.malformed("no line break after a chunk") }
                guard let end else { throw Failure.truncated("after a chunk") }
                guard end.isEmpty else { throw Failure.malformed("no line break after a chunk") }
            }
            return piece
        }
    }

    /// The whole (rest of the) body, refusing more than `limit` bytes.
    public mutating func readAll(limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while let piece = try next() {
            out.append(contentsOf: piece)
            if out.count > limit { throw Failure.malformed("body larger than \(limit) bytes") }
        }
        return out
    }
}
