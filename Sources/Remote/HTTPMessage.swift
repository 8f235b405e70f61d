import Foundation

/// HTTP header fields in order, looked up case-insensitively.
public struct HTTPHeaders: Sendable, Hashable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        for (n, v) in fields { add(n, v) }
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// The first value of `name`, if any.
    public subscript(name: String) -> String? {
        let l = name.lowercased()
        return fields.first { $0.name.lowercased() == l }?.value
    }

    /// True when a comma-separated header (e.g. Connection) contains `token`.
    public func contains(_ name: String, token: String) -> Bool {
        let l = name.lowercased()
        return fields.contains { f in
            f.name.lowercased() == l && f.value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == token }
        }
    }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.map { "\($0.name.lowercased()):\($0.value)" } == b.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }

    public func hash(into h: inout Hasher) {
        for f in fields { h.combine(f.name.lowercased()); h.combine(f.value) }
    }

    /// The fields as `Name: value\r\n` lines.
    var serialized: String { fields.map { "\($0.name): \($0.value)\r\n" }.joined() }
}

/// A request line and headers.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: String
    /// The request target as sent (path and query).
    public var target: String
    public var version: String
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The target without its query string.
    public var path: String { String(target.prefix { $0 != "?" }) }

    /// True when the connection stays open after the response (HTTP/1.1 unless `close`).
    public var keepAlive: Bool {
        if headers.contains("Connection", token: "close") { return false }
        if version == "HTTP/1.0" { return headers.contains("Connection", token: "keep-alive") }
        return true
    }

    public var serialized: [UInt8] { Array("\(method) \(target) \(version)\r\n\(headers.serialized)\r\n".utf8) }
}

/// A status line and headers.
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: Int
    public var reason: String
    public var version: String
    public var headers: HTTPHeaders

    public init(status: Int, reason: String? = nil, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason ?? HTTPStatus.reason(status)
        self.version = version
        self.headers = headers
    }

    public var serialized: [UInt8] { Array("\(version) \(status) \(reason)\r\n\(headers.serialized)\r\n".utf8) }
}

/// Reason phrases.
public enum HTTPStatus {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 411: return "Length Required"
        case 413: return "Payload Too Large"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return status < 400 ? "OK" : "Error"
        }
    }
}

/// Parses the head of a message: a start line and header lines (without the blank line).
public enum HTTPHeadParser {
    public enum Failure: Error, Equatable { case malformed(String) }

    public static func parseHeaders(_ lines: ArraySlice<String>) throws -> HTTPHeaders {
        var h = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw Failure.malformed("header line without a name: \"\(line.prefix(80))\"")
            }
            let name = String(line[..<colon])
            guard !name.contains(" ") else { throw Failure.malformed("header name with a space: \"\(name.prefix(80))\"") }
            h.add(name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return h
    }

    public static func request(_ lines: [String]) throws -> HTTPRequestHead {
        guard let first = lines.first else { throw Failure.malformed("empty request") }
        let parts = first.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { throw Failure.malformed("bad request line \"\(first.prefix(80))\"") }
        return HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
                               headers: try parseHeaders(lines.dropFirst()))
    }

    public static func response(_ lines: [String]) throws -> HTTPResponseHead {
        guard let first = lines.first else { throw Failure.malformed("empty response") }
        let parts = first.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]), (100...999).contains(status) else {
            throw Failure.malformed("bad status line \"\(first.prefix(80))\"")
        }
        return HTTPResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "", version: String(parts[0]),
                                headers: try parseHeaders(lines.dropFirst()))
    }
}
